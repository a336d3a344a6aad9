"""Service documents API: stored pages (summaries, one with its leads) and the crawl sources."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from core.store import LeadFilter
from service.auth import Platform
from service.deps import StoreDep
from service.errors import ERROR_RESPONSES
from service.responses import DocumentDetail, DocumentPage, DocumentSummary, SourceInfo

router = APIRouter(prefix="/v1", tags=["documents"], responses=ERROR_RESPONSES, dependencies=[Platform])


@router.get("/documents", response_model=DocumentPage, summary="List stored documents")
def list_documents(
    store: StoreDep,
    kind: Literal["news", "policy"] | None = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DocumentPage:
    docs = store.list_documents(kind=kind, source=source, limit=limit + 1, offset=offset)
    more = len(docs) > limit
    items = [DocumentSummary.model_validate(d.model_dump(exclude={"text", "attachments"})) for d in docs[:limit]]
    total = store.count_documents(kind=kind) if not source else offset + len(docs)
    return DocumentPage(items=items, next_offset=offset + limit if more else None, total=total)


@router.get("/documents/{document_id}", response_model=DocumentDetail, summary="One document with its text and leads")
def get_document(document_id: int, store: StoreDep) -> DocumentDetail:
    doc = store.get_document(document_id)
    leads = store.list_leads(LeadFilter(document_id=document_id), limit=500)
    return DocumentDetail(document=doc.model_dump(mode="json"), leads=leads)


@router.get("/sources", response_model=list[SourceInfo], summary="Crawl sources with their document counts")
def list_sources(store: StoreDep) -> list[SourceInfo]:
    return [SourceInfo.model_validate(s) for s in store.list_sources()]
