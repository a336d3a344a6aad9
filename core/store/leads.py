"""Store repository, leads aggregate: mined leads stored per document, cross-document resolution, filtered listing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, func, or_, select

from core.errors import InputError
from core.schemas import REVIEW_STATUSES, STAGES, Lead, LeadRecord, region_prefix
from core.store.base import Repository, get_row
from core.store.tables import DocumentRow, LeadRow, LeadStageRow, ReviewEventRow, utcnow

LEAD_FIELDS: tuple[str, ...] = tuple(Lead.model_fields)
# Stage order for cross-document resolution: a lead advances, never goes back (其他 says nothing, ranks lowest).
STAGE_RANK: dict[str, int] = {"其他": 0, "在谈": 1, "签约": 2, "开工": 3, "投产": 4}


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

MATCH_WINDOW = 2000  # newest stored leads of a province compared with each new lead (cross-document resolution)


def lead_record(row: LeadRow) -> LeadRecord:
    return LeadRecord.model_validate({c: getattr(row, c) for c in LeadRecord.model_fields})


def _advance(row: LeadRow, lead: Lead, event_date: dt.date | None, key: str | None) -> None:
    """Fold a later mention into an unreviewed lead: later stage (with its evidence and date), empty fields filled."""
    if STAGE_RANK.get(lead.stage, 0) > STAGE_RANK.get(row.stage, 0):
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


class LeadRepository(Repository):
    """Writing mined leads and reading them back."""

    def replace_document_leads(self, doc_id: int, leads: Iterable[Lead], *, event_dates: Sequence[dt.date | None] = ()) -> list[int]:
        """Store a document's freshly mined leads atomically.

        Unreviewed leads previously mined from this document are replaced; reviewed ones are kept.
        """
        leads = list(leads)
        with self.db.session() as s:
            doc = get_row(s, DocumentRow, doc_id, f"document {doc_id} does not exist")
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
            doc = get_row(s, DocumentRow, doc_id, f"document {doc_id} does not exist")
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
                    row.stage = max((st.stage for st in row.stages), key=lambda st: STAGE_RANK.get(st, 0))
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
        # the newest MATCH_WINDOW leads of the province, plus any older one with the same fingerprint: reports of one
        # project come close together, and the cost per new lead stays bounded however many leads are stored
        recent = s.scalars(stmt.order_by(None).order_by(LeadRow.id.desc()).limit(MATCH_WINDOW)).all()
        same = s.scalars(stmt.where(LeadRow.fingerprint == key)).all() if key else []
        rows = sorted({r.id: r for r in (*recent, *same)}.values(), key=lambda r: r.id)
        if not rows:
            return None
        index = match(lead, [lead_record(r) for r in rows])
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
            return [lead_record(r) for r in s.scalars(stmt.limit(limit)).all()]

    def count_leads(self, f: LeadFilter = LeadFilter()) -> int:
        with self.db.session() as s:
            return int(s.scalar(select(func.count()).select_from(self._lead_query(f).subquery())) or 0)

    def get_lead(self, lead_id: int) -> LeadRecord:
        with self.db.session() as s:
            row = get_row(s, LeadRow, lead_id, f"lead {lead_id} does not exist")
            return lead_record(row)

    def lead_stage_history(self, lead_id: int) -> list[dict[str, Any]]:
        with self.db.session() as s:
            row = get_row(s, LeadRow, lead_id, f"lead {lead_id} does not exist")
            return [
                {"stage": st.stage, "document_id": st.document_id, "event_date": st.event_date, "evidence": st.evidence}
                for st in row.stages
            ]
