"""Dedup: URL canonicalisation, content hashes and MinHash repost grouping on real text."""

from __future__ import annotations

import json

import pytest

from core.errors import InputError
from crawler.dedup import StoryGrouper, canonical_url, content_hash
from crawler.sample_site.content import columns


def test_canonical_url_drops_tracking_and_fragment():
    a = canonical_url("HTTP://WWW.Hefei.gov.cn/xw/t20231119_1.html?utm_source=wx&spm=a.b&id=3&page=1#top")
    b = canonical_url("http://www.hefei.gov.cn/xw/t20231119_1.html?page=1&id=3")
    assert a == b == "http://www.hefei.gov.cn/xw/t20231119_1.html?id=3&page=1"
    assert canonical_url("http://a.cn") == "http://a.cn/"
    for bad in ("", "javascript:void(0)", "ftp://a.cn/x"):
        with pytest.raises(InputError):
            canonical_url(bad)


def test_content_hash_ignores_whitespace_and_width():
    assert content_hash("合肥市 签约\n项目ＡＢＣ") == content_hash("合肥市签约项目ABC")
    assert content_hash("合肥市签约项目") != content_hash("芜湖市签约项目")


def _news():
    return {i.slug: "\n".join(i.paragraphs) for c in columns() if c.key == "xwdt" for i in c.items}


def test_repost_is_grouped_with_original_and_other_stories_are_not():
    news = _news()
    grouper = StoryGrouper()
    keys = {}
    for n, slug in enumerate(sorted(news)):
        keys[slug] = n
        match = grouper.add(n, news[slug])
        if slug == "002r":
            assert match == keys["002"]
        else:
            assert match is None, slug


def test_edited_repost_still_grouped_but_half_copy_is_not():
    text = _news()["003"]
    grouper = StoryGrouper()
    assert grouper.add(1, text) is None
    edited = "（来源：芜湖发布）" + text.replace("招商引資", "招商引资", 2) + "责任编辑：王某"
    assert grouper.add(2, edited) == 1
    assert grouper.add(3, text[: len(text) // 2]) is None


def test_corpus_passages_are_not_falsely_grouped(shared_dir):
    lines = (shared_dir / "corpus" / "news.jsonl").read_text(encoding="utf-8").splitlines()
    grouper = StoryGrouper()
    matches = [grouper.add(n, json.loads(line)["text"]) for n, line in enumerate(lines)]
    assert sum(m is not None for m in matches) <= 1
