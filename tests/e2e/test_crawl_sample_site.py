"""End to end: start the sample site, crawl it in a subprocess into a temp SQLite store, then recrawl."""

from __future__ import annotations

from collections import Counter

import pytest

from core.config import get_settings
from core.store import Store
from crawler.run import run_crawl
from crawler.sample_site import detail_paths, make_sample_site
from crawler.sample_site.content import columns
from crawler.sample_site.files import DOCX_LINES, PDF_LINES
from crawler.sample_site.site import PRIVATE_PATH
from crawler.sources import get_source

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def sample_site():
    server = make_sample_site("127.0.0.1", 0).start()
    yield server
    server.shutdown()
    server.server_close()


def test_crawl_sample_site_then_recrawl_creates_nothing(zs_home, sample_site):
    sources = [get_source("sample_news"), get_source("sample_policy")]
    stats = run_crawl(sources, progress=False, sample_site_url=sample_site.base_url)

    expected = {sample_site.base_url + p for p in detail_paths()}
    store = Store.connect(get_settings().db_url)
    try:
        docs = store.list_documents(limit=1000)
        # every detail page stored exactly once, nothing else stored
        assert Counter(d.url for d in docs) == Counter(expected)
        assert stats.documents_created == len(expected) and not stats.dropped
        assert {d.kind for d in docs if "/zcwj/" in d.url} == {"policy"}
        by_path = {d.url.removeprefix(sample_site.base_url): d for d in docs}

        # the GBK column decoded into correct Chinese, with metadata
        items = {i.path: i for c in columns() for i in c.items}
        for path, doc in by_path.items():
            item = items[path]
            assert doc.title == item.title and doc.publish_date == item.date
            assert item.paragraphs[0][:40] in doc.text and "\ufffd" not in doc.text
        nev = next(d for p, d in by_path.items() if "ah_nev_2023" in p)
        assert nev.doc_number == "皖政办〔2023〕12号" and nev.issuer == "安徽省人民政府办公厅"

        # attachments: PDF and DOCX texts extracted
        attachments = {a.kind: a for d in docs for a in d.attachments}
        assert set(attachments) == {"pdf", "docx"}
        assert all(line in attachments["pdf"].text for line in PDF_LINES)
        assert all(line.strip() in attachments["docx"].text for line in DOCX_LINES)

        # robots.txt honoured: the disallowed page was listed but never fetched
        assert "/robots.txt" in sample_site.requested
        assert PRIVATE_PATH not in sample_site.requested
        assert stats.robots_forbidden == 1

        # the repost is grouped with its original in one story; unrelated items are not
        original, repost = by_path[items_path(items, "002")], by_path[items_path(items, "002r")]
        assert original.story_id is not None and original.story_id == repost.story_id
        assert sum(1 for d in docs if d.story_id == original.story_id) == 2

        # second crawl: incremental, stops at known items, creates nothing
        sample_site.requested.clear()
        again = run_crawl(sources, progress=False, sample_site_url=sample_site.base_url)
        assert (again.documents_created, again.documents_updated) == (0, 0)
        assert store.count_documents() == len(expected)
        assert not any(p in sample_site.requested for p in detail_paths())
        assert "/xwdt/index_1.html" not in sample_site.requested

        # refresh: re-asks known pages conditionally (If-None-Match); the site answers 304, nothing is re-parsed
        sample_site.statuses.clear()
        refreshed = run_crawl(sources, progress=False, sample_site_url=sample_site.base_url, refresh=True)
        assert refreshed.documents_unchanged == len(expected) and refreshed.documents_created == 0
        assert refreshed.not_modified == len(expected)
        answered = dict(sample_site.statuses)
        assert all(answered[p] == 304 for p in detail_paths())
        assert answered["/xwdt/index.html"] == 200  # list pages are always read again
    finally:
        store.close()


def items_path(items, slug: str) -> str:
    return next(p for p, i in items.items() if i.slug == slug)


def test_cli_reports_unknown_source(zs_home):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "crawler.run", "--source", "nope"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 2 and "unknown source" in proc.stderr


def test_server_serves_pages_and_records_requests():
    import urllib.request

    server = make_sample_site("127.0.0.1", 0).start()
    try:
        with urllib.request.urlopen(server.base_url + "/zcwj/index.html", timeout=5) as resp:
            assert resp.headers["Content-Type"] == "text/html; charset=gbk"
            assert "政策文件" in resp.read().decode("gbk")
        assert server.requested == ["/zcwj/index.html"]
    finally:
        server.shutdown()
        server.server_close()
