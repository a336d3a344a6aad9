"""Auth: roles on every endpoint, actor = key name, dev mode on loopback only, sessions, CORS, stored hashes."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from core.errors import InputError, NotFoundError
from core.store import ApiKeys
from core.store.tables import ApiKeyRow
from service.app import create_app
from service.auth import SESSION_COOKIE
from tests.unit.service.conftest import bearer


def test_without_keys_loopback_has_open_access_and_others_get_401(settings, services):
    with TestClient(create_app(settings, services)) as local:
        assert local.get("/v1/leads").status_code == 200
        assert "open access on loopback only" in local.get("/policies").text
    with TestClient(create_app(settings, services), client=("203.0.113.7", 4000)) as remote:
        response = remote.get("/v1/leads")
        assert response.status_code == 401
        assert "loopback" in response.json()["error"]["message"]
        assert remote.get("/v1/policies/search", params={"q": "新能源"}).status_code == 200  # public
        assert remote.get("/healthz").status_code == 200


def test_dev_mode_can_be_switched_off(settings, services):
    closed = settings.model_copy(update={"dev_open_access": False})
    with TestClient(create_app(closed, services)) as local:
        assert local.get("/v1/leads").status_code == 401
        assert "open access" not in local.get("/policies").text


ENDPOINTS = [
    ("get", "/v1/leads", None, "platform"),
    ("get", "/v1/leads/export.csv", None, "platform"),
    ("get", "/v1/documents", None, "platform"),
    ("get", "/v1/sources", None, "platform"),
    ("get", "/v1/events", None, "platform"),
    ("post", "/v1/extract", {"text": "合肥市签约新能源项目。"}, "platform"),
    ("post", "/v1/match", {"text": "合肥 新能源汽车 工厂"}, "platform"),
]


@pytest.mark.parametrize(("method", "path", "body", "needs"), ENDPOINTS)
def test_every_api_endpoint_checks_the_role(client, api_keys, method, path, body, needs):
    kwargs = {"json": body} if body is not None else {}
    assert getattr(client, method)(path, **kwargs).status_code == 401
    assert getattr(client, method)(path, headers=bearer("zs_000000000000_" + "x" * 43), **kwargs).status_code == 401
    weak = getattr(client, method)(path, headers=bearer(api_keys["public"]), **kwargs)
    assert weak.status_code == 403 and "platform role" in weak.json()["error"]["message"]
    ok = getattr(client, method)(path, headers={"X-API-Key": api_keys[needs]}, **kwargs)
    assert ok.status_code not in (401, 403), ok.text


def test_review_needs_an_analyst_and_the_actor_is_the_key_name(client, api_keys, seeded, store):
    lead_id = seeded["lead_ids"][0]
    refused = client.post(f"/v1/leads/{lead_id}/approve", json={"version": 1}, headers=bearer(api_keys["platform"]))
    assert refused.status_code == 403
    headers = bearer(api_keys["analyst"]) | {"X-Actor": "impostor"}  # ignored once keys exist
    done = client.post(f"/v1/leads/{lead_id}/approve", json={"version": 1}, headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert store.review_events(lead_id)[0]["actor"] == "王分析"
    admin = client.post(f"/v1/leads/{lead_id}/undo", json={"version": 2}, headers=bearer(api_keys["admin"]))
    assert admin.status_code == 200 and store.review_events(lead_id)[0]["actor"] == "管理员"


def test_public_endpoints_stay_open_with_keys(client, api_keys):
    assert client.get("/healthz").status_code == 200
    assert client.get("/v1/policies/search", params={"q": "新能源汽车研发补助"}).status_code == 200
    assert client.get("/v1/regions").status_code == 200
    assert client.get("/policies", params={"q": "新能源补助"}).status_code == 200
    assert client.get("/v1/policies/search", params={"q": "x"}, headers=bearer("zs_bad")).status_code == 401


def test_revoked_key_is_refused(client, api_keys, store):
    assert client.get("/v1/leads", headers=bearer(api_keys["platform"])).status_code == 200
    key_id = api_keys["platform"].split("_")[1]
    ApiKeys(store.db).revoke(key_id)
    client.app.state.auth.forget()  # the in-process cache would otherwise keep it for 10 s
    assert client.get("/v1/leads", headers=bearer(api_keys["platform"])).status_code == 401


def test_keys_are_stored_as_salted_hashes(store):
    repo = ApiKeys(store.db)
    info, key = repo.create("平台", "platform")
    _, again = repo.create("平台", "platform")
    secret = key.split("_", 2)[2]
    with store.db.session() as s:
        rows = s.scalars(select(ApiKeyRow)).all()
    for row in rows:
        assert secret not in (row.secret_hash, row.salt) and key not in row.secret_hash
    assert rows[0].secret_hash != hashlib.sha256(secret.encode()).hexdigest()  # salted
    assert repo.verify(key) == repo.get(info.key_id) or repo.verify(key).key_id == info.key_id
    assert repo.verify(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert repo.verify(again.replace(again.split("_")[1], info.key_id)) is None  # right id, other secret
    with pytest.raises(InputError):
        repo.create("x", "boss")
    with pytest.raises(InputError):
        repo.create("  ", "analyst")
    with pytest.raises(NotFoundError):
        repo.revoke("ffffffffffff")


def test_review_page_signs_in_with_an_analyst_key_into_a_session(client, api_keys, store):
    page = client.get("/review", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/signin")
    form = client.get("/signin").text
    assert 'id="signin-key"' in form and 'id="signin-name"' not in form
    assert client.post("/signin", data={"key": api_keys["platform"]}).status_code == 401
    assert client.post("/signin", data={"key": "zs_nonsense"}).status_code == 401
    response = client.post("/signin", data={"key": api_keys["analyst"], "next": "/review"}, follow_redirects=False)
    assert response.status_code == 303
    cookie = response.cookies[SESSION_COOKIE]
    assert api_keys["analyst"].split("_", 2)[2] not in cookie  # a session, not the key
    assert "httponly" in response.headers["set-cookie"].lower()
    html = client.get("/review").text
    assert "王分析" in html and 'id="lead-' in html
    # the session also authorises the page's JSON calls, with the key's name as actor
    lead = client.get("/v1/leads").json()["items"][0]
    assert client.post(f"/v1/leads/{lead['id']}/approve", json={"version": lead["version"]}).status_code == 200
    assert store.review_events(lead["id"])[0]["actor"] == "王分析"
    # a tampered session is worthless; so is one of a revoked key
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie[:-2] + ("00" if not cookie.endswith("00") else "11"))
    assert client.get("/review", follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    assert client.get("/review", follow_redirects=False).status_code == 200
    ApiKeys(store.db).revoke(api_keys["analyst"].split("_")[1])
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_cors_allows_the_configured_origin_and_the_auth_headers(settings, services):
    configured = settings.model_copy(update={"cors_origins": ["https://platform.example"]})
    with TestClient(create_app(configured, services)) as c:
        pre = c.options("/v1/leads", headers={"Origin": "https://platform.example", "Access-Control-Request-Method": "GET",
                                              "Access-Control-Request-Headers": "authorization"})
        assert pre.status_code == 200
        assert pre.headers["access-control-allow-origin"] == "https://platform.example"
        assert "authorization" in pre.headers["access-control-allow-headers"].lower()
        other = c.options("/v1/leads", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
        assert "access-control-allow-origin" not in other.headers
