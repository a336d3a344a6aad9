"""Service policies API: hybrid policy search for a query and region, one policy with its clauses, regions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from core.errors import ModelError, NotFoundError
from core.schemas import Policy
from core.store import Store
from service.auth import RateLimited
from service.deps import RegionsDep, Services, ServicesDep, StoreDep
from service.errors import ERROR_RESPONSES
from service.responses import (
    ConditionOut,
    PolicyDetail,
    PolicyMatchOut,
    PolicySearchRequest,
    PolicySearchResponse,
    RegionInfo,
)

router = APIRouter(prefix="/v1", tags=["policies"], responses=ERROR_RESPONSES)


def _as_dict(match: Any) -> dict[str, Any]:
    if isinstance(match, dict):
        return dict(match)
    if hasattr(match, "model_dump"):
        return dict(match.model_dump())
    if dataclasses.is_dataclass(match) and not isinstance(match, type):
        return {f.name: getattr(match, f.name) for f in dataclasses.fields(match)}
    return {k: v for k, v in vars(match).items() if not k.startswith("_")}


def _clause_text(clause: Any) -> str:
    if isinstance(clause, str):
        return clause
    if isinstance(clause, dict):
        return str(clause.get("text", ""))
    return str(getattr(clause, "text", clause))


def is_valid(expiry: dt.date | None, today: dt.date | None = None) -> bool | None:
    if expiry is None:
        return None
    return expiry >= (today or dt.date.today())


def conditions_out(match: Any) -> list[ConditionOut]:
    """The match's ``conditions`` (models.conditions.ConditionCheck or alike) when it has any; [] otherwise."""
    raw = match.get("conditions") if isinstance(match, dict) else getattr(match, "conditions", None)
    out: list[ConditionOut] = []
    for item in raw or []:
        data = _as_dict(item)
        cond = data.get("condition")
        cond = _as_dict(cond) if cond is not None else data
        status = str(data.get("status") or "unknown")
        value, stated = cond.get("value"), data.get("stated")
        out.append(ConditionOut(
            kind=str(cond.get("kind") or "other"), text=str(cond.get("text") or ""),
            status=status if status in ("satisfied", "not_satisfied", "unknown") else "unknown",
            operator=cond.get("operator"), unit=cond.get("unit"),
            value=float(value) if isinstance(value, int | float) else None,
            stated=float(stated) if isinstance(stated, int | float) else None))
    return out


def match_out(match: Any, store: Store) -> PolicyMatchOut:
    """A PolicyMatch (whatever its exact class) as the API shape, details filled in from the store."""
    data = _as_dict(match)
    detail = data.pop("detail", None)
    if detail is not None:
        data = _as_dict(detail) | {k: v for k, v in data.items() if v is not None}
    policy: Policy | None = None
    try:
        policy = store.get_policy(str(data["policy_id"]))
    except NotFoundError:
        policy = None
    clauses = data.get("matched_clauses") or data.get("clauses") or []
    matched_clause = data.get("matched_clause")
    texts = [t for t in (_clause_text(c) for c in clauses) if t]
    if matched_clause is not None and not isinstance(matched_clause, str):
        matched_clause = _clause_text(matched_clause)
    if not texts and matched_clause:
        texts = [matched_clause]
    expiry = data.get("expiry_date") or (policy.expiry_date if policy else None)
    valid = data.get("valid")
    if valid is None and data.get("expired") is not None:
        valid = not data["expired"]
    if valid is None:
        valid = is_valid(expiry)
    applicability = data.get("applicability")
    if applicability is not None and not isinstance(applicability, str):
        applicability = str(applicability)
    return PolicyMatchOut(
        policy_id=str(data["policy_id"]),
        score=float(data.get("score", 0.0)),
        title=str(data.get("title") or (policy.title if policy else data["policy_id"])),
        matched_clause=matched_clause,
        issuer_region=data.get("issuer_region") or (policy.issuer_region if policy else None),
        region_code=data.get("region_code") or (policy.region_code if policy else None),
        publish_date=data.get("publish_date") or (policy.publish_date if policy else None),
        expiry_date=expiry,
        valid=valid,
        matched_clauses=texts,
        applicability=applicability,
        conditions=conditions_out(match),
    )


def run_policy_search(services: Services, req: PolicySearchRequest) -> PolicySearchResponse:
    """Shared by the JSON API and the investor page."""
    region_code = services.regions.resolve(req.region).code if req.region and req.region.strip() else None
    if services.policy_search is None:
        why = services.problems.get("policy_index", "the policy index is not loaded")
        raise ModelError(f"policy search is unavailable: {why}")
    matches = services.policy_search.search(req.q.strip(), region=region_code, top=req.top,
                                            industry=req.industry or None, include_expired=req.include_expired)
    return PolicySearchResponse(query=req.q, region_code=region_code,
                                results=[match_out(m, services.store) for m in matches])


@router.get("/policies/search", response_model=PolicySearchResponse, summary="Search policies for an investor (public, rate limited)",
            dependencies=[RateLimited])
def search_get(
    services: ServicesDep,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="What the investor plans, in words.")],
    region: Annotated[str | None, Query(description="Region name or 6-digit code.")] = None,
    industry: str | None = None,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    include_expired: bool = False,
) -> PolicySearchResponse:
    req = PolicySearchRequest(q=q, region=region, industry=industry, top=top, include_expired=include_expired)
    return run_policy_search(services, req)


@router.post("/policies/search", response_model=PolicySearchResponse, summary="Search policies (JSON body; public, rate limited)",
             dependencies=[RateLimited])
def search_post(body: PolicySearchRequest, services: ServicesDep) -> PolicySearchResponse:
    return run_policy_search(services, body)


@router.get("/policies/{policy_id}", response_model=PolicyDetail, summary="One policy with its clauses")
def get_policy(policy_id: str, store: StoreDep, regions: RegionsDep) -> PolicyDetail:
    policy = store.get_policy(policy_id)
    path = regions.path(policy.region_code) if policy.region_code else []
    return PolicyDetail(policy=policy, clauses=policy.clauses, valid=is_valid(policy.expiry_date), region_path=path)


@router.get("/regions", response_model=list[RegionInfo], summary="Sub-regions of a region (provinces by default)")
def list_regions(services: ServicesDep,
                 parent: Annotated[str | None, Query(description="Parent code; omit for provinces.")] = None
                 ) -> list[RegionInfo]:
    code = services.regions.resolve(parent).code if parent and parent.strip() else None
    return [
        RegionInfo(code=r.code, name=r.name, level=r.level, parent=r.parent,
                   has_children=bool(services.region_children(r.code)))
        for r in services.region_children(code)
    ]
