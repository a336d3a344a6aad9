"""Store: SQLAlchemy tables, Alembic migrations and the repository."""

from core.store.db import Database, migrate
from core.store.repo import LeadFilter, Store, region_prefix

__all__ = ["Database", "LeadFilter", "Store", "migrate", "region_prefix"]
