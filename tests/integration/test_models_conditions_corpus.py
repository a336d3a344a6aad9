"""Integration: conditions read from the shared corpus policies (../shared/corpus/policies.jsonl, read in place)
and checked on real hybrid search results (real jieba, real FAISS; hashing embedder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.schemas import Lead, Policy, PolicyInput
from models.conditions import QueryFacts, facts_from_lead, policy_conditions
from models.embedder import FakeEmbedder
from models.matcher import PolicySearch
from models.policies import parse_policy
from nlp.regions import default_regions

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def policies() -> dict[str, Policy]:
    path = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "policies.jsonl"
    regions = default_regions()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["id"]: parse_policy(PolicyInput.model_validate(row), regions) for row in rows}


@pytest.fixture(scope="module")
def search(policies: dict[str, Policy]) -> PolicySearch:
    return PolicySearch.build(policies.values(), FakeEmbedder(), default_regions())


def _amounts(policy: Policy) -> list[tuple[str, float | None, str | None]]:
    return [(c.kind, c.value, c.unit) for c in policy_conditions(policy) if c.operator != "in"]


def test_known_thresholds(policies: dict[str, Policy]) -> None:
    assert _amounts(policies["D057"]) == [("investment", 3e7, "CNY"), ("investment", 1e7, "CNY")]
    assert ("registered_capital", 3e7, "CNY") in _amounts(policies["D013"])
    assert ("revenue", 5e8, "CNY") in _amounts(policies["D013"])
    assert _amounts(policies["D059"]) == [("investment", 1e7, "USD"), ("investment", 1e8, "CNY")]
    assert _amounts(policies["D065"]) == [("investment", 5e6, "CNY"), ("investment", 3e6, "CNY")]
    assert ("fixed_asset_investment", 1e10, "CNY") in _amounts(policies["D041"])
    assert {c.kind for c in policy_conditions(policies["D050"])} == {"fortune_global_500"}
    # every condition points at the clause that states it
    for pid in ("D057", "D013", "D032", "D080"):
        clauses = {c.seq: c.text for c in policies[pid].clauses}
        for cond in policy_conditions(policies[pid]):
            assert cond.text.replace(" ", "")[:4] in clauses[cond.seq].replace(" ", "")


def test_plan_targets_are_not_conditions(policies: dict[str, Policy]) -> None:
    # development plans whose amounts are goals (产业规模超过…, 营业收入在亿元以上的企业250家, 比重达到…)
    for pid in ("D003", "D008", "D014", "D033", "D034", "D053", "D068"):
        assert _amounts(policies[pid]) == [], pid


def test_search_marks_conditions_from_the_query(search: PolicySearch) -> None:
    query = "新引进工业项目 固定资产投资补助 技术改造"
    rich = {m.policy_id: m for m in search.search(f"{query} 我们计划投资30亿元", region="长丰县", top=10)}
    assert "D057" in rich
    assert [c.status for c in rich["D057"].conditions] == ["satisfied", "satisfied"]
    poor = {m.policy_id: m for m in search.search(f"{query} 投资2000万元", region="长丰县", top=10)}
    assert [c.status for c in poor["D057"].conditions] == ["not_satisfied", "satisfied"]
    silent = {m.policy_id: m for m in search.search(query, region="长丰县", top=10)}
    assert [c.status for c in silent["D057"].conditions] == ["unknown", "unknown"]
    # conditions annotate, they do not reorder: the same text without facts ranks the same policies the same way
    blind = search.search(f"{query} 我们计划投资30亿元", region="长丰县", top=10, facts=QueryFacts())
    assert [m.policy_id for m in blind] == list(rich)
    assert all(c.status == "unknown" for m in blind for c in m.conditions)


def test_search_checks_a_leads_amount(search: PolicySearch) -> None:
    lead = Lead(org="某外资企业", amount=2e7, currency="USD", evidence="签约", confidence=0.9)
    found = {
        m.policy_id: m for m in search.search("中介机构招商引荐奖励", region="宁波市", facts=facts_from_lead(lead))
    }
    statuses = {(c.condition.unit, c.status) for c in found["D059"].conditions if c.condition.operator != "in"}
    assert statuses == {("USD", "satisfied"), ("CNY", "unknown")}
