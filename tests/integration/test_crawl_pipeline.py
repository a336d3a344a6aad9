"""The store pipeline against a real SQLite store: validation, created/unchanged/updated, repost stories."""

from __future__ import annotations

import datetime as dt

import pytest
from scrapy.exceptions import DropItem

from core.config import get_settings
from core.store import Store
from crawler.items import DocumentItem
from crawler.pipelines import StorePipeline, StoryIndex
from crawler.sample_site.content import columns
from crawler.sample_site.testing import FakeCrawler

pytestmark = pytest.mark.integration


def _item(url: str, text: str, title: str = "高郵招商引資") -> DocumentItem:
    return DocumentItem(url=url, title=title, text=text, publish_date=dt.date(2023, 8, 2), source="t", kind="news",
                        issuer=None, doc_number=None, attachments=[])


def test_pipeline_saves_dedups_and_groups(zs_home):
    store = Store.connect(get_settings().db_url)
    crawler = FakeCrawler()
    pipeline = StorePipeline(crawler, store, stories=StoryIndex(store), progress=False)  # type: ignore[arg-type]
    pipeline.open_spider()
    news = {i.slug: "\n".join(i.paragraphs) for c in columns() for i in c.items}
    pipeline.process_item(_item("http://a.gov.cn/x/t1.html?utm_source=wx#top", news["002"]))
    pipeline.process_item(_item("http://a.gov.cn/x/t1.html", news["002"]))  # same page, tracking params dropped
    pipeline.process_item(_item("http://b.gov.cn/y/t2.html", news["002r"]))  # repost elsewhere
    pipeline.process_item(_item("http://a.gov.cn/x/t3.html", news["003"]))
    pipeline.process_item(_item("http://a.gov.cn/x/t3.html", news["003"] + "\n补充说明：项目已开工。"))
    for bad in (_item("http://a.gov.cn/x/t4.html", "太短"), _item("http://a.gov.cn/x/t5.html", news["000"], title=" "),
                _item("javascript:void(0)", news["000"])):
        with pytest.raises(DropItem):
            pipeline.process_item(bad)
    pipeline.close_spider()
    values = crawler.stats.values
    assert (values["zhaoshang/documents_created"], values["zhaoshang/documents_unchanged"],
            values["zhaoshang/documents_updated"]) == (3, 1, 1)
    assert {k.rsplit("/", 1)[1] for k in values if "/dropped/" in k} == {"text_too_short", "no_title", "invalid_document"}
    store = Store.connect(get_settings().db_url)
    docs = {d.url: d for d in store.list_documents()}
    assert set(docs) == {"http://a.gov.cn/x/t1.html", "http://b.gov.cn/y/t2.html", "http://a.gov.cn/x/t3.html"}
    assert docs["http://a.gov.cn/x/t1.html"].story_id == docs["http://b.gov.cn/y/t2.html"].story_id is not None
    assert docs["http://a.gov.cn/x/t3.html"].story_id is None
    assert "项目已开工" in docs["http://a.gov.cn/x/t3.html"].text
    store.close()


def test_reposts_across_sources_share_one_story_index(zs_home):
    store = Store.connect(get_settings().db_url)
    shared = StoryIndex(store)
    news = {i.slug: "\n".join(i.paragraphs) for c in columns() for i in c.items}
    first, second = FakeCrawler(), FakeCrawler()
    a = StorePipeline(first, Store.connect(get_settings().db_url), stories=shared, progress=False)  # type: ignore[arg-type]
    b = StorePipeline(second, Store.connect(get_settings().db_url), stories=shared, progress=False)  # type: ignore[arg-type]
    a.open_spider()
    b.open_spider()
    a.process_item(_item("http://a.gov.cn/x/t1.html", news["002"]))
    b.process_item(_item("http://b.gov.cn/y/t9.html", news["002r"]))
    a.close_spider()
    b.close_spider()
    docs = store.list_documents()
    assert len(docs) == 2 and docs[0].story_id == docs[1].story_id is not None
    assert second.stats.values["zhaoshang/stories_created"] == 1
    store.close()
