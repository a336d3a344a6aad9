"""Store repository: the only code that reads and writes tables; speaks in core.schemas objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update

from core.errors import ConflictError, InputError, NotFoundError
from core.schemas import REVIEW_STATUSES, STAGES, Clause, Document, Lead, LeadRecord, Policy
from core.store.db import Database
from core.store.tables import (
    ClauseRow,
    DocumentRow,
    LeadRow,
    LeadStageRow,
    PolicyRow,
    ReviewEventRow,
    SourceRow,
    StoryRow,
    utcnow,
)

LEAD_FIELDS: tuple[str, ...] = tuple(Lead.model_fields)
# Stage order for cross-document resolution: a lead advances, never goes back (其他 says nothing, ranks lowest).
_STAGE_RANK: dict[str, int] = {"其他": 0, "在谈": 1, "签约": 2, "开工": 3, "投产": 4}
EDITABLE_LEAD_FIELDS: frozenset[str] = frozenset(LEAD_FIELDS) | {"event_date"}


@dataclass(frozen=True)
class LeadFilter:
    """Filters for listing leads; ``region_code`` matches the code and its descendants."""

    status: str | None = None
    stage: str | None = None
    industry: str | None = None
    region_code: str | None = None
    text: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    document_id: int | None = None


def region_prefix(code: str) -> str:
    """The prefix shared by a region and all its descendants: 340000→34, 340800→3408, 340803→340803."""
    code = code.strip()[:6]
    if len(code) != 6 or not code.isdigit():
        raise InputError(f"region code must have 6 digits, got {code!r}")
    if code == "000000":
        return ""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def _document(row: DocumentRow) -> Document:
    return Document.model_validate(
        {c: getattr(row, c) for c in Document.model_fields if c != "attachments"} | {"attachments": row.attachments or []}
    )


def _lead_record(row: LeadRow) -> LeadRecord:
    return LeadRecord.model_validate({c: getattr(row, c) for c in LeadRecord.model_fields})


def _lead_snapshot(row: LeadRow) -> dict[str, Any]:
    snap: dict[str, Any] = {f: getattr(row, f) for f in LEAD_FIELDS}
    snap.update(status=row.status, merged_into=row.merged_into, version=row.version)
    snap["event_date"] = row.event_date.isoformat() if row.event_date else None
    return snap


def _advance(row: LeadRow, lead: Lead, event_date: dt.date | None, key: str | None) -> None:
    """Fold a later mention into an unreviewed lead: later stage (with its evidence and date), empty fields filled."""
    if _STAGE_RANK.get(lead.stage, 0) > _STAGE_RANK.get(row.stage, 0):
        row.stage, row.evidence, row.event_date = lead.stage, lead.evidence, event_date or row.event_date
    for name in ("org", "project", "location", "region_code", "amount_cny", "amount", "currency"):
        if getattr(row, name) is None and getattr(lead, name) is not None:
            setattr(row, name, getattr(lead, name))
    if row.industry in (None, "其他") and lead.industry not in (None, "其他"):
        row.industry = lead.industry
    row.confidence = max(row.confidence, lead.confidence)
    row.fingerprint = row.fingerprint or key
    row.version += 1
    row.updated_at = utcnow()


def _policy(row: PolicyRow, with_clauses: bool = True) -> Policy:
    data = {c: getattr(row, c) for c in Policy.model_fields if c != "clauses"}
    data["clauses"] = (
        [Clause(policy_id=row.id, seq=c.seq, number=c.number, heading=c.heading, text=c.text) for c in row.clauses]
        if with_clauses
        else []
    )
    return Policy.model_validate(data)


class Store:
    """Repository over a :class:`Database`. Every public method is one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def connect(cls, url: str) -> Store:
        return cls(Database(url))

    def close(self) -> None:
        self.db.dispose()

    # -- sources ---------------------------------------------------------
    def upsert_source(self, name: str, *, region: str | None, region_code: str | None, kind: str, start_urls: list[str]) -> None:
        with self.db.session() as s:
            row = s.get(SourceRow, name) or SourceRow(name=name)
            row.region, row.region_code, row.kind, row.start_urls = region, region_code, kind, list(start_urls)
            s.add(row)

    def list_sources(self) -> list[dict[str, Any]]:
        with self.db.session() as s:
            rows = s.scalars(select(SourceRow).order_by(SourceRow.name)).all()
            counts = dict(s.execute(select(DocumentRow.source, func.count()).group_by(DocumentRow.source)).all())
            return [
                {"name": r.name, "region": r.region, "region_code": r.region_code, "kind": r.kind,
                 "start_urls": r.start_urls, "documents": counts.get(r.name, 0)}
                for r in rows
            ]

    # -- documents -------------------------------------------------------
    def save_document(self, doc: Document) -> tuple[int, str]:
        """Insert or update by URL. Returns (id, "created" | "updated" | "unchanged")."""
        with self.db.session() as s:
            row = s.scalars(select(DocumentRow).where(DocumentRow.url == doc.url)).first()
            data = doc.model_dump(exclude={"id", "attachments"})
            data["attachments"] = [a.model_dump() for a in doc.attachments]
            if row is None:
                row = DocumentRow(**data)
                s.add(row)
                s.flush()
                return row.id, "created"
            if row.content_hash == doc.content_hash:
                row.fetched_at = doc.fetched_at
                return row.id, "unchanged"
            for key, value in data.items():
                if key != "story_id" or value is not None:
                    setattr(row, key, value)
            row.mined_at = None
            return row.id, "updated"

    def get_document(self, doc_id: int) -> Document:
        with self.db.session() as s:
            row = s.get(DocumentRow, doc_id)
            if row is None:
                raise NotFoundError(f"document {doc_id} does not exist")
            return _document(row)

    def find_document_by_hash(self, content_hash: str) -> Document | None:
        with self.db.session() as s:
            row = s.scalars(select(DocumentRow).where(DocumentRow.content_hash == content_hash)).first()
            return _document(row) if row else None

    def document_urls(self, source: str | None = None) -> set[str]:
        with self.db.session() as s:
            stmt = select(DocumentRow.url)
            if source:
                stmt = stmt.where(DocumentRow.source == source)
            return set(s.scalars(stmt).all())

    def list_documents(
        self, *, kind: str | None = None, source: str | None = None, unmined: bool = False,
        limit: int = 100, offset: int = 0,
    ) -> list[Document]:
        with self.db.session() as s:
            stmt = select(DocumentRow).order_by(DocumentRow.id)
            if kind:
                stmt = stmt.where(DocumentRow.kind == kind)
            if source:
                stmt = stmt.where(DocumentRow.source == source)
            if unmined:
                stmt = stmt.where(DocumentRow.mined_at.is_(None))
            return [_document(r) for r in s.scalars(stmt.limit(limit).offset(offset)).all()]

    def count_documents(self, *, kind: str | None = None) -> int:
        with self.db.session() as s:
            stmt = select(func.count()).select_from(DocumentRow)
            if kind:
                stmt = stmt.where(DocumentRow.kind == kind)
            return int(s.scalar(stmt) or 0)

    def create_story(self, title: str) -> int:
        """A new near-duplicate group (stories row); returns its id."""
        with self.db.session() as s:
            row = StoryRow(title=title)
            s.add(row)
            s.flush()
            return row.id

    def set_story(self, doc_ids: Sequence[int], story_id: int) -> None:
        with self.db.session() as s:
            for doc_id in doc_ids:
                row = s.get(DocumentRow, doc_id)
                if row is not None:
                    row.story_id = story_id

    # -- leads -----------------------------------------------------------
    def replace_document_leads(self, doc_id: int, leads: Iterable[Lead], *, event_dates: Sequence[dt.date | None] = ()) -> list[int]:
        """Store a document's freshly mined leads atomically.

        Unreviewed leads previously mined from this document are replaced; reviewed ones are kept.
        """
        leads = list(leads)
        with self.db.session() as s:
            doc = s.get(DocumentRow, doc_id)
            if doc is None:
                raise NotFoundError(f"document {doc_id} does not exist")
            s.execute(delete(LeadRow).where(LeadRow.document_id == doc_id, LeadRow.status == "new", LeadRow.version == 1))
            ids: list[int] = []
            for i, lead in enumerate(leads):
                event_date = event_dates[i] if i < len(event_dates) else None
                row = LeadRow(document_id=doc_id, event_date=event_date or doc.publish_date, **lead.model_dump())
                row.stages.append(
                    LeadStageRow(stage=lead.stage, document_id=doc_id, event_date=row.event_date, evidence=lead.evidence)
                )
                s.add(row)
                s.flush()
                ids.append(row.id)
            doc.mined_at = utcnow()
            return ids

    def resolve_document_leads(
        self,
        doc_id: int,
        leads: Iterable[Lead],
        *,
        event_dates: Sequence[dt.date | None] = (),
        fingerprints: Sequence[str | None] = (),
        match: Callable[[Lead, Sequence[LeadRecord]], int | None] | None = None,
    ) -> list[tuple[int, bool]]:
        """Store a document's mined leads, folding each into an existing lead of the same project when ``match``
        finds one (cross-document resolution). Returns ``(lead id, created)`` per input lead, in one transaction.

        - This document's earlier contribution is withdrawn first: its unreviewed leads and the stage steps it
          added to unreviewed leads (a lead left with no step is deleted, otherwise its stage is recomputed).
        - ``match(lead, candidates)`` picks the index of the same project among the stored, unmerged leads of
          compatible region (same province, or no region); without it, equal non-empty fingerprints match.
        - A matched lead gets a stage step (document, date, evidence). If it is unreviewed (status new, no
          review event) its stage advances when the new one is later (其他 < 在谈 < 签约 < 开工 < 投产), empty
          fields are filled and its version is bumped; a reviewed lead only gains the history step.
        """
        leads = list(leads)
        with self.db.session() as s:
            doc = s.get(DocumentRow, doc_id)
            if doc is None:
                raise NotFoundError(f"document {doc_id} does not exist")
            reviewed = set(s.scalars(select(ReviewEventRow.lead_id).where(ReviewEventRow.lead_id.is_not(None))).all())
            touched = s.scalars(
                select(LeadRow).where(
                    or_(LeadRow.document_id == doc_id, LeadRow.stages.any(LeadStageRow.document_id == doc_id))
                )
            ).all()
            for row in touched:
                if row.status != "new" or row.id in reviewed:
                    continue
                for step in [st for st in row.stages if st.document_id == doc_id]:
                    row.stages.remove(step)
                if not row.stages:
                    s.delete(row)
                else:
                    row.stage = max((st.stage for st in row.stages), key=lambda st: _STAGE_RANK.get(st, 0))
            s.flush()
            used: set[int] = set()
            out: list[tuple[int, bool]] = []
            for i, lead in enumerate(leads):
                event_date = (event_dates[i] if i < len(event_dates) else None) or doc.publish_date
                key = fingerprints[i] if i < len(fingerprints) else None
                existing = self._resolve_match(s, lead, key, match, used)
                step = LeadStageRow(stage=lead.stage, document_id=doc_id, event_date=event_date, evidence=lead.evidence)
                if existing is None:
                    row = LeadRow(document_id=doc_id, event_date=event_date, fingerprint=key, **lead.model_dump())
                    row.stages.append(step)
                    s.add(row)
                    s.flush()
                    used.add(row.id)
                    out.append((row.id, True))
                    continue
                used.add(existing.id)
                if not any(st.document_id == doc_id and st.stage == lead.stage for st in existing.stages):
                    existing.stages.append(step)
                if existing.status == "new" and existing.id not in reviewed:
                    _advance(existing, lead, event_date, key)
                s.flush()
                out.append((existing.id, False))
            doc.mined_at = utcnow()
            return out

    def _resolve_match(self, s: Any, lead: Lead, key: str | None,
                       match: Callable[[Lead, Sequence[LeadRecord]], int | None] | None,
                       used: set[int]) -> LeadRow | None:
        stmt = select(LeadRow).where(LeadRow.status != "merged").order_by(LeadRow.id)
        if used:
            stmt = stmt.where(LeadRow.id.not_in(used))
        if lead.region_code and len(lead.region_code) == 6 and lead.region_code != "000000":
            stmt = stmt.where(or_(LeadRow.region_code.is_(None), LeadRow.region_code == "000000",
                                  LeadRow.region_code.like(lead.region_code[:2] + "%")))
        if match is None:
            if not key:
                return None
            return s.scalars(stmt.where(LeadRow.fingerprint == key)).first()
        rows = s.scalars(stmt).all()
        if not rows:
            return None
        index = match(lead, [_lead_record(r) for r in rows])
        return rows[index] if index is not None and 0 <= index < len(rows) else None

    def add_lead(self, lead: Lead, *, document_id: int | None = None, event_date: dt.date | None = None) -> int:
        with self.db.session() as s:
            row = LeadRow(document_id=document_id, event_date=event_date, **lead.model_dump())
            row.stages.append(LeadStageRow(stage=lead.stage, document_id=document_id, event_date=event_date, evidence=lead.evidence))
            s.add(row)
            s.flush()
            return row.id

    def _lead_query(self, f: LeadFilter) -> Select[LeadRow]:
        stmt = select(LeadRow)
        if f.status:
            if f.status not in REVIEW_STATUSES:
                raise InputError(f"unknown review status {f.status!r}; expected one of {', '.join(REVIEW_STATUSES)}")
            stmt = stmt.where(LeadRow.status == f.status)
        if f.stage:
            if f.stage not in STAGES:
                raise InputError(f"unknown stage {f.stage!r}; expected one of {', '.join(STAGES)}")
            stmt = stmt.where(LeadRow.stage == f.stage)
        if f.industry:
            stmt = stmt.where(LeadRow.industry == f.industry)
        if f.region_code:
            prefix = region_prefix(f.region_code)
            if prefix:
                stmt = stmt.where(LeadRow.region_code.like(prefix + "%"))
        if f.text:
            like = f"%{f.text}%"
            stmt = stmt.where(or_(LeadRow.evidence.like(like), LeadRow.org.like(like), LeadRow.project.like(like)))
        if f.date_from:
            stmt = stmt.where(LeadRow.event_date >= f.date_from)
        if f.date_to:
            stmt = stmt.where(LeadRow.event_date <= f.date_to)
        if f.document_id is not None:
            stmt = stmt.where(LeadRow.document_id == f.document_id)
        return stmt

    def list_leads(self, f: LeadFilter = LeadFilter(), *, limit: int = 50, after_id: int | None = None) -> list[LeadRecord]:
        """Leads by ascending id; ``after_id`` is the cursor (the last id of the previous page)."""
        with self.db.session() as s:
            stmt = self._lead_query(f).order_by(LeadRow.id)
            if after_id is not None:
                stmt = stmt.where(LeadRow.id > after_id)
            return [_lead_record(r) for r in s.scalars(stmt.limit(limit)).all()]

    def count_leads(self, f: LeadFilter = LeadFilter()) -> int:
        with self.db.session() as s:
            return int(s.scalar(select(func.count()).select_from(self._lead_query(f).subquery())) or 0)

    def get_lead(self, lead_id: int) -> LeadRecord:
        with self.db.session() as s:
            row = s.get(LeadRow, lead_id)
            if row is None:
                raise NotFoundError(f"lead {lead_id} does not exist")
            return _lead_record(row)

    def lead_stage_history(self, lead_id: int) -> list[dict[str, Any]]:
        with self.db.session() as s:
            row = s.get(LeadRow, lead_id)
            if row is None:
                raise NotFoundError(f"lead {lead_id} does not exist")
            return [
                {"stage": st.stage, "document_id": st.document_id, "event_date": st.event_date, "evidence": st.evidence}
                for st in row.stages
            ]

    def _claim(self, s: Any, lead_id: int, expected_version: int | None) -> tuple[LeadRow, dict[str, Any]]:
        """Bump the lead's version atomically (only if it is still ``expected_version``); return it and its prior state.

        The conditional UPDATE is the first statement of the transaction, so of two concurrent editors of the
        same version exactly one succeeds, on SQLite and PostgreSQL alike.
        """
        stmt = update(LeadRow).where(LeadRow.id == lead_id)
        if expected_version is not None:
            stmt = stmt.where(LeadRow.version == expected_version)
        result = s.execute(stmt.values(version=LeadRow.version + 1, updated_at=utcnow()))
        row = s.get(LeadRow, lead_id, populate_existing=True)
        if row is None:
            raise NotFoundError(f"lead {lead_id} does not exist")
        if result.rowcount == 0:
            raise ConflictError(
                f"lead {lead_id} was changed by someone else (now version {row.version}, "
                f"you edited version {expected_version}); reload it"
            )
        before = _lead_snapshot(row)
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
            self._log(s, lead_id, actor, "edit", before, _lead_snapshot(row))
            return _lead_record(row)

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
            self._log(s, lead_id, actor, action, before, _lead_snapshot(row), reason)
            return _lead_record(row)

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
                self._log(s, dup_id, actor, "merge", before, _lead_snapshot(dup), f"merged into {keep_id}")
            s.flush()
            return _lead_record(keep)

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
            self._log(s, lead_id, actor, "undo", current, _lead_snapshot(row))
            return _lead_record(row)

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

    # -- policies --------------------------------------------------------
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
            row = s.get(PolicyRow, policy_id)
            if row is None:
                raise NotFoundError(f"policy {policy_id!r} does not exist")
            return _policy(row)

    def list_policies(self, *, with_clauses: bool = True) -> list[Policy]:
        with self.db.session() as s:
            return [_policy(r, with_clauses) for r in s.scalars(select(PolicyRow).order_by(PolicyRow.id)).all()]

    def count_policies(self) -> int:
        with self.db.session() as s:
            return int(s.scalar(select(func.count()).select_from(PolicyRow)) or 0)

    def counts(self) -> dict[str, int]:
        with self.db.session() as s:
            return {
                "documents": int(s.scalar(select(func.count()).select_from(DocumentRow)) or 0),
                "leads": int(s.scalar(select(func.count()).select_from(LeadRow)) or 0),
                "policies": int(s.scalar(select(func.count()).select_from(PolicyRow)) or 0),
                "clauses": int(s.scalar(select(func.count()).select_from(ClauseRow)) or 0),
            }
