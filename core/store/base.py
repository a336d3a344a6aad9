"""Store repository base: the database handle and the row lookup every repository aggregate shares."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

from core.errors import NotFoundError
from core.store.db import Database

RowT = TypeVar("RowT")


def get_row(s: Session, table: type[RowT], key: Any, missing: str, *, populate_existing: bool = False) -> RowT:
    """The row of ``table`` with primary key ``key``; NotFoundError(``missing``) when there is none."""
    row = s.get(table, key, populate_existing=populate_existing)
    if row is None:
        raise NotFoundError(missing)
    return row


class Repository:
    """Holds the :class:`Database`; each aggregate mixin opens one session (one transaction) per public method."""

    def __init__(self, db: Database) -> None:
        self.db = db
