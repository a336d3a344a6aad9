"""Alembic environment: runs migrations on the engine handed over by core.store.db.migrate."""

from __future__ import annotations

from alembic import context

from core.store.tables import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # run by the alembic CLI: build the engine from settings
    from core.config import get_settings
    from core.store.db import make_engine

    engine = make_engine(get_settings().db_url)

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
