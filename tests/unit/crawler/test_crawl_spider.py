"""The portal spider on saved list/detail pages: requests it yields, incremental stop, items."""

from __future__ import annotations

import scrapy

from crawler.items import DocumentItem
from crawler.sample_site.content import columns
from crawler.sample_site.testing import SAVED_BASE as BASE
from crawler.sample_site.testing import FakeCrawler, saved_response
from crawler.sources import get_source
from crawler.spiders.portal import PortalSpider


def _spider(known: set[str] | None = None) -> PortalSpider:
    spider = PortalSpider(source=get_source("sample_news").resolved(BASE), known_urls=known)
    spider.crawler = FakeCrawler()  # type: ignore[assignment]
    return spider


def test_list_page_yields_details_then_next_pages(site):
    out = list(_spider().parse_list(saved_response("/xwdt/index.html")))
    details = [r.url for r in out if r.callback.__name__ == "parse_detail"]
    lists = [r.url for r in out if r.callback.__name__ == "parse_list"]
    assert details == [f"{BASE}{i.path}" for i in columns()[0].items[:3]]
    assert f"{BASE}/xwdt/index_1.html" in lists


def test_known_items_stop_pagination(site):
    known = {f"{BASE}{i.path}" for i in columns()[0].items}
    spider = _spider(known)
    out = list(spider.parse_list(saved_response("/xwdt/index.html")))
    assert out == []
    assert spider.crawler.stats.values["zhaoshang/pagination_stopped_at_known"] == 1


def test_detail_with_attachment_requests_it_then_yields_item(site):
    item = next(i for i in columns()[1].items if i.attachment == "pdf")
    spider = PortalSpider(source=get_source("sample_policy").resolved(BASE))
    spider.crawler = FakeCrawler()  # type: ignore[assignment]
    (request,) = list(spider.parse_detail(saved_response(item.path)))
    assert isinstance(request, scrapy.Request) and request.url.endswith(".pdf")
    from scrapy.http import Response

    pdf = Response(request.url, body=site[request.url.removeprefix(BASE)].body, headers={"Content-Type": "application/pdf"})
    (doc,) = list(spider.parse_attachment(pdf, **request.cb_kwargs))
    assert isinstance(doc, DocumentItem)
    assert doc["kind"] == "policy" and doc["doc_number"] == item.doc_number
    assert doc["attachments"][0].kind == "pdf" and "申报条件" in doc["attachments"][0].text


def test_binary_detail_is_dropped_not_crashed():
    from scrapy.http import Response

    spider = _spider()
    out = list(spider.parse_detail(Response(f"{BASE}/x/t20230101_1.html", body=b"\x89PNG\r\n\x1a\n" + b"\0" * 50)))
    assert out == [] and spider.crawler.stats.values["zhaoshang/dropped/detail_not_html"] == 1
