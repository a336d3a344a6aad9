"""Store repository, review aggregate: analysts' edits, approvals, merges and undo, each audited as a review event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update

from core.errors import ConflictError, InputError
from core.schemas import Lead, LeadRecord
from core.store.base import Repository, get_row
from core.store.leads import LEAD_FIELDS, lead_record
from core.store.tables import LeadRow, LeadStageRow, ReviewEventRow, utcnow

EDITABLE_LEAD_FIELDS: frozenset[str] = frozenset(LEAD_FIELDS) | {"event_date"}


def lead_snapshot(row: LeadRow) -> dict[str, Any]:
    """The lead's reviewable state as JSON-ready values (the before/after of a review event)."""
    snap: dict[str, Any] = {f: getattr(row, f) for f in LEAD_FIELDS}
    snap.update(status=row.status, merged_into=row.merged_into, version=row.version)
    snap["event_date"] = row.event_date.isoformat() if row.event_date else None
    return snap


class ReviewRepository(Repository):
    """Optimistically locked review actions on leads and the audit log they write."""

    def _claim(self, s: Any, lead_id: int, expected_version: int | None) -> tuple[LeadRow, dict[str, Any]]:
        """Bump the lead's version atomically (only if it is still ``expected_version``); return it and its prior state.

        The conditional UPDATE is the first statement of the transaction, so of two concurrent editors of the
        same version exactly one succeeds, on SQLite and PostgreSQL alike.
        """
        stmt = update(LeadRow).where(LeadRow.id == lead_id)
        if expected_version is not None:
            stmt = stmt.where(LeadRow.version == expected_version)
        result = s.execute(stmt.values(version=LeadRow.version + 1, updated_at=utcnow()))
        row = get_row(s, LeadRow, lead_id, f"lead {lead_id} does not exist", populate_existing=True)
        if result.rowcount == 0:
            raise ConflictError(
                f"lead {lead_id} was changed by someone else (now version {row.version}, "
                f"you edited version {expected_version}); reload it"
            )
        before = lead_snapshot(row)
        before["version"] = row.version - 1
        return row, before

    def _log(self, s: Any, lead_id: int | None, actor: str, action: str, before: dict[str, Any] | None,
             after: dict[str, Any] | None, reason: str | None = None) -> None:
        s.add(ReviewEventRow(lead_id=lead_id, actor=actor, action=action, before=before, after=after, reason=reason))

    def update_lead(self, lead_id: int, changes: dict[str, Any], *, actor: str, expected_version: int | None) -> LeadRecord:
        """Correct fields of a lead; the change is validated as a whole and audited."""
        unknown = set(changes) - EDITABLE_LEAD_FIELDS
        if unknown:
            raise InputError(f"fields cannot be edited: {', '.join(sorted(unknown))}")
        with self.db.session() as s:
            row, before = self._claim(s, lead_id, expected_version)
            merged = {f: getattr(row, f) for f in LEAD_FIELDS} | {k: v for k, v in changes.items() if k != "event_date"}
            try:
                valid = Lead.model_validate(merged)
            except ValueError as exc:
                raise InputError(f"invalid lead: {exc}") from exc
            for key in LEAD_FIELDS:
                setattr(row, key, getattr(valid, key))
            if "event_date" in changes:
                value = changes["event_date"]
                row.event_date = dt.date.fromisoformat(value) if isinstance(value, str) and value else value or None
            s.flush()
            self._log(s, lead_id, actor, "edit", before, lead_snapshot(row))
            return lead_record(row)

    def set_lead_status(self, lead_id: int, status: str, *, actor: str, expected_version: int | None,
                        reason: str | None = None) -> LeadRecord:
        if status not in ("approved", "rejected", "new"):
            raise InputError(f"cannot set status {status!r} directly")
        if status == "rejected" and not (reason and reason.strip()):
            raise InputError("a rejection needs a reason")
        with self.db.session() as s:
            row, before = self._claim(s, lead_id, expected_version)
            row.status = status
            s.flush()
            action = {"approved": "approve", "rejected": "reject", "new": "reopen"}[status]
            self._log(s, lead_id, actor, action, before, lead_snapshot(row), reason)
            return lead_record(row)

    def merge_leads(self, keep_id: int, duplicate_ids: Sequence[int], *, actor: str,
                    expected_version: int | None = None) -> LeadRecord:
        """Fold duplicates into ``keep_id``: their stage history moves over, they become status merged."""
        with self.db.session() as s:
            if keep_id in duplicate_ids:
                raise InputError("a lead cannot be merged into itself")
            if not duplicate_ids:
                raise InputError("name at least one duplicate to merge")
            keep, _ = self._claim(s, keep_id, expected_version)
            for dup_id in duplicate_ids:
                dup, before = self._claim(s, dup_id, None)
                for st in list(dup.stages):
                    keep.stages.append(LeadStageRow(stage=st.stage, document_id=st.document_id,
                                                    event_date=st.event_date, evidence=st.evidence))
                dup.status, dup.merged_into = "merged", keep_id
                self._log(s, dup_id, actor, "merge", before, lead_snapshot(dup), f"merged into {keep_id}")
            s.flush()
            return lead_record(keep)

    def undo_last(self, lead_id: int, *, actor: str, expected_version: int | None = None) -> LeadRecord:
        """Restore the lead to the state before its last review action (itself audited)."""
        with self.db.session() as s:
            row, current = self._claim(s, lead_id, expected_version)
            event = s.scalars(
                select(ReviewEventRow)
                .where(ReviewEventRow.lead_id == lead_id, ReviewEventRow.action != "undo",
                       ReviewEventRow.action.not_like("%-undone"))
                .order_by(ReviewEventRow.id.desc())
            ).first()
            if event is None or event.before is None:
                raise ConflictError(f"lead {lead_id} has nothing to undo")
            for key in LEAD_FIELDS:
                setattr(row, key, event.before[key])
            row.status, row.merged_into = event.before["status"], event.before["merged_into"]
            ed = event.before.get("event_date")
            row.event_date = dt.date.fromisoformat(ed) if ed else None
            event.action = f"{event.action}-undone"[:20]
            s.flush()
            self._log(s, lead_id, actor, "undo", current, lead_snapshot(row))
            return lead_record(row)

    def review_events(self, lead_id: int | None = None, limit: int = 200) -> list[dict[str, Any]]:
        with self.db.session() as s:
            stmt = select(ReviewEventRow).order_by(ReviewEventRow.id.desc()).limit(limit)
            if lead_id is not None:
                stmt = stmt.where(ReviewEventRow.lead_id == lead_id)
            return [
                {"id": e.id, "lead_id": e.lead_id, "actor": e.actor, "action": e.action, "reason": e.reason,
                 "before": e.before, "after": e.after, "at": e.at}
                for e in s.scalars(stmt).all()
            ]
