"""Store repository, policies aggregate: support policies with their clauses, upserted by id."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from core.schemas import Clause, Policy
from core.store.base import Repository, get_row
from core.store.tables import ClauseRow, PolicyRow, utcnow


def policy_from_row(row: PolicyRow, with_clauses: bool = True) -> Policy:
    data = {c: getattr(row, c) for c in Policy.model_fields if c != "clauses"}
    data["clauses"] = (
        [Clause(policy_id=row.id, seq=c.seq, number=c.number, heading=c.heading, text=c.text) for c in row.clauses]
        if with_clauses
        else []
    )
    return Policy.model_validate(data)


class PolicyRepository(Repository):
    """Policies and their clauses."""

    def upsert_policies(self, policies: Sequence[Policy]) -> tuple[int, int]:
        """Insert or replace policies (with their clauses) by id, all or nothing. Returns (created, updated)."""
        created = updated = 0
        with self.db.session() as s:
            for policy in policies:
                row = s.get(PolicyRow, policy.id)
                data = policy.model_dump(exclude={"clauses"})
                if row is None:
                    row = PolicyRow(**data)
                    s.add(row)
                    created += 1
                else:
                    for key, value in data.items():
                        setattr(row, key, value)
                    row.clauses.clear()
                    s.flush()
                    updated += 1
                row.updated_at = utcnow()
                row.clauses.extend(
                    ClauseRow(seq=c.seq, number=c.number, heading=c.heading, text=c.text) for c in policy.clauses
                )
        return created, updated

    def get_policy(self, policy_id: str) -> Policy:
        with self.db.session() as s:
            return policy_from_row(get_row(s, PolicyRow, policy_id, f"policy {policy_id!r} does not exist"))

    def list_policies(self, *, with_clauses: bool = True) -> list[Policy]:
        with self.db.session() as s:
            return [policy_from_row(r, with_clauses) for r in s.scalars(select(PolicyRow).order_by(PolicyRow.id)).all()]

    def count_policies(self) -> int:
        with self.db.session() as s:
            return int(s.scalar(select(func.count()).select_from(PolicyRow)) or 0)
