"""Service leads API: list with filters and cursor pagination, detail with history, CSV/XLSX export."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from core.errors import InputError, NotFoundError
from core.store import LeadFilter
from service.auth import Platform
from service.deps import RegionsDep, StoreDep
from service.errors import ERROR_RESPONSES
from service.export import leads_csv, leads_xlsx
from service.responses import DocumentSummary, LeadDetail, LeadPage, ReviewEvent, StageStep

router = APIRouter(prefix="/v1/leads", tags=["leads"], responses=ERROR_RESPONSES, dependencies=[Platform])

MAX_PAGE = 200
MAX_EXPORT = 50_000


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"lead:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        kind, _, value = raw.partition(":")
        if kind != "lead" or not value.isdigit():
            raise ValueError(raw)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InputError(f"invalid cursor {cursor[:40]!r}; pass back the next_cursor of a previous page") from exc


def lead_filter(
    regions: RegionsDep,
    region_code: Annotated[str | None, Query(description="6-digit code or region name; includes sub-regions.")] = None,
    industry: str | None = None,
    stage: Annotated[str | None, Query(description="在谈 | 签约 | 开工 | 投产 | 其他")] = None,
    status: Annotated[str | None, Query(description="new | approved | rejected | merged")] = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in the evidence, investor or project.")] = None,
) -> LeadFilter:
    code = None
    if region_code and region_code.strip():
        code = regions.resolve(region_code).code
    if date_from and date_to and date_from > date_to:
        raise InputError(f"date_from {date_from} is after date_to {date_to}")
    return LeadFilter(status=status or None, stage=stage or None, industry=industry or None, region_code=code,
                      text=(q or "").strip() or None, date_from=date_from, date_to=date_to)


FilterDep = Annotated[LeadFilter, Depends(lead_filter)]


@router.get("", response_model=LeadPage, summary="List leads (filters, cursor pagination)")
def list_leads(store: StoreDep, filters: FilterDep, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
               cursor: str | None = None) -> LeadPage:
    after = decode_cursor(cursor) if cursor else None
    rows = store.list_leads(filters, limit=limit + 1, after_id=after)
    more = len(rows) > limit
    items = rows[:limit]
    next_cursor = encode_cursor(items[-1].id) if more and items else None
    return LeadPage(items=items, next_cursor=next_cursor, total=store.count_leads(filters))


def _export_rows(store: StoreDep, filters: LeadFilter) -> list:
    total = store.count_leads(filters)
    if total > MAX_EXPORT:
        raise InputError(f"{total} leads match; narrow the filters to at most {MAX_EXPORT} for an export")
    return store.list_leads(filters, limit=MAX_EXPORT)


@router.get("/export.csv", summary="Export matching leads as CSV (UTF-8 with BOM for Excel)",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def export_csv(store: StoreDep, filters: FilterDep) -> Response:
    body = leads_csv(_export_rows(store, filters))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="leads.csv"'})


@router.get("/export.xlsx", summary="Export matching leads as an Excel workbook", response_class=Response,
            responses={200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
def export_xlsx(store: StoreDep, filters: FilterDep) -> Response:
    body = leads_xlsx(_export_rows(store, filters))
    return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="leads.xlsx"'})


def document_summary(store: StoreDep, document_id: int | None) -> DocumentSummary | None:
    if document_id is None:
        return None
    try:
        doc = store.get_document(document_id)
    except NotFoundError:
        return None
    return DocumentSummary.model_validate(doc.model_dump(exclude={"text", "attachments"}) | {"id": document_id})


@router.get("/{lead_id}", response_model=LeadDetail, summary="One lead with evidence, source, stage history, audit")
def get_lead(lead_id: int, store: StoreDep) -> LeadDetail:
    lead = store.get_lead(lead_id)
    return LeadDetail(
        lead=lead,
        evidence=lead.evidence,
        document=document_summary(store, lead.document_id),
        stage_history=[StageStep.model_validate(s) for s in store.lead_stage_history(lead_id)],
        events=[ReviewEvent.model_validate(e) for e in store.review_events(lead_id)],
    )
