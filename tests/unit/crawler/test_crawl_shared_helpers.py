"""Crawler helpers shared by several steps: stored validator pairs, followable links, dates in text and URLs."""

from __future__ import annotations

import datetime as dt

import lxml.html

from crawler.extract.dates import find_publish_date, parse_date
from crawler.extract.html import attachment_links, link_url
from crawler.extract.listing import article_links
from crawler.state import as_validators


def test_validator_pairs_tolerate_missing_and_corrupt_state() -> None:
    assert as_validators(['"v1"', None]) == ('"v1"', None)
    assert as_validators(None) == (None, None)
    assert as_validators(["only one"]) == (None, None)
    assert as_validators({"etag": "x"}) == (None, None)


def test_link_url_skips_scripts_mail_and_anchors() -> None:
    tree = lxml.html.fromstring(
        '<div><a href="javascript:void(0)">x</a><a href="MAILTO:a@b.cn">m</a><a href="#top">t</a><a>none</a>'
        '<a href=" ../file/a.PDF ">附件</a><a href="/news/t20240102_1.html">关于推进项目建设的通知公告</a></div>')
    urls = [link_url(a, "http://gov.cn/x/y.html") for a in tree.iter("a")]
    assert urls[:4] == [None, None, None, None]
    assert urls[4] == "http://gov.cn/file/a.PDF"
    assert attachment_links(tree, "http://gov.cn/x/y.html") == [("http://gov.cn/file/a.PDF", "附件", "pdf")]
    assert all(not url.startswith(("javascript", "mailto")) for url, _ in article_links(tree, "http://gov.cn/x/y.html"))


def test_dates_first_valid_in_text_then_in_url() -> None:
    assert parse_date("2023年13月40日 之后 2023年8月2日") == dt.date(2023, 8, 2)
    assert parse_date("") is None
    assert find_publish_date("无日期", "http://gov.cn/art/t20231119_123.html") == dt.date(2023, 11, 19)
    assert find_publish_date("无日期", "http://gov.cn/art/t20231399_123.html") is None
    assert find_publish_date("无日期", None) is None
