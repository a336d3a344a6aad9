"""Service webhooks: post review events to platform endpoints, signed with HMAC-SHA256, retried with backoff.

Each webhook has a cursor in the review-event feed and gets events in id order, one at a time: a failure
(network error or non-2xx) is logged and retried after ``backoff * 2**(attempt-1)`` seconds; after
``webhook_max_attempts`` the event is given up (logged with gave_up) and the next one follows.

Every request carries ``X-Zhaoshang-Event`` (lead.approve ...), ``X-Zhaoshang-Event-Id``,
``X-Zhaoshang-Timestamp`` (unix seconds) and ``X-Zhaoshang-Signature: sha256=HEX`` where HEX is
``HMAC-SHA256(secret, f"{timestamp}." + body)``. Receivers recompute it with ``verify_signature``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from core.config import Settings
from core.errors import StoreError
from core.store import Webhook, Webhooks
from core.store.tables import utcnow

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Zhaoshang-Signature"
TIMESTAMP_HEADER = "X-Zhaoshang-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, timestamp: str, body: bytes, signature: str, *, max_age_s: float = 300,
                     now: float | None = None) -> bool:
    """For receivers: the signature matches and the timestamp is fresh (replays are refused)."""
    if not timestamp.isdigit() or abs((now or time.time()) - int(timestamp)) > max_age_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def event_payload(event: dict[str, Any]) -> bytes:
    body = {"id": event["id"], "type": f"lead.{event['action']}", "lead_id": event["lead_id"],
            "actor": event["actor"], "action": event["action"], "reason": event["reason"],
            "at": event["at"], "lead": event["after"], "before": event["before"]}
    return json.dumps(body, ensure_ascii=False, default=str, sort_keys=True).encode()


class WebhookDispatcher:
    """One ``deliver_due()`` pass posts what is due to every active webhook; ``start()`` runs passes in a thread."""

    def __init__(self, webhooks: Webhooks, settings: Settings, *, client: httpx.Client | None = None,
                 clock: Callable[[], dt.datetime] = utcnow, batch: int = 50) -> None:
        self.webhooks, self.settings, self.clock, self.batch = webhooks, settings, clock, batch
        self.client = client or httpx.Client(timeout=settings.webhook_timeout_seconds, follow_redirects=False)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _post(self, hook: Webhook, event: dict[str, Any]) -> tuple[bool, int | None, str | None, float]:
        body = event_payload(event)
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "zhaoshang-webhooks/1",
                   "X-Zhaoshang-Event": f"lead.{event['action']}", "X-Zhaoshang-Event-Id": str(event["id"]),
                   TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: sign(hook.secret, stamp, body)}
        started = time.perf_counter()
        try:
            response = self.client.post(hook.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return False, None, f"{exc.__class__.__name__}: {exc}", (time.perf_counter() - started) * 1000
        ms = (time.perf_counter() - started) * 1000
        ok = 200 <= response.status_code < 300
        return ok, response.status_code, None if ok else f"HTTP {response.status_code}", ms

    def deliver_due(self, now: dt.datetime | None = None) -> int:
        """Deliver due events; returns the number of attempts made."""
        now = now or self.clock()
        attempts = 0
        for hook in self.webhooks.list_all(active_only=True):
            if hook.next_attempt_at is not None and hook.next_attempt_at > now:
                continue
            for event in self.webhooks.events_after(hook.last_event_id, limit=self.batch):
                if hook.actions and event["action"] not in hook.actions:
                    self.webhooks.skip_to(hook.id, event["id"])
                    continue
                ok, status, error, ms = self._post(hook, event)
                attempts += 1
                hook = self.webhooks.record_attempt(
                    hook.id, event["id"], ok=ok, status_code=status, error=error, duration_ms=ms,
                    max_attempts=self.settings.webhook_max_attempts,
                    backoff_seconds=self.settings.webhook_backoff_seconds, now=now)
                if not ok:
                    log.warning("webhook %s: event %s failed (%s)", hook.id, event["id"], error)
                    if hook.next_attempt_at is not None:
                        break  # backing off; a given-up event lets the next one through
        return attempts

    def start(self) -> None:
        if self._thread is not None or self.settings.webhook_poll_seconds <= 0:
            return
        self._thread = threading.Thread(target=self._loop, name="zhaoshang-webhooks", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.settings.webhook_poll_seconds):
            try:
                self.deliver_due()
            except StoreError as exc:
                log.warning("webhook delivery pass failed: %s", exc)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.client.close()
