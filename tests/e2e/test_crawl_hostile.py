"""End to end, stretch: crawl the sample site's hostile corner and check each misbehaviour is survived or reported."""

from __future__ import annotations

import pytest

from core.config import get_settings
from core.store import Store
from crawler.run import run_crawl
from crawler.sample_site import make_sample_site
from crawler.sample_site.hostile import BROKEN_LINES, ITEMS, TABLE_LINES, WRONG_HEADER_LINES
from crawler.sources import get_source

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_hostile_portal(zs_home, monkeypatch):
    monkeypatch.setenv("ZHAOSHANG_CRAWL_DOWNLOAD_MAX_BYTES", str(1024 * 1024))
    get_settings.cache_clear()
    server = make_sample_site("127.0.0.1", 0).start()
    try:
        stats = run_crawl([get_source("sample_hostile")], progress=False, sample_site_url=server.base_url)
    finally:
        server.shutdown()
        server.server_close()
    store = Store.connect(get_settings().db_url)
    try:
        docs = {d.url.removeprefix(server.base_url): d for d in store.list_documents()}
    finally:
        store.close()
    by = {i.behaviour: i for i in ITEMS}
    # stored: table layout, GBK behind a UTF-8 header, the page that failed once with 500, the slow page
    assert set(docs) == {i.path for i in ITEMS if i.stored}
    table, wrong = docs[by["table"].path], docs[by["wrong_header"].path]
    assert table.text.split("\n") == list(TABLE_LINES) and table.title == by["table"].title
    assert wrong.text.split("\n") == list(WRONG_HEADER_LINES) and "\ufffd" not in wrong.text
    assert docs[by["flaky"].path].title == by["flaky"].title
    broken = docs[by["broken"].path]  # malformed, truncated markup still yields its title, date and text
    assert broken.title == by["broken"].title and str(broken.publish_date) == by["broken"].date
    assert all(line in broken.text for line in BROKEN_LINES) and "广告" not in broken.text
    assert server.requested.count(by["flaky"].path) == 2  # 500, then retried successfully
    # script pagination (createPageHTML) reached page 2, where the bad pages are
    assert "/hostile/index_1.htm" in server.requested
    # redirect loop given up after the redirect limit, huge page cut off by DOWNLOAD_MAXSIZE, binary dropped
    assert 1 < server.requested.count(by["loop"].path) <= 7
    assert stats.dropped.get("detail_not_html") == 1
    assert stats.errors.get("too_many_redirects") == 1, stats
    assert stats.errors.get("DownloadCancelledError") == 1, stats  # the huge page
