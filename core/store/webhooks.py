"""Store webhooks: platform endpoints, their cursor in the review-event feed, retry state and the delivery log."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from core.errors import InputError
from core.store.base import get_row
from core.store.db import Database
from core.store.tables import ReviewEventRow, WebhookDeliveryRow, WebhookRow, utcnow

EVENT_ACTIONS: tuple[str, ...] = ("approve", "reject", "edit", "merge", "undo", "reopen")


@dataclass(frozen=True)
class Webhook:
    id: int
    url: str
    secret: str
    actions: list[str]
    active: bool
    last_event_id: int
    attempts: int
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime


def _hook(row: WebhookRow) -> Webhook:
    return Webhook(id=row.id, url=row.url, secret=row.secret, actions=list(row.actions or []), active=row.active,
                   last_event_id=row.last_event_id, attempts=row.attempts, next_attempt_at=row.next_attempt_at,
                   created_at=row.created_at)


def event_dict(e: ReviewEventRow) -> dict[str, Any]:
    return {"id": e.id, "lead_id": e.lead_id, "actor": e.actor, "action": e.action, "reason": e.reason,
            "before": e.before, "after": e.after, "at": e.at}


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise InputError(f"a webhook needs an http(s) URL, got {url[:100]!r}")
    return url


class Webhooks:
    """Repository of webhooks over a ``Database`` (``Webhooks(store.db)``)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, url: str, *, actions: list[str] | None = None, secret: str | None = None,
            from_start: bool = False) -> Webhook:
        """Register an endpoint; it receives events newer than now (or all of them with ``from_start``)."""
        actions = sorted(set(actions or []))
        unknown = set(actions) - set(EVENT_ACTIONS)
        if unknown:
            raise InputError(f"unknown event actions {sorted(unknown)}; choose from {', '.join(EVENT_ACTIONS)}")
        secret = secret or secrets.token_urlsafe(32)
        if len(secret) < 16 or len(secret) > 200:
            raise InputError("a webhook secret needs 16–200 characters")
        with self.db.session() as s:
            start = 0 if from_start else int(s.scalar(select(ReviewEventRow.id).order_by(ReviewEventRow.id.desc())
                                                      .limit(1)) or 0)
            row = WebhookRow(url=check_url(url), secret=secret, actions=actions, active=True, last_event_id=start,
                             attempts=0)
            s.add(row)
            s.flush()
            return _hook(row)

    def list_all(self, *, active_only: bool = False) -> list[Webhook]:
        with self.db.session() as s:
            stmt = select(WebhookRow).order_by(WebhookRow.id)
            if active_only:
                stmt = stmt.where(WebhookRow.active.is_(True))
            return [_hook(r) for r in s.scalars(stmt).all()]

    def get(self, webhook_id: int) -> Webhook:
        with self.db.session() as s:
            row = get_row(s, WebhookRow, webhook_id, f"no webhook {webhook_id}")
            return _hook(row)

    def set_active(self, webhook_id: int, active: bool) -> Webhook:
        with self.db.session() as s:
            row = get_row(s, WebhookRow, webhook_id, f"no webhook {webhook_id}")
            row.active = active
            return _hook(row)

    def remove(self, webhook_id: int) -> None:
        with self.db.session() as s:
            row = get_row(s, WebhookRow, webhook_id, f"no webhook {webhook_id}")
            s.delete(row)

    def events_after(self, after_id: int, *, limit: int = 100, actions: list[str] | None = None) -> list[dict[str, Any]]:
        """Review events with id > ``after_id``, oldest first (the platform's feed)."""
        with self.db.session() as s:
            stmt = select(ReviewEventRow).where(ReviewEventRow.id > after_id).order_by(ReviewEventRow.id).limit(limit)
            if actions:
                stmt = stmt.where(ReviewEventRow.action.in_(actions))
            return [event_dict(e) for e in s.scalars(stmt).all()]

    def record_attempt(self, webhook_id: int, event_id: int, *, ok: bool, status_code: int | None,
                       error: str | None, duration_ms: float, max_attempts: int, backoff_seconds: float,
                       now: dt.datetime | None = None) -> Webhook:
        """Log one attempt; on success (or the last failure) move the cursor past the event, else back off."""
        now = now or utcnow()
        with self.db.session() as s:
            row = get_row(s, WebhookRow, webhook_id, f"no webhook {webhook_id}")
            attempt = row.attempts + 1
            gave_up = not ok and attempt >= max_attempts
            s.add(WebhookDeliveryRow(webhook_id=webhook_id, event_id=event_id, attempt=attempt, ok=ok,
                                     status_code=status_code, error=(error or None) and error[:2000],
                                     gave_up=gave_up, duration_ms=duration_ms, at=now))
            if ok or gave_up:
                row.last_event_id, row.attempts, row.next_attempt_at = max(row.last_event_id, event_id), 0, None
            else:
                row.attempts = attempt
                row.next_attempt_at = now + dt.timedelta(seconds=backoff_seconds * 2 ** (attempt - 1))
            return _hook(row)

    def skip_to(self, webhook_id: int, event_id: int) -> None:
        """Move the cursor past events the webhook does not subscribe to."""
        with self.db.session() as s:
            row = s.get(WebhookRow, webhook_id)
            if row is not None and event_id > row.last_event_id:
                row.last_event_id = event_id

    def deliveries(self, webhook_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The delivery log, newest first."""
        with self.db.session() as s:
            stmt = select(WebhookDeliveryRow).order_by(WebhookDeliveryRow.id.desc()).limit(limit)
            if webhook_id is not None:
                stmt = stmt.where(WebhookDeliveryRow.webhook_id == webhook_id)
            return [{"id": d.id, "webhook_id": d.webhook_id, "event_id": d.event_id, "attempt": d.attempt, "ok": d.ok,
                     "status_code": d.status_code, "error": d.error, "gave_up": d.gave_up,
                     "duration_ms": d.duration_ms, "at": d.at} for d in s.scalars(stmt).all()]
