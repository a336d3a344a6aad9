"""Unit tests: bundled taxonomies and the keyword + embedding industry matcher (fake embedder)."""

from __future__ import annotations

import pytest

from core.errors import InputError
from models.embedder import FakeEmbedder
from models.industries import OTHER, IndustryMatcher, all_matchers, classify_all, load_taxonomy


def test_taxonomies_load_with_expected_sizes() -> None:
    anhui = load_taxonomy()
    assert anhui.name == "anhui_ten_emerging" and len(anhui.entries) == 10
    assert "集成电路" in anhui.by_code("1").keywords
    gbt = load_taxonomy("gbt4754_2017")
    assert len(gbt.level("小类")) == 1382 and len(gbt.level("大类")) == 97 and len(gbt.level("门类")) == 20
    assert gbt.by_code("3612").name == "新能源车整车制造"
    sei = load_taxonomy("strategic_emerging_2018")
    assert len(sei.level("大类")) == 9 and len(sei.level("中类")) == 40
    assert len({e.code for e in sei.entries}) == len(sei.entries)  # unnumbered 小类 get unique codes
    with pytest.raises(InputError):
        load_taxonomy("nace")


def test_generic_name_parts_are_not_keywords() -> None:
    leather = next(e for e in load_taxonomy("gbt4754_2017").entries if e.code == "19")
    assert "皮革" in leather.keywords and "制品" not in leather.keywords and "加工" not in leather.keywords


@pytest.fixture(scope="module")
def matcher() -> IndustryMatcher:
    return IndustryMatcher(FakeEmbedder(), "anhui_ten_emerging")


def test_classify_by_keywords(matcher: IndustryMatcher) -> None:
    scores = matcher.classify("年产20GWh动力电池及充电桩项目在芜湖开工")
    assert scores[0].name == "新能源汽车和智能网联汽车"
    assert {"动力电池", "充电桩"} <= set(scores[0].keyword_hits)
    assert scores == sorted(scores, key=lambda s: -s.score)
    assert matcher.best("12英寸晶圆及集成电路封装测试基地签约") == "新一代信息技术"
    assert matcher.best("創新藥和醫療器械產業園投產") == "生命健康"  # Traditional script


def test_latin_keywords_need_word_boundaries(matcher: IndustryMatcher) -> None:
    hits = matcher.classify("AI大模型训练中心")[0]
    assert hits.name == "人工智能" and "AI" in hits.keyword_hits
    assert all("AI" not in s.keyword_hits for s in matcher.classify("MAIL服务器"))


def test_unrelated_text_is_other(matcher: IndustryMatcher) -> None:
    assert matcher.best("市领导会见了来访客人") == OTHER
    with pytest.raises(InputError):
        matcher.classify("   ")


def test_classify_all_gives_best_per_taxonomy() -> None:
    result = classify_all("新能源汽车整车制造项目", all_matchers(FakeEmbedder()))
    assert set(result) == {"anhui_ten_emerging", "strategic_emerging_2018", "gbt4754_2017"}
    assert result["anhui_ten_emerging"] is not None
    assert result["anhui_ten_emerging"].name == "新能源汽车和智能网联汽车"
    assert result["gbt4754_2017"] is not None and result["gbt4754_2017"].name == "汽车制造业"
