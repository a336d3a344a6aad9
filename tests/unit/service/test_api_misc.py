"""Health, extract (413), policy search and detail, regions, documents, sources, OpenAPI, concurrent edits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.deps import Services, UnavailableExtractor


def test_healthz_and_readyz_report_store_index_and_counts(client, seeded):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["ready"] is True and ready["store"]["ok"] is True
    assert ready["policy_index"] == {"loaded": True, "size": len(seeded["policies"]), "detail": None}
    assert ready["counts"]["leads"] == len(seeded["lead_ids"])


@pytest.fixture
def bare_client(settings, store, regions):
    """No policy index and no extractor: the app must still start and say why."""
    services = Services(store=store, regions=regions, extractor=UnavailableExtractor("nlp.leads missing"),
                        settings=settings, problems={"policy_index": "no policy index at /x"})
    with TestClient(create_app(settings, services)) as c:
        yield c


def test_missing_index_and_extractor_answer_503_and_readiness_says_so(bare_client):
    ready = bare_client.get("/readyz").json()
    assert ready["ready"] is True
    assert ready["policy_index"]["loaded"] is False and "/x" in ready["policy_index"]["detail"]
    assert ready["extractor"] == {"ok": False, "detail": "nlp.leads missing"}
    search = bare_client.get("/v1/policies/search", params={"q": "研发补助"})
    assert search.status_code == 503
    assert search.json()["error"]["code"] == "model_unavailable" and "policy index" in search.json()["error"]["message"]
    extract = bare_client.post("/v1/extract", json={"text": "某公司签约。"})
    assert extract.status_code == 503 and "nlp.leads missing" in extract.json()["error"]["message"]
    page = bare_client.get("/policies", params={"q": "研发补助"})
    assert page.status_code == 503 and "policy index" in page.text


def test_extract_returns_contract_fields(client, shared_dir):
    text = next(line for line in (shared_dir / "corpus" / "news.jsonl").read_text(encoding="utf-8").splitlines()
                if '"N001"' in line)
    import json

    body = client.post("/v1/extract", json={"text": json.loads(text)["text"], "publish_date": "2020-05-20"}).json()
    assert body["leads"], body
    lead = body["leads"][0]
    assert set(lead) == {"org", "project", "location", "region_code", "amount_cny", "amount", "currency", "industry",
                         "stage", "evidence", "confidence"}
    assert lead["evidence"] in json.loads(text)["text"]


def test_extract_limit_is_413_with_clear_message(client, settings):
    limit = settings.max_extract_chars
    response = client.post("/v1/extract", json={"text": "签" * (limit + 1)})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large" and str(limit) in error["message"]
    assert client.post("/v1/extract", json={"text": "签" * 10}).status_code == 200


def test_extract_bad_bodies_use_the_envelope(client):
    for body in ({}, {"text": 5}, {"text": "x", "publish_date": "2024-13-40"}):
        response = client.post("/v1/extract", json=body)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid_request"
    raw = client.post("/v1/extract", content=b"{not json", headers={"Content-Type": "application/json"})
    assert raw.status_code == 422 and raw.json()["error"]["code"] == "invalid_request"


def test_policy_search_get_and_post_agree_and_respect_region(client, services, regions):
    params = {"q": "新能源汽车 研发 补助", "region": "合肥市", "top": 5}
    got = client.get("/v1/policies/search", params=params).json()
    posted = client.post("/v1/policies/search", json=params).json()
    assert got == posted
    assert got["region_code"] == "340100"
    assert services.policy_search.last_call["region"] == "340100"
    assert got["results"], got
    for match in got["results"]:
        assert regions.is_within("340100", match["region_code"])
        assert match["matched_clauses"] and match["valid"] is True
    assert [m["score"] for m in got["results"]] == sorted((m["score"] for m in got["results"]), reverse=True)


def test_policy_search_rejects_unknown_region_and_empty_query(client):
    assert client.get("/v1/policies/search", params={"q": "补助", "region": "亚特兰蒂斯"}).status_code == 422
    empty = client.post("/v1/policies/search", json={"q": ""})
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "invalid_request"


def test_policy_detail_with_clauses_and_404(client, seeded):
    policy = seeded["policies"][1]
    body = client.get(f"/v1/policies/{policy.id}").json()
    assert body["policy"]["title"] == policy.title
    assert [c["text"] for c in body["clauses"]] == [c.text for c in policy.clauses]
    assert body["region_path"][-1] == policy.issuer_region
    missing = client.get("/v1/policies/D999")
    assert missing.status_code == 404 and "D999" in missing.json()["error"]["message"]


def test_regions_children_walk_province_city_county(client, regions):
    provinces = client.get("/v1/regions").json()
    assert len(provinces) >= 31 and {"code": "340000", "name": "安徽省", "level": "province", "parent": "000000",
                                     "has_children": True} in provinces
    cities = client.get("/v1/regions", params={"parent": "340000"}).json()
    assert "340800" in [c["code"] for c in cities] and all(c["parent"] == "340000" for c in cities)
    counties = client.get("/v1/regions", params={"parent": "安庆市"}).json()
    assert counties and all(regions.is_within(c["code"], "340800") for c in counties)
    assert client.get("/v1/regions", params={"parent": "999999"}).status_code == 422


def test_documents_and_sources(client, seeded, store):
    page = client.get("/v1/documents", params={"limit": 3}).json()
    assert [d["id"] for d in page["items"]] == seeded["doc_ids"][:3] and page["next_offset"] == 3
    assert page["total"] == len(seeded["doc_ids"])
    doc_id = seeded["doc_ids"][0]
    detail = client.get(f"/v1/documents/{doc_id}").json()
    assert detail["document"]["text"] == store.get_document(doc_id).text
    assert all(lead["document_id"] == doc_id for lead in detail["leads"]) and detail["leads"]
    assert client.get("/v1/documents/99999").status_code == 404
    store.upsert_source("安庆市投资促进局", region="安庆市", region_code="340800", kind="news", start_urls=["http://a"])
    sources = client.get("/v1/sources").json()
    assert sources[0]["name"] == "安庆市投资促进局" and sources[0]["documents"] == 0


def test_openapi_documents_the_v1_api_with_response_models(client):
    spec = client.get("/openapi.json").json()
    for path in ("/v1/leads", "/v1/leads/{lead_id}", "/v1/extract", "/v1/policies/search", "/v1/policies/{policy_id}",
                 "/v1/documents", "/v1/sources", "/v1/regions", "/v1/leads/{lead_id}/approve", "/readyz"):
        assert path in spec["paths"], path
    lead_ok = spec["paths"]["/v1/leads"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert lead_ok["$ref"].endswith("/LeadPage")
    assert "409" in spec["paths"]["/v1/leads/{lead_id}/edit"]["post"]["responses"]
    assert "/review" not in spec["paths"]


def test_concurrent_edits_one_wins_one_conflicts(analyst, seeded, store):
    lead_id = seeded["lead_ids"][0]

    def edit(org: str) -> int:
        return analyst.post(f"/v1/leads/{lead_id}/edit", json={"version": 1, "changes": {"org": org}}).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = sorted(pool.map(edit, ["甲公司", "乙公司"]))
    assert codes == [200, 409]
    lead = store.get_lead(lead_id)
    assert lead.version == 2 and lead.org in ("甲公司", "乙公司")
    assert len(store.review_events(lead_id)) == 1


def test_create_app_builds_its_own_services_once(settings):
    """Without injected services the lifespan builds them from settings (fake embedder, fresh home, no index)."""
    app = create_app(settings)
    with TestClient(app) as c:
        services = app.state.services
        assert c.get("/readyz").json()["store"]["ok"] is True
        assert services.policy_search is None and "policy_index" in services.problems
        assert c.get("/v1/leads").json() == {"items": [], "next_cursor": None, "total": 0}
        assert app.state.services is services


def test_policy_match_detail_may_be_nested_or_flat(store, seeded):
    from service.routes.policies import match_out

    policy = seeded["policies"][0]
    nested = {"policy_id": policy.id, "score": 0.5, "title": policy.title, "matched_clause": "c1",
              "detail": {"issuer_region": "安徽省", "expired": True, "matched_clauses": [{"text": "c1"}, "c2"],
                         "applicability": "省级政策适用于全省"}}
    out = match_out(nested, store)
    assert (out.valid, out.matched_clauses, out.applicability, out.issuer_region) == (
        False, ["c1", "c2"], "省级政策适用于全省", "安徽省")
    flat = match_out({"policy_id": policy.id, "score": 1, "title": "t", "matched_clause": None}, store)
    assert flat.issuer_region == policy.issuer_region and flat.matched_clauses == [] and flat.valid is None
