"""Schemas: the data shapes that flow between crawl, NLP, matching, store and API (pydantic)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Stage = Literal["在谈", "签约", "开工", "投产", "其他"]
"""stage: 在谈 (negotiating) | 签约 (signed) | 开工 (construction started) | 投产 (in production) | 其他"""
STAGES: tuple[str, ...] = ("在谈", "签约", "开工", "投产", "其他")

DocumentKind = Literal["news", "policy"]
ReviewStatus = Literal["new", "approved", "rejected", "merged"]
REVIEW_STATUSES: tuple[str, ...] = ("new", "approved", "rejected", "merged")


def region_prefix(code: str) -> str:
    """The prefix shared by a region and all its descendants: 340000→34, 340800→3408, 340803→340803, 000000→''."""
    from core.errors import InputError

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


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Attachment(_Model):
    """A file linked from a document page (PDF, DOC, DOCX, WPS, XLS...)."""

    url: str
    filename: str | None = None
    kind: str = Field(description="pdf | doc | docx | wps | xls | xlsx | other")
    text: str | None = Field(default=None, description="Extracted text; null when the format is only detected.")
    error: str | None = Field(default=None, description="Why no text could be extracted.")


class Document(_Model):
    """One fetched page (news item or policy document) as stored."""

    id: int | None = None
    url: str
    canonical_url: str
    title: str
    publish_date: dt.date | None = None
    source: str
    kind: DocumentKind = "news"
    text: str
    content_hash: str
    fetched_at: dt.datetime
    issuer: str | None = None
    doc_number: str | None = Field(default=None, description="文号, e.g. 皖政〔2022〕60号")
    attachments: list[Attachment] = Field(default_factory=list)
    story_id: int | None = Field(default=None, description="Near-duplicate group (reposts of one story).")


class Lead(_Model):
    """One investment event, with exactly the field names of the extract contract."""

    org: str | None = Field(default=None, description="Investor: company, fund, university or institute.")
    project: str | None = None
    location: str | None = Field(default=None, description="Place name as normalised, e.g. 安庆市.")
    region_code: str | None = Field(default=None, description="6-digit administrative-division code, e.g. 340800.")
    amount_cny: float | None = Field(default=None, description="Amount in yuan; only for amounts stated in yuan.")
    amount: float | None = Field(default=None, description="Amount in its own currency units (e.g. 5e8 for 5亿美元).")
    currency: str | None = Field(default=None, description="ISO code: CNY, USD, EUR, HKD, JPY...")
    industry: str | None = Field(default=None, description="Name in the active taxonomy, or 其他.")
    stage: Stage = "其他"
    evidence: str = Field(description="The sentence that states the event.")
    confidence: float = Field(ge=0.0, le=1.0)


class LeadRecord(Lead):
    """A lead as stored: the contract fields plus review state."""

    model_config = ConfigDict(extra="ignore")

    id: int
    document_id: int | None = None
    status: ReviewStatus = "new"
    version: int = 1
    event_date: dt.date | None = None
    merged_into: int | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


class ExtractInput(_Model):
    """One line of ``zhaoshang extract --input``."""

    model_config = ConfigDict(extra="ignore")

    id: str
    text: str
    publish_date: dt.date | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_to_str(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class ExtractOutput(_Model):
    id: str
    leads: list[Lead]


class Clause(_Model):
    """One numbered clause of a policy (第X条, 一、, （一）, 1.)."""

    policy_id: str
    seq: int = Field(description="Position in the policy, from 0.")
    number: str | None = Field(default=None, description="The clause marker as written, e.g. 第三条 or （二）.")
    heading: str | None = None
    text: str


class PolicyInput(_Model):
    """One line of ``zhaoshang policies import``."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    issuer_region: str = Field(min_length=1)
    publish_date: dt.date | None = None
    text: str = Field(min_length=1)
    source_url: str | None = None
    applicable_region: str | None = None


class Policy(PolicyInput):
    """A policy as stored, with what parsing found."""

    region_code: str | None = Field(default=None, description="Issuing region's code; 000000 for national.")
    doc_number: str | None = None
    issuer: str | None = None
    effective_date: dt.date | None = None
    expiry_date: dt.date | None = None
    clauses: list[Clause] = Field(default_factory=list)


class PolicyQuery(_Model):
    """One line of ``zhaoshang policies search --input``."""

    model_config = ConfigDict(extra="ignore")

    id: str
    query: str = Field(min_length=1)
    region: str | None = None


class PolicyHit(_Model):
    policy_id: str
    score: float
    title: str
    matched_clause: str | None


class PolicySearchResult(_Model):
    id: str
    results: list[PolicyHit]
