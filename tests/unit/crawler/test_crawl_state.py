"""Crawl state between runs: interrupted marks, conditional-GET validators, the spider's use of both."""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime

import pytest
from scrapy.http import HtmlResponse

from core.errors import StoreError
from crawler.sample_site.content import columns
from crawler.sample_site.site import build_site, not_modified
from crawler.sample_site.testing import SAVED_BASE as BASE
from crawler.sample_site.testing import FakeCrawler, saved_response
from crawler.sources import get_source
from crawler.spiders.portal import PortalSpider
from crawler.state import FileCrawlState, conditional_headers


def test_unfinished_crawl_is_reported_interrupted_until_one_completes(tmp_path):
    state = FileCrawlState(tmp_path)
    assert state.begin("a") is False  # never crawled
    state.finish("a", completed=False)  # page cap, shutdown, failed list page
    assert FileCrawlState(tmp_path).begin("a") is True
    assert FileCrawlState(tmp_path).begin("a") is True  # a killed crawl never reached finish(): still marked
    fresh = FileCrawlState(tmp_path)
    assert fresh.begin("a") is True
    fresh.finish("a", completed=True)
    assert FileCrawlState(tmp_path).begin("a") is False
    assert FileCrawlState(tmp_path).begin("other") is False  # per source


def test_validators_survive_the_process_and_make_conditional_headers(tmp_path):
    state = FileCrawlState(tmp_path)
    state.begin("s")
    state.set_validators("s", "http://a/1.html", '"abc"', "Tue, 01 Aug 2023 08:00:00 GMT")
    state.set_validators("s", "http://a/2.html", None, None)  # nothing to remember
    state.close()
    again = FileCrawlState(tmp_path)
    assert again.validators("s", "http://a/1.html") == ('"abc"', "Tue, 01 Aug 2023 08:00:00 GMT")
    assert again.validators("s", "http://a/2.html") == (None, None)
    assert conditional_headers(again.validators("s", "http://a/1.html")) == {
        "If-None-Match": '"abc"', "If-Modified-Since": "Tue, 01 Aug 2023 08:00:00 GMT"}
    assert conditional_headers((None, None)) == {}


def test_corrupt_state_file_means_full_walk_not_a_crash(tmp_path):
    (tmp_path / "s.json").write_text("{not json", "utf-8")
    assert FileCrawlState(tmp_path).begin("s") is True
    (tmp_path / "t.json").write_text(json.dumps({"validators": [1, 2]}), "utf-8")
    assert FileCrawlState(tmp_path).begin("t") is True


def test_unwritable_state_directory_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        FileCrawlState(blocker / "state")


def test_sample_site_answers_conditional_gets():
    item = columns()[0].items[0]
    page = build_site()[item.path]
    assert page.etag.startswith('"') and page.last_modified is not None
    assert not_modified(page, page.etag, None)
    assert not_modified(page, f'W/"x", {page.etag}', None)
    assert not not_modified(page, '"other"', None)
    later = format_datetime(page.last_modified + dt.timedelta(days=1), usegmt=True)
    earlier = format_datetime(page.last_modified - dt.timedelta(days=1), usegmt=True)
    assert not_modified(page, None, later) and not not_modified(page, None, earlier)
    assert not not_modified(page, '"other"', later)  # If-None-Match wins over If-Modified-Since
    assert not not_modified(page, None, "not a date")


def _spider(tmp_path, *, known: set[str], refresh: bool, full_walk: bool = False) -> PortalSpider:
    state = FileCrawlState(tmp_path)
    for url in known:
        state.set_validators("sample_news", url, '"v1"', None)
    spider = PortalSpider(source=get_source("sample_news").resolved(BASE), known_urls=known, refresh=refresh,
                          state=state, full_walk=full_walk)
    spider.crawler = FakeCrawler()  # type: ignore[assignment]
    return spider


def test_refresh_asks_known_pages_conditionally_and_new_pages_plainly(tmp_path):
    items = columns()[0].items
    known = {f"{BASE}{items[0].path}"}
    out = list(_spider(tmp_path, known=known, refresh=True).parse_list(saved_response("/xwdt/index.html")))
    details = {r.url: r for r in out if r.callback.__name__ == "parse_detail"}
    assert details[f"{BASE}{items[0].path}"].headers.get("If-None-Match") == b'"v1"'
    assert details[f"{BASE}{items[0].path}"].meta["handle_httpstatus_list"] == [304]
    assert details[f"{BASE}{items[1].path}"].headers.get("If-None-Match") is None
    # without --refresh known pages are not requested at all
    out = list(_spider(tmp_path, known=known, refresh=False).parse_list(saved_response("/xwdt/index.html")))
    assert f"{BASE}{items[0].path}" not in {r.url for r in out}


def test_304_counts_unchanged_and_200_remembers_validators(tmp_path):
    item = columns()[0].items[0]
    spider = _spider(tmp_path, known=set(), refresh=True)
    url = f"{BASE}{item.path}"
    assert list(spider.parse_detail(HtmlResponse(url, status=304, body=b""))) == []
    assert spider.crawler.stats.values["zhaoshang/not_modified"] == 1
    assert spider.crawler.stats.values["zhaoshang/documents_unchanged"] == 1
    page = build_site()[item.path]
    response = HtmlResponse(url, body=page.body, headers={"Content-Type": page.content_type, "ETag": page.etag,
                                                          "Last-Modified": "Wed, 02 Aug 2023 08:00:00 GMT"})
    (doc,) = list(spider.parse_detail(response))
    assert doc["title"] == item.title
    assert spider.state.validators("sample_news", url) == (page.etag, "Wed, 02 Aug 2023 08:00:00 GMT")


def test_after_an_interrupted_crawl_pagination_goes_past_fully_known_pages(tmp_path):
    known = {f"{BASE}{i.path}" for i in columns()[0].items}
    stopped = _spider(tmp_path, known=known, refresh=False)
    assert list(stopped.parse_list(saved_response("/xwdt/index.html"))) == []
    walking = _spider(tmp_path, known=known, refresh=False, full_walk=True)
    out = list(walking.parse_list(saved_response("/xwdt/index.html")))
    assert out and {r.callback.__name__ for r in out} == {"parse_list"}  # no known page re-fetched
    assert f"{BASE}/xwdt/index_1.html" in {r.url for r in out}


def test_synthetic_portal_has_distinct_items_and_working_pagination():
    from crawler.extract import article_links, next_pages, parse_html
    from crawler.sample_site.synthetic import build_synthetic_site, synthetic_detail_paths

    site = build_synthetic_site(45, page_size=10)
    details = synthetic_detail_paths(site)
    assert len(details) == 45 and len({site[p].body for p in details}) == 45
    html = site["/sjxw/index_4.html"].body.decode()
    tree = parse_html(html)
    assert len(article_links(tree, f"{BASE}/sjxw/index_4.html", ["portal.example.gov.cn"])) == 5
    assert f"{BASE}/sjxw/index_3.html" in next_pages(tree, html, f"{BASE}/sjxw/index_4.html")
