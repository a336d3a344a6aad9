"""Service match: POST /v1/match puts a lead (or a text) into every industry taxonomy and finds applicable policies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from core.errors import InputError, ModelError
from core.schemas import LeadRecord
from service.auth import Platform
from service.deps import Services, ServicesDep
from service.errors import ERROR_RESPONSES
from service.responses import IndustryScoreOut, MatchRequest, MatchResponse, TaxonomyMatch
from service.routes.policies import match_out

router = APIRouter(prefix="/v1", tags=["match"], responses=ERROR_RESPONSES, dependencies=[Platform])


def lead_query(lead: LeadRecord) -> str:
    """What a lead is about, for matching: its project, industry and evidence sentence (org names add noise)."""
    parts = [lead.project, lead.industry if lead.industry and lead.industry != "其他" else None, lead.evidence]
    return "；".join(p.strip() for p in parts if p and p.strip())


def _score(item: Any) -> IndustryScoreOut:
    return IndustryScoreOut(code=str(item.code), name=str(item.name), score=float(item.score),
                            keyword_hits=[str(k) for k in getattr(item, "keyword_hits", ())])


def classify_everywhere(services: Services, text: str) -> list[TaxonomyMatch]:
    """Best label and top three in each taxonomy (models.industries matchers, one per taxonomy)."""
    out = []
    for matcher in services.taxonomy_matchers():
        best = matcher.best_score(text)
        top = matcher.classify(text, top=3)
        out.append(TaxonomyMatch(taxonomy=str(matcher.taxonomy.name), best=_score(best) if best else None,
                                 top=[_score(t) for t in top]))
    return out


@router.post("/match", response_model=MatchResponse, summary="Industries in every taxonomy and applicable policies")
def match(body: MatchRequest, services: ServicesDep) -> MatchResponse:
    has_text = body.text is not None and bool(body.text.strip())
    if (body.lead_id is None) == (not has_text):
        raise InputError('send either {"lead_id": N} or {"text": "..."} (not both, not neither)')
    region_code: str | None
    if body.lead_id is not None:
        if body.region:
            raise InputError("region goes with text; a lead's own region code is used")
        lead = services.store.get_lead(body.lead_id)
        query, region_code = lead_query(lead), lead.region_code
    else:
        query = (body.text or "").strip()
        region_code = services.regions.resolve(body.region).code if body.region and body.region.strip() else None
    industries = classify_everywhere(services, query)
    if services.policy_search is None:
        why = services.problems.get("policy_index", "the policy index is not loaded")
        raise ModelError(f"policy matching is unavailable: {why}")
    matches = services.policy_search.search(query, region=region_code, top=body.top)
    return MatchResponse(lead_id=body.lead_id, query=query, region_code=region_code, industries=industries,
                         policies=[match_out(m, services.store) for m in matches])


@router.get("/policies/{policy_id}/industries", response_model=list[TaxonomyMatch],
            summary="A policy's best industry in every taxonomy, with scores")
def policy_industries(policy_id: str, services: ServicesDep) -> list[TaxonomyMatch]:
    policy = services.store.get_policy(policy_id)
    return classify_everywhere(services, policy_query(policy.title, [c.text for c in policy.clauses] or [policy.text]))


def policy_query(title: str, clauses: list[str], limit: int = 2000) -> str:
    """What a policy is about, for classification: its title, then its clauses up to ``limit`` characters."""
    return "；".join([title, *clauses])[:limit]
