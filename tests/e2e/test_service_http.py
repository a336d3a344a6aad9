"""End to end: the real app under uvicorn on a free port, a real SQLite store, talked to over HTTP with httpx."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from core.store import Store
from tests.corpus import read_jsonl, seed_first_passages
from tests.servers import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]


def seed(home: Path, shared_dir: Path) -> list[int]:
    """Two real corpus passages as documents, one hand-made lead each (evidence = a real sentence)."""
    store = Store.connect(f"sqlite:///{(home / 'zhaoshang.db').resolve()}")
    try:
        return seed_first_passages(store, shared_dir)
    finally:
        store.close()


@contextmanager
def uvicorn_server(home: Path) -> Iterator[str]:
    """``uvicorn --factory service.app:app_factory`` on a free port with ZHAOSHANG_HOME=home; yields its base URL."""
    port = free_port()
    env = dict(os.environ, ZHAOSHANG_HOME=str(home), ZHAOSHANG_EMBEDDER="fake", HF_HUB_OFFLINE="1",
               ZHAOSHANG_MAX_EXTRACT_CHARS="1000")
    env.pop("ZHAOSHANG_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "service.app:app_factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, timeout=90)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def server(tmp_path: Path, shared_dir: Path) -> Iterator[tuple[str, list[int]]]:
    home = tmp_path / "home"
    home.mkdir()
    lead_ids = seed(home, shared_dir)
    with uvicorn_server(home) as base:
        yield base, lead_ids


@pytest.mark.e2e
def test_service_over_http(server: tuple[str, list[int]]) -> None:
    base, lead_ids = server
    with httpx.Client(base_url=base, timeout=30) as http:
        ready = http.get("/readyz").json()
        assert ready["ready"] is True and ready["counts"]["leads"] == 2
        assert ready["policy_index"]["loaded"] is False  # fresh home: no index yet, the app still serves

        page = http.get("/v1/leads", params={"limit": 1}).json()
        assert [i["id"] for i in page["items"]] == lead_ids[:1] and page["next_cursor"]
        second = http.get("/v1/leads", params={"limit": 1, "cursor": page["next_cursor"]}).json()
        assert [i["id"] for i in second["items"]] == lead_ids[1:] and second["next_cursor"] is None

        search = http.get("/v1/policies/search", params={"q": "研发补助"})
        assert search.status_code == 503 and search.json()["error"]["code"] == "model_unavailable"
        too_big = http.post("/v1/extract", json={"text": "签" * 1001})
        assert too_big.status_code == 413

        signin = http.post("/signin", data={"name": "e2e-analyst"}, follow_redirects=False)
        assert signin.status_code == 303
        review = http.get("/review")
        assert review.status_code == 200 and f'id="lead-{lead_ids[0]}"' in review.text
        approved = http.post(f"/v1/leads/{lead_ids[0]}/approve", json={"version": 1})
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
        stale = http.post(f"/v1/leads/{lead_ids[0]}/reject", json={"version": 1, "reason": "dup"})
        assert stale.status_code == 409 and "reload" in stale.json()["error"]["message"]
        events = http.get(f"/v1/leads/{lead_ids[0]}").json()["events"]
        assert [(e["action"], e["actor"]) for e in events] == [("approve", "e2e-analyst")]
        export = http.get("/v1/leads/export.csv", params={"status": "approved"})
        rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
        assert export.status_code == 200 and [int(r["id"]) for r in rows] == lead_ids[:1]
        assert http.get("/static/review.js").status_code == 200


@pytest.mark.e2e
@pytest.mark.slow
def test_service_with_real_policy_index_and_extractor(tmp_path: Path, shared_dir: Path) -> None:
    """The corpus policies indexed with the real PolicySearch (fake embedder) before start; real lead extraction."""
    from core.schemas import PolicyInput
    from models.embedder import FakeEmbedder
    from models.matcher import PolicySearch
    from models.policies import parse_policy
    from nlp.regions import default_regions

    home = tmp_path / "home"
    regions = default_regions()
    records = read_jsonl(shared_dir / "corpus" / "policies.jsonl")
    policies = [parse_policy(PolicyInput.model_validate(r), regions) for r in records]
    PolicySearch.build(policies, FakeEmbedder(), regions).save(home / "index" / "policies")
    store = Store.connect(f"sqlite:///{(home / 'zhaoshang.db').resolve()}")
    store.upsert_policies(policies)
    store.close()
    news = {r["id"]: r for r in read_jsonl(shared_dir / "corpus" / "news.jsonl")}

    with uvicorn_server(home) as base, httpx.Client(base_url=base, timeout=60) as http:
        ready = http.get("/readyz").json()
        assert ready["policy_index"] == {"loaded": True, "size": len(policies), "detail": None}
        assert ready["model"] == "fake-hash-64"

        found = http.get("/v1/policies/search", params={"q": "新能源汽车研发补助", "region": "合肥市", "top": 5}).json()
        assert found["region_code"] == "340100" and found["results"]
        for match in found["results"]:
            assert match["region_code"] is None or regions.is_within("340100", match["region_code"]) or \
                regions.is_within(match["region_code"], "340100")
            assert match["applicability"] in ("full", "partial") and match["matched_clauses"]
        detail = http.get(f"/v1/policies/{found['results'][0]['policy_id']}").json()
        assert detail["clauses"] and detail["policy"]["id"] == found["results"][0]["policy_id"]
        page = http.get("/policies", params={"q": "新能源汽车研发补助", "province": "340000", "city": "340100"})
        assert page.status_code == 200 and '<mark class="hit">' in page.text

        if ready["extractor"]["ok"]:
            text = news["N001"]["text"]
            leads = http.post("/v1/extract", json={"text": text[:1000]}).json()["leads"]
            assert leads and all(lead["evidence"] in text for lead in leads)
