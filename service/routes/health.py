"""Service health: liveness and readiness (store migrated, policy index size, model name)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from core.errors import StoreError
from core.store.db import is_migrated
from service.deps import ServicesDep, UnavailableExtractor
from service.responses import ComponentState, Liveness, PolicyIndexState, Readiness

router = APIRouter(tags=["health"])


def _index_size(search: Any) -> int | None:
    for attr in ("size", "count", "__len__"):
        value = getattr(search, attr, None)
        if callable(value):
            try:
                value = value()
            except TypeError:
                continue
        if isinstance(value, int):
            return value
    return None


def _model_name(services: ServicesDep) -> str | None:
    embedder = services.embedder
    if embedder is None:
        return None
    for attr in ("name", "model_name"):
        value = getattr(embedder, attr, None)
        if isinstance(value, str) and value:
            return value
    return type(embedder).__name__


@router.get("/healthz", response_model=Liveness, summary="Liveness: the process answers")
def healthz() -> Liveness:
    return Liveness()


@router.get("/readyz", response_model=Readiness, summary="Readiness: store migrated, policy index, model",
            responses={503: {"model": Readiness, "description": "The store is not reachable or not migrated"}})
def readyz(services: ServicesDep) -> JSONResponse:
    counts: dict[str, int] = {}
    try:
        migrated = is_migrated(services.store.db.engine)
        counts = services.store.counts() if migrated else {}
        store = ComponentState(ok=migrated, detail=None if migrated else "the store is not migrated")
    except StoreError as exc:
        store = ComponentState(ok=False, detail=str(exc))
    if services.policy_search is not None:
        index = PolicyIndexState(loaded=True, size=_index_size(services.policy_search))
    else:
        index = PolicyIndexState(loaded=False, detail=services.problems.get("policy_index", "no policy index loaded"))
    if isinstance(services.extractor, UnavailableExtractor):
        extractor = ComponentState(ok=False, detail=services.extractor.reason)
    else:
        extractor = ComponentState(ok=True)
    body = Readiness(ready=store.ok, store=store, policy_index=index, model=_model_name(services),
                     extractor=extractor, counts=counts)
    return JSONResponse(status_code=200 if store.ok else 503, content=body.model_dump(mode="json"))
