"""Extraction on detail pages rendered by the sample site's own templates."""

from __future__ import annotations

import datetime as dt

import pytest
from scrapy.http import HtmlResponse

from core.errors import DocumentError
from crawler.extract import decode_html, extract_page, find_publish_date, parse_date
from crawler.extract.encoding import bad_ratio
from crawler.sample_site.content import columns
from crawler.sample_site.testing import saved_response

NOISE = ("无障碍浏览", "热点专题", "网站标识码", "主办单位", "当前位置", "分享到", "打印本页", "浏览次数")


def _items():
    return [item for column in columns() for item in column.items]


@pytest.mark.parametrize("item", _items(), ids=lambda i: i.slug)
def test_every_detail_page_yields_title_date_and_clean_text(site, item):
    response = saved_response(item.path)
    page = extract_page(response.text, response.url)
    assert page.title == item.title
    assert page.publish_date == item.date
    # the whole article body is there, first and last paragraph included
    assert item.paragraphs[0][:30] in page.text
    assert item.paragraphs[-1][-30:] in page.text
    for noise in NOISE:
        assert noise not in page.text, noise


def test_policy_page_has_issuer_doc_number_and_attachment_link(site):
    item = next(i for i in _items() if i.slug == "hf_ic_2023")
    response = saved_response(item.path)
    page = extract_page(response.text, response.url)
    assert page.issuer == "合肥市人民政府"
    assert page.doc_number == "合政〔2023〕45号"
    assert [(kind, url.endswith(".pdf")) for url, _label, kind in page.attachment_links] == [("pdf", True)]


def test_news_page_issuer_falls_back_to_source_line(site):
    item = next(i for i in _items() if i.slug == "003")
    page = extract_page(saved_response(item.path).text, "http://x/a.html")
    assert page.issuer == "蕪湖日報"
    assert page.doc_number is None


def test_gbk_page_served_with_wrong_header_is_redecoded(site):
    item = next(i for i in _items() if i.slug == "ah_nev_2023")
    body = site[item.path].body
    # Scrapy trusting the (wrong) header produces replacement characters ...
    wrong = HtmlResponse("http://x/a.html", body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    assert bad_ratio(wrong.text) > 0.01
    # ... our decoder notices and re-decodes as GB18030
    text, encoding = decode_html(body, "utf-8")
    assert encoding == "gb18030"
    assert "安徽省支持新能源汽车产业招商引资若干措施" in text
    assert extract_page(text, "http://x/a.html").doc_number == "皖政办〔2023〕12号"


def test_gb2312_header_decodes_gbk_only_characters():
    html = "<html><head><title>鎔鋼</title></head><body><p>项目总投资10亿元，落户合肥高新区，镕铸新材料。</p></body></html>"
    text, encoding = decode_html(html.encode("gbk"), "gb2312")
    assert encoding == "gb18030" and "镕铸新材料" in text


def test_utf8_page_with_gbk_meta_but_utf8_body_is_decoded_as_utf8():
    html = '<html><head><meta charset="gbk"></head><body><p>芜湖市签约项目二十个，总投资一百亿元。</p></body></html>'
    text, encoding = decode_html(html.encode("utf-8"))
    assert encoding == "utf-8" and "芜湖市签约项目" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-11-19", dt.date(2023, 11, 19)),
        ("2023年11月19日", dt.date(2023, 11, 19)),
        ("2023/1/9 10:00", dt.date(2023, 1, 9)),
        ("2023.11.19", dt.date(2023, 11, 19)),
        ("2023 年 6 月 5 日", dt.date(2023, 6, 5)),
        ("2023-02-30", None),
        ("no date", None),
    ],
)
def test_parse_date_formats(text, expected):
    assert parse_date(text) == expected


def test_labelled_publish_date_beats_other_dates():
    meta = "成文日期：2023年06月01日 主题 发布时间：2023-06-20 来源：合肥市"
    assert find_publish_date(meta) == dt.date(2023, 6, 20)
    assert find_publish_date("日期：2021年9月30日") == dt.date(2021, 9, 30)
    assert find_publish_date("no date here", "http://x.gov.cn/art/2022/t20221110_123.html") == dt.date(2022, 11, 10)


def test_empty_and_textless_pages_raise_document_error():
    with pytest.raises(DocumentError):
        extract_page("", "http://x/a.html")
    with pytest.raises(DocumentError):
        extract_page("<html><body><div class='nav'></div></body></html>", "http://x/a.html")


def test_hostile_html_does_not_crash():
    html = "<html><body><p>" + "<div>" * 200 + "合肥市招商引资项目签约仪式隆重举行，共签约项目十二个。" + "\x00</div>" * 3
    page = extract_page(html, "http://x/a.html")
    assert "签约项目十二个" in page.text
    # deeper than libxml2's nesting limit the text is lost: a clear DocumentError, not a crash
    with pytest.raises(DocumentError):
        extract_page(html.replace("<div>" * 200, "<div>" * 600), "http://x/a.html")


def test_table_layout_page_main_text_without_sidebar_or_footer():
    from crawler.sample_site.hostile import ITEMS, TABLE_LINES, HostileBehaviour

    item = next(i for i in ITEMS if i.behaviour == "table")
    _status, headers, body = HostileBehaviour().respond(item.path)
    response = HtmlResponse(f"http://x{item.path}", body=body, encoding="gb18030", headers=headers)
    page = extract_page(response.text, response.url)
    assert page.text.split("\n") == list(TABLE_LINES)
    assert (page.title, page.publish_date, page.issuer) == (item.title, dt.date(2023, 3, 1), "示例县融媒体中心")


def test_gbk_body_behind_utf8_header_and_meta():
    from crawler.sample_site.hostile import ITEMS, WRONG_HEADER_LINES, HostileBehaviour

    item = next(i for i in ITEMS if i.behaviour == "wrong_header")
    _status, headers, body = HostileBehaviour().respond(item.path)
    assert "utf-8" in headers["Content-Type"] and b'charset="utf-8"' in body
    text, encoding = decode_html(body, "utf-8")
    assert encoding == "gb18030"
    assert extract_page(text, "http://x/a.html").text.split("\n") == list(WRONG_HEADER_LINES)
