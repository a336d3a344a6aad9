"""Match (industries in every taxonomy + policies for a lead or text), the events feed, and policy conditions."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from tests.unit.service.conftest import bearer


@dataclass(frozen=True)
class Score:
    taxonomy: str
    code: str
    name: str
    score: float
    keyword_hits: tuple[str, ...] = ()


@dataclass
class Tax:
    name: str


@dataclass
class KeywordMatcher:
    """Stands in for models.industries.IndustryMatcher: labels scored by the keywords found in the text."""

    taxonomy: Tax
    labels: dict[str, tuple[str, ...]]
    threshold: float = 0.5
    seen: list[str] = field(default_factory=list)

    def classify(self, text: str, top: int | None = None) -> list[Score]:
        self.seen.append(text)
        scored = [Score(self.taxonomy.name, f"C{i}", name, sum(k in text for k in kws) / len(kws),
                        tuple(k for k in kws if k in text)) for i, (name, kws) in enumerate(self.labels.items())]
        scored.sort(key=lambda s: -s.score)
        return scored[:top] if top else scored

    def best_score(self, text: str) -> Score | None:
        best = self.classify(text, 1)[0]
        return best if best.score >= self.threshold else None


@pytest.fixture
def matchers(services):
    services.industry_matchers = [
        KeywordMatcher(Tax("anhui_ten_emerging"), {"新能源汽车和智能网联汽车": ("汽车", "整车"), "新能源和节能环保": ("风电", "光伏", "风")}),
        KeywordMatcher(Tax("gbt4754_2017"), {"汽车制造业": ("汽车",), "电力、热力生产和供应业": ("风电", "发电")}),
    ]
    return services.industry_matchers


def test_match_a_lead_uses_its_region_and_text_in_every_taxonomy(client, api_keys, matchers, seeded, store, services):
    lead = next(store.get_lead(i) for i in seeded["lead_ids"] if store.get_lead(i).region_code)
    response = client.post("/v1/match", json={"lead_id": lead.id}, headers=bearer(api_keys["platform"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["lead_id"] == lead.id and body["region_code"] == lead.region_code
    assert lead.evidence in body["query"]
    assert [t["taxonomy"] for t in body["industries"]] == ["anhui_ten_emerging", "gbt4754_2017"]
    assert all(m.seen[-1] == body["query"] for m in matchers)
    assert services.policy_search.last_call["region"] == lead.region_code
    for policy in body["policies"]:  # every policy applies where the lead is
        assert services.regions.is_within(lead.region_code, policy["region_code"] or "000000")


def test_match_a_text_with_a_region_name(client, api_keys, matchers, services):
    response = client.post("/v1/match", json={"text": "在合肥建设新能源汽车整车工厂", "region": "合肥市", "top": 3},
                           headers=bearer(api_keys["platform"]))
    body = response.json()
    assert response.status_code == 200 and body["region_code"] == "340100"
    anhui = body["industries"][0]
    assert anhui["best"]["name"] == "新能源汽车和智能网联汽车" and anhui["best"]["keyword_hits"] == ["汽车", "整车"]
    assert services.policy_search.last_call == {"query": "在合肥建设新能源汽车整车工厂", "region": "340100", "top": 3,
                                                "industry": None, "include_expired": False}
    assert len(body["policies"]) <= 3


@pytest.mark.parametrize("payload", [{}, {"text": "  "}, {"lead_id": 1, "text": "风电"}, {"lead_id": 1, "region": "合肥"},
                                     {"text": "风电", "region": "不存在的地方"}, {"lead_id": 0}])
def test_match_refuses_unclear_requests(client, api_keys, matchers, payload):
    response = client.post("/v1/match", json=payload, headers=bearer(api_keys["platform"]))
    assert response.status_code in (404, 422) and response.json()["error"]["message"]


def test_a_policy_gets_its_best_industry_in_every_taxonomy(client, api_keys, matchers, services):
    policy = services.store.list_policies()[0]
    response = client.get(f"/v1/policies/{policy.id}/industries", headers=bearer(api_keys["platform"]))
    assert response.status_code == 200, response.text
    assert [t["taxonomy"] for t in response.json()] == ["anhui_ten_emerging", "gbt4754_2017"]
    assert all(m.seen[-1].startswith(policy.title) for m in matchers)
    assert client.get("/v1/policies/NOPE/industries", headers=bearer(api_keys["platform"])).status_code == 404
    assert client.get(f"/v1/policies/{policy.id}/industries").status_code == 401


def test_match_unknown_lead_is_404_and_missing_models_503(client, api_keys, services):
    headers = bearer(api_keys["platform"])
    services.industry_matchers = None  # no embedder in the fake services: industries cannot be built
    assert client.post("/v1/match", json={"text": "风电"}, headers=headers).status_code == 503
    assert client.post("/v1/match", json={"lead_id": 999999}, headers=headers).status_code == 404


def test_events_feed_lists_review_events_after_an_id(client, api_keys, seeded):
    analyst, platform = bearer(api_keys["analyst"]), bearer(api_keys["platform"])
    first, second = seeded["lead_ids"][:2]
    assert client.get("/v1/events", headers=platform).json() == {"items": [], "next_after": 0}
    client.post(f"/v1/leads/{first}/approve", json={"version": 1}, headers=analyst)
    client.post(f"/v1/leads/{second}/reject", json={"version": 1, "reason": "重复"}, headers=analyst)
    page = client.get("/v1/events", headers=platform).json()
    assert [(e["type"], e["lead_id"], e["actor"]) for e in page["items"]] == [
        ("lead.approve", first, "王分析"), ("lead.reject", second, "王分析")]
    assert page["items"][0]["after"]["status"] == "approved" and page["items"][1]["reason"] == "重复"
    newer = client.get("/v1/events", params={"after": page["items"][0]["id"]}, headers=platform).json()
    assert [e["lead_id"] for e in newer["items"]] == [second] and newer["next_after"] == page["next_after"]
    approved = client.get("/v1/events", params={"action": "approve"}, headers=platform).json()
    assert [e["lead_id"] for e in approved["items"]] == [first]
    assert client.get("/v1/events", params={"action": "delete"}, headers=platform).status_code == 422
    assert client.get("/v1/events", params={"after": -1}, headers=platform).status_code == 422


@dataclass
class Check:
    condition: dict
    status: str
    stated: float | None = None


def test_policy_conditions_show_in_the_api_and_page_when_the_search_gives_them(client, services, seeded):
    search = services.policy_search
    plain = search.search

    def with_conditions(*args, **kwargs):
        out = []
        for m in plain(*args, **kwargs):
            checks = [Check({"kind": "investment", "operator": ">=", "value": 1e9, "unit": "CNY",
                             "seq": 1, "text": "总投资达到10亿元以上"}, "satisfied", 3e9),
                      Check({"kind": "revenue", "operator": ">=", "value": 5e8, "unit": "CNY", "seq": 2,
                             "text": "营业收入不低于5亿元"}, "unknown")]
            match = replace(m)
            match.conditions = checks  # type: ignore[attr-defined]
            out.append(match)
        return out

    search.search = with_conditions
    api = client.get("/v1/policies/search", params={"q": "新能源汽车研发补助"}).json()
    assert api["results"], api
    conditions = api["results"][0]["conditions"]
    assert [(c["kind"], c["status"], c["stated"]) for c in conditions] == [("investment", "satisfied", 3e9),
                                                                         ("revenue", "unknown", None)]
    html = client.get("/policies", params={"q": "新能源汽车研发补助"}).text
    assert 'data-status="satisfied"' in html and "总投资达到10亿元以上" in html and "待核实" in html
    search.search = plain
    assert client.get("/v1/policies/search", params={"q": "新能源汽车研发补助"}).json()["results"][0]["conditions"] == []
