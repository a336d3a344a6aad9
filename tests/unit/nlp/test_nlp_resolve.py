"""Resolution rules: name cores, fingerprints and when two leads are the same project."""

from __future__ import annotations

import pytest

from core.schemas import Lead
from nlp.resolve import LeadResolver, fingerprint, name_similarity, org_core, project_core, regions_compatible


def lead(**kw: object) -> Lead:
    data: dict[str, object] = {"evidence": "x", "confidence": 0.5}
    data.update(kw)
    return Lead.model_validate(data)


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("安徽龙源风力发电有限公司", "龙源风力发电"),
        ("比亚迪股份有限公司", "比亚迪"),
        ("中化集团", "中化"),
        ("奇瑞汽车股份有限公司", "奇瑞汽车"),
        (None, ""),
    ],
)
def test_org_core_drops_place_and_legal_suffix(name: str | None, core: str) -> None:
    assert org_core(name) == core


def test_project_core_drops_investor_prefix_and_tail() -> None:
    assert project_core("比亚迪新能源汽车零部件产业园项目", "比亚迪股份有限公司") == "新能源汽车零部件产业园"
    assert project_core("“合肥市 晶合 二期”项目") == "晶合二期"
    assert project_core(None) == ""


def test_fingerprint_has_province_org_and_project() -> None:
    fp = fingerprint(lead(org="比亚迪股份有限公司", project="比亚迪动力电池项目", region_code="340822"))
    assert fp == "34|比亚迪|动力电池"
    assert fingerprint(lead(org="某基金")) == "|某基金|"


def test_similarity_and_regions() -> None:
    assert name_similarity("动力电池", "动力电池") == 1.0
    assert name_similarity("", "动力电池") == 0.0
    assert 0.5 < name_similarity("动力电池产业园", "动力电池") < 1.0
    assert regions_compatible("340100", "340122") and regions_compatible(None, "340122")
    assert not regions_compatible("340100", "340200")


BASE = {"org": "比亚迪", "project": "新能源汽车零部件产业园项目", "region_code": "340122", "amount_cny": 5e9}


@pytest.mark.parametrize(
    ("change", "same"),
    [
        ({}, True),
        ({"stage": "开工", "amount_cny": None}, True),
        ({"region_code": "340100"}, True),  # the city of the county
        ({"region_code": "320412"}, False),  # another province
        ({"region_code": "340200"}, False),  # another city
        ({"project": "新能源汽车零部件产业园一期项目"}, True),
        ({"org": "比亚迪股份有限公司"}, True),
        ({"org": "宁德时代"}, False),
        ({"amount_cny": 3e8}, False),  # an order of magnitude apart
        ({"project": "动力电池研发中心项目"}, False),
        ({"project": None}, False),  # an investor-only lead is not a named project
    ],
)
def test_resolver_same_project(change: dict[str, object], same: bool) -> None:
    resolver = LeadResolver()
    a = lead(**BASE)
    b = lead(**(BASE | change))
    assert (resolver.match(b, [a]) == 0) is same
    assert (resolver.match(a, [b]) == 0) is same  # symmetric


def test_phases_must_agree_when_both_are_named() -> None:
    resolver = LeadResolver()
    one = lead(project="晶合集成电路一期项目", region_code="340100")
    two = lead(project="晶合集成电路二期项目", region_code="340100")
    assert resolver.match(two, [one]) is None


def test_funds_match_on_investor_core_only() -> None:
    resolver = LeadResolver()
    fund = lead(org="安徽省新兴产业引导基金", region_code="340000")
    assert resolver.match(lead(org="安徽省新兴产业引导基金", region_code="340100"), [fund]) == 0
    assert resolver.match(lead(org="合肥市天使投资基金", region_code="340100"), [fund]) is None


def test_match_picks_the_most_similar_candidate() -> None:
    resolver = LeadResolver()
    candidates = [
        lead(project="新能源汽车零部件产业园二号地块项目", region_code="340122"),
        lead(project="新能源汽车零部件产业园项目", region_code="340122"),
    ]
    assert resolver.match(lead(project="新能源汽车零部件产业园", region_code="340122"), candidates) == 1
    assert resolver.match(lead(project="新能源汽车零部件产业园"), []) is None
