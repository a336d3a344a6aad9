"""Match step, search results: PolicyMatch (what PolicySearch.search returns) and the conditions seam."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from core.schemas import Policy, PolicyHit
from models.conditions import ConditionCheck


class ClauseHit(BaseModel):
    seq: int
    number: str | None
    heading: str | None
    text: str
    score: float


class PolicyMatch(BaseModel):
    """One policy found by PolicySearch.search, best clause first."""

    policy_id: str
    score: float
    title: str
    matched_clause: str | None
    issuer_region: str
    region_code: str | None
    applicable_region: str | None = None
    doc_number: str | None = None
    publish_date: dt.date | None = None
    effective_date: dt.date | None = None
    expiry_date: dt.date | None = None
    valid: bool = Field(description="False when the expiry date has passed.")
    applicability: Literal["full", "partial"]
    matched_clauses: list[ClauseHit] = Field(default_factory=list)
    industry_match: bool | None = None
    conditions: list[ConditionCheck] = Field(
        default_factory=list,
        description="Eligibility thresholds of the policy (投资额不低于X …), each checked against the amounts the "
        "query or lead states: satisfied | not_satisfied | unknown.",
    )

    def to_hit(self) -> PolicyHit:
        return PolicyHit(
            policy_id=self.policy_id, score=self.score, title=self.title, matched_clause=self.matched_clause
        )


class MatchFilter(Protocol):
    """Seam for conditions (投资额不低于X亿元 ...): return the match (possibly changed) or None to drop it."""

    def __call__(self, match: PolicyMatch, policy: Policy) -> PolicyMatch | None: ...


def display_clause(hits: list[ClauseHit], policy: Policy, min_chars: int = 15) -> str | None:
    """The best clause with real content (a bare heading like 财税政策 is skipped when a fuller one matched)."""
    for hit in hits:
        if len(hit.text) >= min_chars:
            return hit.text
    if hits:
        return hits[0].text
    return policy.clauses[0].text if policy.clauses else None
