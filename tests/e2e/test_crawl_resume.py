"""Stop and resume: a crawl killed midway (SIGKILL or SIGTERM of the child) and restarted loses and duplicates nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from core.config import get_settings
from core.store import Store
from crawler.run import PROJECT_ROOT, _child_env, child_command, run_crawl, write_child_sources
from crawler.sample_site import make_sample_site
from crawler.sample_site.site import Page
from crawler.sample_site.synthetic import build_synthetic_site, synthetic_detail_paths, synthetic_source

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _stored(db_url: str) -> int:
    store = Store.connect(db_url)
    try:
        return store.count_documents()
    finally:
        store.close()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["sigkill", "sigterm"])
def test_killed_crawl_resumes_without_loss_or_duplicates(zs_home: Path, tmp_path: Path, sig: signal.Signals) -> None:
    settings = get_settings()
    settings.ensure_dirs()
    site = build_synthetic_site(90, page_size=10)
    slow = {"on": True}
    server = make_sample_site(site=site, page_delay=lambda p: 0.08 if slow["on"] else 0.0).start()
    try:
        source = synthetic_source(server.base_url)
        write_child_sources([source], tmp_path / "sources.json")
        child = subprocess.Popen(child_command(tmp_path / "sources.json", tmp_path / "stats.json"),
                                 env=_child_env(settings), cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while _stored(settings.db_url) < 20 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert child.poll() is None, "the crawl finished before it could be interrupted"
        os.kill(child.pid, sig)
        child.wait(timeout=60)
        slow["on"] = False
        before = _stored(settings.db_url)
        assert 20 <= before < 90
        store = Store.connect(settings.db_url)
        stored_before = {d.url.removeprefix(server.base_url) for d in store.list_documents(limit=1000)}
        store.close()

        server.requested.clear()
        stats = run_crawl([source], progress=False)
        # a finished crawl clears the mark: the next one is incremental again (stops at the first known page)
        again = run_crawl([source], progress=False)
    finally:
        server.shutdown()
        server.server_close()
    store = Store.connect(settings.db_url)
    try:
        urls = [d.url for d in store.list_documents(limit=1000)]
    finally:
        store.close()
    expected = [server.base_url + p for p in synthetic_detail_paths(site)]
    assert Counter(urls) == Counter(expected)  # nothing lost, nothing twice
    assert stats.documents_created == len(expected) - before
    assert stats.sources[source.name]["zhaoshang/resumed_after_interruption"] == 1
    # the resumed crawl fetched only what was missing: no detail page stored before the kill again
    assert not stored_before & set(server.requested)
    assert again.documents_created == 0 and again.pages_fetched <= 2  # robots.txt and the first list page
    assert again.sources[source.name]["zhaoshang/resumed_after_interruption"] == 0
    assert again.sources[source.name]["zhaoshang/pagination_stopped_at_known"] == 1


def test_crawl_with_failed_list_pages_is_incomplete_and_the_next_walks_past_known_pages(zs_home: Path) -> None:
    """Worst case for an incremental crawl: the first list page's items are all stored but the older pages were
    never read (they failed). A fully known first page must not stop the next crawl's pagination."""
    site = build_synthetic_site(40, page_size=10)
    broken = {p: (Page(b"busy", "text/plain", 503) if "/index_" in p else page) for p, page in site.items()}
    server = make_sample_site(site=broken).start()
    try:
        source = synthetic_source(server.base_url)
        first = run_crawl([source], progress=False)
        assert first.documents_created == 10 and first.errors.get("list_page_failed") == 3
        server.site = site  # the portal recovers
        second = run_crawl([source], progress=False)
    finally:
        server.shutdown()
        server.server_close()
    assert second.sources[source.name]["zhaoshang/resumed_after_interruption"] == 1
    assert second.documents_created == 30 and second.skipped_known == 10
    store = Store.connect(get_settings().db_url)
    try:
        assert Counter(d.url for d in store.list_documents(limit=100)) == Counter(
            server.base_url + p for p in synthetic_detail_paths(site))
    finally:
        store.close()
