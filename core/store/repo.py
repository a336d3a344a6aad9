"""Store repository: the only code that reads and writes tables; speaks in core.schemas objects.

:class:`Store` is one facade composed of the aggregate repositories, each in its own module:
``documents`` (sources, documents, stories), ``leads`` (mined leads, cross-document resolution, listing),
``review`` (audited analyst actions) and ``policies`` (policies and clauses).
"""

from __future__ import annotations

from sqlalchemy import func, select

from core.store.db import Database
from core.store.documents import DocumentRepository
from core.store.leads import LEAD_FIELDS, LeadFilter, LeadRepository, region_prefix
from core.store.policies import PolicyRepository
from core.store.review import EDITABLE_LEAD_FIELDS, ReviewRepository
from core.store.tables import ClauseRow, DocumentRow, LeadRow, PolicyRow

__all__ = ["EDITABLE_LEAD_FIELDS", "LEAD_FIELDS", "LeadFilter", "Store", "region_prefix"]


class Store(DocumentRepository, LeadRepository, ReviewRepository, PolicyRepository):
    """Repository over a :class:`Database`. Every public method is one transaction."""

    @classmethod
    def connect(cls, url: str) -> Store:
        return cls(Database(url))

    def close(self) -> None:
        self.db.dispose()

    def counts(self) -> dict[str, int]:
        with self.db.session() as s:
            return {
                "documents": int(s.scalar(select(func.count()).select_from(DocumentRow)) or 0),
                "leads": int(s.scalar(select(func.count()).select_from(LeadRow)) or 0),
                "policies": int(s.scalar(select(func.count()).select_from(PolicyRow)) or 0),
                "clauses": int(s.scalar(select(func.count()).select_from(ClauseRow)) or 0),
            }
