"""Webhooks: signed review events posted to a real local HTTP receiver, retried with backoff, logged, given up."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.errors import InputError
from core.store import Webhooks
from service.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookDispatcher, verify_signature

pytestmark = pytest.mark.integration  # a real HTTP receiver on loopback


class Receiver:
    """A real HTTP server on loopback that records posts and answers the queued status codes (then 200)."""

    def __init__(self) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.codes: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append(({k: v for k, v in self.headers.items()}, body))
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hooks(store) -> Webhooks:
    return Webhooks(store.db)


def approve(store, lead_id: int) -> None:
    store.set_lead_status(lead_id, "approved", actor="王分析", expected_version=None)


def test_events_arrive_signed_in_order(store, seeded, hooks, receiver, settings):
    first, second = seeded["lead_ids"][:2]
    approve(store, first)  # before the webhook exists: not sent
    hook = hooks.add(receiver.url)
    approve(store, second)
    store.set_lead_status(first, "rejected", actor="李审核", expected_version=None, reason="不是投资项目")
    dispatcher = WebhookDispatcher(hooks, settings)
    try:
        assert dispatcher.deliver_due() == 2
    finally:
        dispatcher.stop()
    payloads = [json.loads(body) for _, body in receiver.posts]
    assert [(p["type"], p["lead_id"], p["actor"]) for p in payloads] == [("lead.approve", second, "王分析"),
                                                                        ("lead.reject", first, "李审核")]
    assert payloads[0]["lead"]["status"] == "approved" and payloads[1]["reason"] == "不是投资项目"
    for headers, body in receiver.posts:
        assert verify_signature(hook.secret, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
        assert not verify_signature("another-secret-value", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
        assert not verify_signature(hook.secret, headers[TIMESTAMP_HEADER], body + b" ", headers[SIGNATURE_HEADER])
    stale = str(int(receiver.posts[0][0][TIMESTAMP_HEADER]) - 3600)
    assert not verify_signature(hook.secret, stale, receiver.posts[0][1], receiver.posts[0][0][SIGNATURE_HEADER])
    assert [d["ok"] for d in hooks.deliveries(hook.id)] == [True, True]
    assert hooks.get(hook.id).last_event_id == payloads[-1]["id"]


def test_failures_back_off_exponentially_then_deliver(store, seeded, hooks, receiver, settings):
    hook = hooks.add(receiver.url)
    approve(store, seeded["lead_ids"][0])
    receiver.codes = [500, 503]
    t0 = dt.datetime(2026, 1, 1, 12, 0, 0)
    dispatcher = WebhookDispatcher(hooks, settings.model_copy(update={"webhook_backoff_seconds": 10.0}))
    try:
        assert dispatcher.deliver_due(now=t0) == 1
        state = hooks.get(hook.id)
        assert state.attempts == 1 and state.next_attempt_at == t0 + dt.timedelta(seconds=10)
        assert dispatcher.deliver_due(now=t0 + dt.timedelta(seconds=5)) == 0  # not due yet
        assert dispatcher.deliver_due(now=t0 + dt.timedelta(seconds=10)) == 1
        assert hooks.get(hook.id).next_attempt_at == t0 + dt.timedelta(seconds=30)  # 10 s, then 20 s
        assert dispatcher.deliver_due(now=t0 + dt.timedelta(seconds=30)) == 1
    finally:
        dispatcher.stop()
    log = list(reversed(hooks.deliveries(hook.id)))
    assert [(d["attempt"], d["ok"], d["status_code"]) for d in log] == [(1, False, 500), (2, False, 503), (3, True, 200)]
    assert len({json.loads(b)["id"] for _, b in receiver.posts}) == 1  # the same event three times
    assert hooks.get(hook.id).attempts == 0 and hooks.get(hook.id).next_attempt_at is None


def test_an_unreachable_endpoint_is_given_up_after_max_attempts(store, seeded, hooks, settings):
    hook = hooks.add("http://127.0.0.1:9/nothing-listens")
    approve(store, seeded["lead_ids"][0])
    approve(store, seeded["lead_ids"][1])
    dispatcher = WebhookDispatcher(hooks, settings.model_copy(update={"webhook_max_attempts": 2}))
    far = dt.datetime(2030, 1, 1)
    try:
        dispatcher.deliver_due(now=far)
        dispatcher.deliver_due(now=far + dt.timedelta(days=1))  # second try of event 1 gives it up, event 2 tried
    finally:
        dispatcher.stop()
    log = list(reversed(hooks.deliveries(hook.id)))
    assert [(d["attempt"], d["ok"], d["gave_up"]) for d in log] == [(1, False, False), (2, False, True), (1, False, False)]
    assert "ConnectError" in log[0]["error"]


def test_action_filter_and_bad_webhooks(store, seeded, hooks, receiver, settings):
    hook = hooks.add(receiver.url, actions=["approve"])
    store.set_lead_status(seeded["lead_ids"][0], "rejected", actor="a", expected_version=None, reason="无关")
    approve(store, seeded["lead_ids"][1])
    dispatcher = WebhookDispatcher(hooks, settings)
    try:
        assert dispatcher.deliver_due() == 1
    finally:
        dispatcher.stop()
    assert [json.loads(b)["type"] for _, b in receiver.posts] == ["lead.approve"]
    assert hooks.get(hook.id).last_event_id == hooks.events_after(0)[-1]["id"]
    for bad in ("ftp://example.com/x", "not a url", "http:///path"):
        with pytest.raises(InputError):
            hooks.add(bad)
    with pytest.raises(InputError):
        hooks.add(receiver.url, actions=["delete"])
    with pytest.raises(InputError):
        hooks.add(receiver.url, secret="short")
