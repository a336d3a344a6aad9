"""Store: SQLAlchemy tables, Alembic migrations and the repository."""

from core.store.db import Database, migrate
from core.store.keys import ROLES, ApiKeyInfo, ApiKeys
from core.store.repo import LeadFilter, Store, region_prefix
from core.store.webhooks import Webhook, Webhooks

__all__ = ["ROLES", "ApiKeyInfo", "ApiKeys", "Database", "LeadFilter", "Store", "Webhook", "Webhooks", "migrate",
           "region_prefix"]
