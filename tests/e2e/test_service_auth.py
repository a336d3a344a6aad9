"""End to end: keys made with the CLI, uvicorn serving with auth, a platform webhook receiving signed events."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from service.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature
from tests.e2e.test_service_http import ROOT, seed
from tests.servers import free_port, wait_healthy
from tests.unit.service.test_webhooks import Receiver

pytestmark = pytest.mark.e2e


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ZHAOSHANG_HOME=str(home), ZHAOSHANG_EMBEDDER="fake", HF_HUB_OFFLINE="1")
    env.pop("ZHAOSHANG_DATABASE_URL", None)
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_keys_roles_and_webhooks_over_http(tmp_path: Path, shared_dir: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    lead_ids = seed(home, shared_dir)
    made = cli(home, "keys", "create", "--role", "analyst", "--name", "王分析")
    assert made.returncode == 0, made.stderr
    analyst_key = made.stdout.strip()
    platform_key = cli(home, "keys", "create", "--role", "platform", "--name", "招商平台").stdout.strip()
    assert cli(home, "keys", "create", "--role", "root", "--name", "x").returncode == 2
    listing = cli(home, "keys", "list").stdout
    assert "王分析" in listing and analyst_key.split("_", 2)[2] not in listing
    receiver = Receiver()
    hook = cli(home, "webhooks", "add", receiver.url, "--action", "approve")
    assert hook.returncode == 0, hook.stderr
    secret = hook.stdout.strip()

    port = free_port()
    env = dict(os.environ, ZHAOSHANG_HOME=str(home), ZHAOSHANG_EMBEDDER="fake", HF_HUB_OFFLINE="1",
               ZHAOSHANG_WEBHOOK_POLL_SECONDS="0.2", ZHAOSHANG_RATE_LIMIT_PER_MINUTE="60", ZHAOSHANG_RATE_LIMIT_BURST="3",
               ZHAOSHANG_API_KEY_CACHE_SECONDS="0.5")
    env.pop("ZHAOSHANG_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "service.app:app_factory", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, timeout=90)
        with httpx.Client(base_url=base, timeout=30) as http:
            assert http.get("/v1/leads").status_code == 401  # keys exist: no more open access
            platform = {"Authorization": f"Bearer {platform_key}"}
            items = http.get("/v1/leads", headers=platform).json()["items"]
            assert {i["id"] for i in items} == set(lead_ids)
            assert http.post(f"/v1/leads/{lead_ids[0]}/approve", json={"version": 1}, headers=platform).status_code == 403
            done = http.post(f"/v1/leads/{lead_ids[0]}/approve", json={"version": 1},
                             headers={"X-API-Key": analyst_key})
            assert done.status_code == 200 and done.json()["status"] == "approved"
            events = http.get("/v1/events", headers=platform).json()["items"]
            assert [(e["type"], e["actor"]) for e in events] == [("lead.approve", "王分析")]
            codes = [http.get("/v1/policies/search", params={"q": "新能源"}).status_code for _ in range(4)]
            assert codes[-1] == 429, codes
            deadline = time.monotonic() + 20
            while not receiver.posts and time.monotonic() < deadline:
                time.sleep(0.1)
        assert receiver.posts, "the service did not deliver the webhook"
        headers, body = receiver.posts[0]
        assert verify_signature(secret, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
        payload = json.loads(body)
        assert (payload["type"], payload["lead_id"], payload["actor"]) == ("lead.approve", lead_ids[0], "王分析")
        revoke = cli(home, "keys", "revoke", platform_key.split("_")[1])
        assert revoke.returncode == 0
        time.sleep(0.6)  # verified keys are cached for ZHAOSHANG_API_KEY_CACHE_SECONDS
        assert httpx.get(base + "/v1/leads", headers=platform, timeout=30).status_code == 401
        log = cli(home, "webhooks", "log").stdout
        assert " ok " in log
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        receiver.close()
