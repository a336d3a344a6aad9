"""Browser fixtures: the app served by uvicorn in a thread (real SQLite store, fake policy search), and Chromium."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from core.config import get_settings
from core.schemas import Policy
from core.store import Store
from nlp.regions import RegionIndex, default_regions
from service.app import create_app
from service.deps import Services, UnavailableExtractor
from tests.corpus import policy_from_record, read_jsonl, seed_first_passages
from tests.servers import free_port

CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class Match:
    policy_id: str
    score: float
    title: str
    matched_clause: str | None
    matched_clauses: list[str]


class ClauseSearch:
    """Clauses sharing two-character pieces with the query; policies issued above the investor's region."""

    def __init__(self, policies: list[Policy], regions: RegionIndex) -> None:
        self.policies, self.regions = policies, regions

    def __len__(self) -> int:
        return len(self.policies)

    def search(self, query: str, region: str | None = None, top: int = 10, industry: str | None = None,
               include_expired: bool = False) -> list[Match]:
        grams = {query[i : i + 2] for i in range(len(query) - 1)}
        out = []
        for p in self.policies:
            if region and not self.regions.is_within(region, p.region_code or "000000"):
                continue
            hits = [c.text for c in p.clauses if any(g in c.text for g in grams)]
            if hits:
                out.append(Match(p.id, len(hits) / len(p.clauses), p.title, hits[0], hits[:2]))
        return sorted(out, key=lambda m: -m.score)[:top]


@pytest.fixture
def live_app(zs_home: Path, shared_dir: Path) -> Iterator[tuple[str, Store, list[int]]]:
    settings = get_settings()
    settings.ensure_dirs()
    store = Store.connect(settings.db_url)
    regions = default_regions()
    lead_ids = seed_first_passages(store, shared_dir)
    policies = [policy_from_record(rec, regions) for rec in read_jsonl(shared_dir / "corpus" / "policies.jsonl")[:12]]
    store.upsert_policies(policies)
    services = Services(store=store, regions=regions, extractor=UnavailableExtractor("not needed"),
                        policy_search=ClauseSearch(policies, regions), settings=settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, services), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", store, lead_ids
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


@pytest.fixture
def browser_page() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} missing: apt-get install -y chromium (never `playwright install`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        try:
            yield browser.new_page()
        finally:
            browser.close()


@pytest.fixture
def analyst_key(live_app: tuple[str, Store, list[int]]) -> str:
    """A real analyst key in the live app's store (so the app runs with auth, not in dev mode)."""
    from core.store import ApiKeys

    _base, store, _ids = live_app
    return ApiKeys(store.db).create("浏览器分析员", "analyst")[1]
