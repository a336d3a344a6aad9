"""Store engine: connect to SQLite or PostgreSQL and bring the schema to the latest Alembic revision."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import StoreError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest migration (idempotent)."""
    try:
        command.upgrade(alembic_config(engine), "head")
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot migrate the store at {engine.url.render_as_string(hide_password=True)}: {exc}") from exc


def is_migrated(engine: Engine) -> bool:
    try:
        return "alembic_version" in inspect(engine).get_table_names()
    except SQLAlchemyError:
        return False


class Database:
    """An engine plus a session factory; ``with db.session() as s:`` commits or rolls back as a unit."""

    def __init__(self, url: str, *, auto_migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if auto_migrate:
            migrate(self.engine)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        session = self._factory()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise StoreError(f"store operation failed: {exc.__class__.__name__}: {exc}") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
