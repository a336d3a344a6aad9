"""Service events: GET /v1/events?after=ID — the platform's feed of review events (approved leads first of all)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from core.errors import InputError
from core.store import Webhooks
from core.store.webhooks import EVENT_ACTIONS
from service.auth import Platform
from service.deps import StoreDep
from service.errors import ERROR_RESPONSES
from service.responses import EventOut, EventPage

router = APIRouter(prefix="/v1", tags=["events"], responses=ERROR_RESPONSES, dependencies=[Platform])


@router.get("/events", response_model=EventPage, summary="Review events after an id, oldest first (poll with next_after)")
def list_events(
    store: StoreDep,
    after: Annotated[int, Query(ge=0, description="Last event id you have; 0 for the start.")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    action: Annotated[list[str] | None, Query(description="Only these actions, e.g. action=approve.")] = None,
) -> EventPage:
    actions = [a.strip() for a in action or [] if a.strip()]
    unknown = set(actions) - set(EVENT_ACTIONS)
    if unknown:
        raise InputError(f"unknown action(s) {sorted(unknown)}; choose from {', '.join(EVENT_ACTIONS)}")
    events = Webhooks(store.db).events_after(after, limit=limit, actions=actions or None)
    items = [EventOut.model_validate(e | {"type": f"lead.{e['action']}"}) for e in events]
    return EventPage(items=items, next_after=items[-1].id if items else after)
