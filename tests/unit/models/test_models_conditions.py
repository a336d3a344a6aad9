"""Unit: eligibility conditions read from clauses, facts read from queries and leads, and their checks."""

from __future__ import annotations

import pytest

from core.errors import InputError
from core.schemas import Lead, PolicyInput
from models.conditions import (
    ConditionAnnotator,
    QueryFacts,
    check,
    clause_conditions,
    facts_from_lead,
    parse_facts,
    policy_conditions,
)
from models.embedder import FakeEmbedder
from models.matcher import PolicySearch
from models.policies import parse_policy
from nlp.regions import default_regions


def _kinds(text: str) -> list[tuple[str, str, float | None, str | None]]:
    return [(c.kind, c.operator, c.value, c.unit) for c in clause_conditions(text, 3)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("新引进工业项目总投资不低于5亿元的,按设备投资额的10%给予补助。", [("investment", ">=", 5e8, "CNY")]),
        ("固定资产投资额在2000万元(含)以上的制造业项目", [("fixed_asset_investment", ">=", 2e7, "CNY")]),
        ("企业实缴注册资本不少于1000万元。", [("registered_capital", ">=", 1e7, "CNY")]),
        ("上年度营业收入超过3亿元的企业", [("revenue", ">", 3e8, "CNY")]),
        ("年产值达到十亿元以上", [("output_value", ">=", 1e9, "CNY")]),
        ("当年新增投资1.5亿元以上的技改项目", [("new_investment", ">=", 1.5e8, "CNY")]),
        ("研发投入占营业收入比例不低于5%的高新技术企业", [("rd_ratio", ">=", 5.0, "percent")]),
        ("实到外资500万美元以上的项目", [("investment", ">=", 5e6, "USD")]),
    ],
)
def test_clause_thresholds(text: str, expected: list[tuple[str, str, float, str]]) -> None:
    assert _kinds(text) == expected


def test_traditional_script_and_membership() -> None:
    found = clause_conditions("對世界500強、中國企業500強在本區設立總部的,給予獎勵", 0)
    assert {c.kind for c in found} == {"fortune_global_500", "china_500"}
    assert all(c.operator == "in" and c.value is None for c in found)


def test_several_thresholds_in_one_sentence_keep_their_own_kind_and_seq() -> None:
    found = clause_conditions("注册资本达到3000万元以上,或者年营业收入达到5亿元以上的,给予奖励", 8)
    assert [(c.kind, c.value, c.seq) for c in found] == [("registered_capital", 3e7, 8), ("revenue", 5e8, 8)]
    assert found[0].text == "注册资本达到3000万元以上"


@pytest.mark.parametrize(
    "text",
    [
        "按固定资产投资额的5%给予补助,最高1000万元。",  # a reward, not a threshold
        "给予不超过500万元的奖励",
        "力争到2025年全市工业总产值超过4000亿元",  # a plan's target
        "全市年营业收入在亿元以上的企业已有250家,超十亿元的有30家",  # counts of firms
        "项目投资3000万元,用于建设厂房",  # an amount without 以上/不低于 is not a condition
        "安排专项资金2亿元",
    ],
)
def test_rewards_targets_and_plain_amounts_are_not_conditions(text: str) -> None:
    assert clause_conditions(text) == []


@pytest.mark.parametrize(
    ("query", "amounts", "rd", "members"),
    [
        ("我们计划投资30亿元建设动力电池项目", {"investment": 3e9}, None, set()),
        ("注册资本5000万的企业", {"registered_capital": 5e7}, None, set()),
        ("固定资产投资2亿元,年营业收入8亿元", {"fixed_asset_investment": 2e8, "revenue": 8e8}, None, set()),
        ("世界500强企业,研发投入占比6%", {}, 6.0, {"fortune_global_500"}),
        ("集成电路设计企业 合肥", {}, None, set()),
        ("在合肥设立3家工厂", {}, None, set()),
        ("年产10万吨锂电池材料项目", {}, None, set()),  # a quantity, not money
        ("年产10万辆 总投资50亿", {"investment": 5e9}, None, set()),
        ("一个30亿元的项目", {"investment": 3e9}, None, set()),  # 元 alone marks money
    ],
)
def test_parse_facts(query: str, amounts: dict[str, float], rd: float | None, members: set[str]) -> None:
    facts = parse_facts(query)
    assert facts.amounts == amounts and facts.rd_ratio == rd and set(facts.memberships) == members


def test_parse_facts_rejects_non_text() -> None:
    with pytest.raises(InputError):
        parse_facts(None)  # type: ignore[arg-type]


def test_check_statuses() -> None:
    [cond] = clause_conditions("单个项目总投资达到3000万元以上的")
    assert check(cond, parse_facts("投资30亿元")).status == "satisfied"
    assert check(cond, parse_facts("投资2000万元")).status == "not_satisfied"
    assert check(cond, parse_facts("注册资本5亿元")).status == "unknown"  # says nothing about the investment
    assert check(cond, QueryFacts()).status == "unknown"
    # a fixed-asset investment above the threshold implies the total is too
    assert check(cond, parse_facts("固定资产投资5000万元")).status == "satisfied"


def test_fixed_asset_threshold_fails_only_when_the_total_is_below() -> None:
    [cond] = clause_conditions("固定资产投资5000万元以上的项目")
    assert check(cond, parse_facts("总投资3000万元")).status == "not_satisfied"
    assert check(cond, parse_facts("总投资3亿元")).status == "unknown"  # the fixed-asset share is not stated
    assert check(cond, parse_facts("固定资产投资1亿元")).status == "satisfied"


def test_strict_operator_and_currency_kept_apart() -> None:
    [strict] = clause_conditions("营业收入超过3亿元的")
    assert check(strict, parse_facts("营业收入3亿元")).status == "not_satisfied"
    [usd] = clause_conditions("实到外资1000万美元以上")
    assert check(usd, parse_facts("投资1亿元")).status == "unknown"
    assert check(usd, parse_facts("投资2000万美元")).status == "satisfied"


def test_facts_from_lead_use_amount_cny() -> None:
    lead = Lead(org="某公司", amount_cny=2e9, evidence="某公司投资20亿元建设项目", confidence=0.9)
    assert facts_from_lead(lead).amounts["investment"] == 2e9
    usd = Lead(org="某公司", amount=5e7, currency="USD", evidence="投资5000万美元", confidence=0.9)
    assert facts_from_lead(usd).usd["investment"] == 5e7


def _policy(pid: str, text: str, title: str = "扶持政策") -> PolicyInput:
    return PolicyInput(id=pid, title=title, issuer_region="合肥市", text=text)


def test_policy_conditions_and_search_annotation() -> None:
    regions = default_regions()
    big = parse_policy(
        _policy(
            "P1",
            "一、支持工业项目。\n1.新引进工业项目总投资达到5亿元以上的,给予补助。\n2.世界500强企业设立区域总部的,给予奖励。",
        ),
        regions,
    )
    small = parse_policy(
        _policy("P2", "一、技术改造。\n1.企业技改项目投资1000万元以上的,按照设备投资额的10%予以奖补。"), regions
    )
    found = policy_conditions(big)
    assert [c.kind for c in found] == ["investment", "fortune_global_500"]
    clauses = {c.seq: c.text for c in big.clauses}
    assert "总投资达到5亿元以上" in clauses[found[0].seq] and "世界500强" in clauses[found[1].seq]
    assert found[0].seq != found[1].seq
    search = PolicySearch.build([big, small], FakeEmbedder(), regions)
    by_id = {m.policy_id: m for m in search.search("工业项目 投资3亿元 奖补", region="合肥市")}
    assert [c.status for c in by_id["P1"].conditions] == ["not_satisfied", "unknown"]
    assert [c.status for c in by_id["P2"].conditions] == ["satisfied"]
    lead = Lead(org="某公司", amount_cny=6e8, evidence="签约", confidence=0.9)
    again = {m.policy_id: m for m in search.search("工业项目", region="合肥市", facts=facts_from_lead(lead))}
    assert again["P1"].conditions[0].status == "satisfied" and again["P1"].conditions[0].stated == 6e8
    dropped = ConditionAnnotator(parse_facts("投资100万元"), drop_unmet=True)
    assert dropped(by_id["P2"], small) is None
    assert dropped(by_id["P1"], big) is not None  # the 500强 condition is unknown, not failed
