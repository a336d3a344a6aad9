"""Service response models: the JSON shapes of the /v1 API (lead fields keep the extract contract's names)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from core.schemas import Clause, Lead, LeadRecord, Policy


class Liveness(BaseModel):
    status: str = "ok"


class ComponentState(BaseModel):
    ok: bool
    detail: str | None = None


class PolicyIndexState(BaseModel):
    loaded: bool
    size: int | None = None
    detail: str | None = None


class Readiness(BaseModel):
    ready: bool
    store: ComponentState
    policy_index: PolicyIndexState
    model: str | None = Field(default=None, description="Embedding model in use, or null when none is loaded.")
    extractor: ComponentState
    counts: dict[str, int] = Field(default_factory=dict)


class LeadPage(BaseModel):
    items: list[LeadRecord]
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page; null at the end.")
    total: int


class DocumentSummary(BaseModel):
    id: int
    url: str
    title: str
    source: str
    kind: str
    publish_date: dt.date | None = None
    issuer: str | None = None
    doc_number: str | None = None
    fetched_at: dt.datetime


class StageStep(BaseModel):
    stage: str
    document_id: int | None = None
    event_date: dt.date | None = None
    evidence: str


class ReviewEvent(BaseModel):
    id: int
    lead_id: int | None
    actor: str
    action: str
    reason: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    at: dt.datetime


class LeadDetail(BaseModel):
    lead: LeadRecord
    evidence: str
    document: DocumentSummary | None = None
    stage_history: list[StageStep]
    events: list[ReviewEvent]


class ExtractRequest(BaseModel):
    text: str
    publish_date: dt.date | None = None


class ExtractResponse(BaseModel):
    leads: list[Lead]


class DocumentPage(BaseModel):
    items: list[DocumentSummary]
    next_offset: int | None = None
    total: int


class DocumentDetail(BaseModel):
    document: dict[str, Any]
    leads: list[LeadRecord]


class SourceInfo(BaseModel):
    name: str
    region: str | None = None
    region_code: str | None = None
    kind: str
    start_urls: list[str] = Field(default_factory=list)
    documents: int = 0


class ApproveRequest(BaseModel):
    version: int = Field(ge=1, description="The version you reviewed; a newer one in the store answers 409.")


class RejectRequest(ApproveRequest):
    reason: str = Field(min_length=1, max_length=2000)


class EditRequest(ApproveRequest):
    changes: dict[str, Any] = Field(min_length=1, description="Lead fields to correct, e.g. {\"stage\": \"签约\"}.")


class MergeRequest(ApproveRequest):
    duplicate_ids: list[int] = Field(min_length=1, max_length=100)


class RegionInfo(BaseModel):
    code: str
    name: str
    level: str
    parent: str | None = None
    has_children: bool = False


class PolicySearchRequest(BaseModel):
    q: str = Field(min_length=1, max_length=2000)
    region: str | None = Field(default=None, description="Region name or 6-digit code where the investor is.")
    industry: str | None = None
    top: int = Field(default=10, ge=1, le=100)
    include_expired: bool = False


class ConditionOut(BaseModel):
    """One eligibility threshold of a matched policy (投资额不低于X亿元 …) and whether it is met."""

    kind: str
    text: str = Field(description="The words that state it, e.g. 总投资达到3000万元以上.")
    status: str = Field(description="satisfied | not_satisfied | unknown")
    operator: str | None = None
    value: float | None = None
    unit: str | None = None
    stated: float | None = Field(default=None, description="The query's or lead's value compared with the threshold.")


class PolicyMatchOut(BaseModel):
    policy_id: str
    score: float
    title: str
    matched_clause: str | None = None
    issuer_region: str | None = None
    region_code: str | None = None
    publish_date: dt.date | None = None
    expiry_date: dt.date | None = None
    valid: bool | None = Field(default=None, description="False when the policy has expired.")
    matched_clauses: list[str] = Field(default_factory=list)
    applicability: str | None = None
    conditions: list[ConditionOut] = Field(
        default_factory=list, description="Eligibility thresholds of the policy checked against what the query or "
        "lead states: satisfied | not_satisfied | unknown (empty when the search does not check conditions).")


class PolicySearchResponse(BaseModel):
    query: str
    region_code: str | None = None
    results: list[PolicyMatchOut]


class PolicyDetail(BaseModel):
    policy: Policy
    clauses: list[Clause]
    valid: bool | None = None
    region_path: list[str] = Field(default_factory=list)


class MatchRequest(BaseModel):
    """Either a stored lead or a free text (with an optional region); not both."""

    lead_id: int | None = Field(default=None, ge=1)
    text: str | None = Field(default=None, max_length=20_000)
    region: str | None = Field(default=None, description="Region name or 6-digit code (text only).")
    top: int = Field(default=10, ge=1, le=50)


class IndustryScoreOut(BaseModel):
    code: str
    name: str
    score: float
    keyword_hits: list[str] = Field(default_factory=list)


class TaxonomyMatch(BaseModel):
    taxonomy: str
    best: IndustryScoreOut | None = Field(description="The label above the taxonomy's threshold, or null (其他).")
    top: list[IndustryScoreOut] = Field(default_factory=list, description="The three best labels, best first.")


class MatchResponse(BaseModel):
    lead_id: int | None = None
    query: str = Field(description="The text that was matched (for a lead: its project, industry and evidence).")
    region_code: str | None = None
    industries: list[TaxonomyMatch]
    policies: list[PolicyMatchOut]


class EventOut(ReviewEvent):
    type: str = Field(description="lead.approve | lead.reject | lead.edit | lead.merge | lead.undo | lead.reopen ...")


class EventPage(BaseModel):
    items: list[EventOut]
    next_after: int = Field(description="Pass as `after` to poll for newer events.")
