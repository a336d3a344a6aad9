"""Store contract for API keys and webhooks (migration 0002): the same behaviour on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import NotFoundError
from core.store import ApiKeys, Store, Webhooks
from tests.integration.test_store_contract import make_doc, make_lead

pytestmark = pytest.mark.integration


def test_keys_create_verify_revoke(store: Store) -> None:
    keys = ApiKeys(store.db)
    assert keys.count() == 0
    info, raw = keys.create("王分析", "analyst")
    assert keys.verify(raw).name == "王分析" and keys.get(info.key_id).last_used_at is not None
    assert keys.verify(raw[:-2] + "zz") is None
    keys.revoke(info.key_id)
    assert keys.verify(raw) is None and keys.secret_hash(info.key_id) is None
    assert keys.count() == 1 and keys.count(active_only=True) == 0
    assert [k.active for k in keys.list_all()] == [False]
    with pytest.raises(NotFoundError):
        keys.get("000000000000")


def test_webhook_cursor_retry_and_log(store: Store) -> None:
    doc_id, _ = store.save_document(make_doc("http://x/1"))
    lead_id = store.replace_document_leads(doc_id, [make_lead()])[0]
    hooks = Webhooks(store.db)
    store.set_lead_status(lead_id, "approved", actor="a", expected_version=None)
    hook = hooks.add("https://platform.example/hook")
    assert hooks.events_after(hook.last_event_id) == []
    assert len(hooks.add("https://platform.example/all", from_start=True).secret) >= 32
    store.set_lead_status(lead_id, "rejected", actor="b", expected_version=None, reason="无关")
    event = hooks.events_after(hook.last_event_id)[0]
    assert (event["action"], event["actor"], event["reason"]) == ("reject", "b", "无关")
    now = dt.datetime(2026, 1, 1)
    state = hooks.record_attempt(hook.id, event["id"], ok=False, status_code=500, error="HTTP 500", duration_ms=3.0,
                                 max_attempts=3, backoff_seconds=1.0, now=now)
    assert state.attempts == 1 and state.next_attempt_at == now + dt.timedelta(seconds=1)
    state = hooks.record_attempt(hook.id, event["id"], ok=True, status_code=200, error=None, duration_ms=2.0,
                                 max_attempts=3, backoff_seconds=1.0, now=now)
    assert state.last_event_id == event["id"] and state.attempts == 0
    assert [d["ok"] for d in hooks.deliveries(hook.id)] == [True, False]
    hooks.remove(hook.id)
    assert hooks.deliveries(hook.id) == [] and len(hooks.list_all()) == 1
