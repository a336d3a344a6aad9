"""The bundled sample site: deterministic pages, a GBK column, attachments, robots.txt."""

from __future__ import annotations

from protego import Protego

from crawler.sample_site.content import columns
from crawler.sample_site.site import PRIVATE_PATH, build_site, detail_paths


def test_site_is_deterministic():
    first = build_site.__wrapped__()
    second = build_site.__wrapped__()
    assert first.keys() == second.keys()
    assert all(first[k].body == second[k].body for k in first)


def test_columns_paginate_about_three_items_and_policy_column_is_gbk(site):
    news, policy = columns()
    assert len(news.items) >= 7 and len(policy.items) >= 4
    assert "/xwdt/index_2.html" in site and "/zcwj/index_1.html" in site
    page = site[policy.items[0].path]
    assert page.content_type.endswith("charset=gbk")
    assert policy.items[0].title in page.body.decode("gbk")
    assert b'charset="gbk"' in page.body or b"charset=gbk" in page.body
    assert len(detail_paths()) == len(news.items) + len(policy.items)


def test_sample_policies_are_marked_as_sample_text(site):
    samples = [i for i in columns()[1].items if i.sample_text]
    assert 3 <= len(samples) <= 5
    for item in samples:
        assert "示例文本" in site[item.path].body.decode("gbk")


def test_robots_disallows_private_page_only(site):
    robots = Protego.parse(site["/robots.txt"].body.decode())
    assert not robots.can_fetch(f"http://h{PRIVATE_PATH}", "zhaoshang")
    assert all(robots.can_fetch(f"http://h{p}", "zhaoshang") for p in detail_paths())
