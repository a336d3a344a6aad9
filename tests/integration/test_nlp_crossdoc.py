"""Cross-document resolution: real extractor + real store; one project reported by several documents is one lead."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

import jobs
from core.schemas import Document, Lead
from core.store import LeadFilter, Store
from nlp.leads import LeadExtractor

pytestmark = pytest.mark.integration

SIGNED = "3月1日，肥东县人民政府与比亚迪股份有限公司签约，比亚迪新能源汽车零部件产业园项目落户肥东县，总投资50亿元。"
STARTED = "6月10日，位于合肥市肥东县的比亚迪新能源汽车零部件产业园项目开工建设，建成后年产值可达80亿元。"
PRODUCING = "记者从肥东县获悉，比亚迪新能源汽车零部件产业园项目正式投产。"
OTHER = "芜湖市鸠江区与奇瑞汽车股份有限公司签约，奇瑞智能网联汽车研发中心项目总投资20亿元。"
ELSEWHERE = "6月12日，江苏省常州市武进区的比亚迪新能源汽车零部件产业园项目开工建设。"


@pytest.fixture(scope="module")
def extractor() -> LeadExtractor:
    return LeadExtractor()


def add_doc(store: Store, name: str, body: str, day: dt.date) -> int:
    url = f"http://news.example/{name}"
    doc = Document(url=url, canonical_url=url, title=name, source="test", text=body, publish_date=day,
                   content_hash=hashlib.sha256(body.encode()).hexdigest(), fetched_at=dt.datetime(2025, 1, 1))
    doc_id, _ = store.save_document(doc)
    return doc_id


def active(store: Store) -> list:
    return [lead for lead in store.list_leads(limit=100) if lead.status != "merged"]


def test_signed_started_producing_become_one_lead_with_history(store: Store, extractor: LeadExtractor) -> None:
    d1 = add_doc(store, "a", SIGNED, dt.date(2024, 3, 1))
    d2 = add_doc(store, "b", STARTED, dt.date(2024, 6, 10))
    d3 = add_doc(store, "c", PRODUCING, dt.date(2025, 1, 5))
    d4 = add_doc(store, "d", OTHER, dt.date(2024, 3, 2))
    stats = jobs.mine(store, extractor, progress=False)
    assert stats.documents == 4 and not stats.failed
    assert stats.linked == 2
    leads = active(store)
    byd = [lead for lead in leads if lead.project and "零部件产业园" in lead.project]
    assert len(byd) == 1, [(lead.org, lead.project) for lead in leads]
    lead = byd[0]
    assert lead.stage == "投产"
    assert lead.amount_cny == 5e9  # filled by the signing report, kept through the later ones
    assert lead.document_id == d1
    history = store.lead_stage_history(lead.id)
    assert [(h["stage"], h["document_id"]) for h in history] == [("签约", d1), ("开工", d2), ("投产", d3)]
    assert history[1]["event_date"] == dt.date(2024, 6, 10)
    assert "投产" in lead.evidence
    assert any(o.project and "奇瑞" in o.project and o.document_id == d4 for o in leads)


def test_remining_a_document_does_not_duplicate_steps(store: Store, extractor: LeadExtractor) -> None:
    add_doc(store, "a", SIGNED, dt.date(2024, 3, 1))
    d2 = add_doc(store, "b", STARTED, dt.date(2024, 6, 10))
    jobs.mine(store, extractor, progress=False)
    first = active(store)
    jobs.mine(store, extractor, everything=True, progress=False)
    again = active(store)
    assert len(again) == len(first) == 1
    history = store.lead_stage_history(again[0].id)
    assert [h["stage"] for h in history] == ["签约", "开工"]
    assert again[0].stage == "开工"
    # withdrawing the later report alone (re-mined with nothing found) takes the lead back to 签约
    store.resolve_document_leads(d2, [])
    assert store.get_lead(again[0].id).stage == "签约"


def test_reviewed_lead_gains_history_but_keeps_its_fields(store: Store, extractor: LeadExtractor) -> None:
    add_doc(store, "a", SIGNED, dt.date(2024, 3, 1))
    jobs.mine(store, extractor, progress=False)
    (lead,) = active(store)
    store.update_lead(lead.id, {"industry": "高端装备制造"}, actor="analyst", expected_version=lead.version)
    reviewed = store.set_lead_status(lead.id, "approved", actor="analyst", expected_version=lead.version + 1)
    d2 = add_doc(store, "b", STARTED, dt.date(2024, 6, 10))
    stats = jobs.mine(store, extractor, progress=False)
    assert stats.linked == 1
    after = store.get_lead(lead.id)
    assert (after.stage, after.industry, after.status, after.version) == ("签约", "高端装备制造", "approved",
                                                                          reviewed.version)
    assert [h["document_id"] for h in store.lead_stage_history(lead.id)][-1] == d2
    assert len(active(store)) == 1


def test_same_project_name_in_another_province_stays_separate(store: Store, extractor: LeadExtractor) -> None:
    add_doc(store, "a", SIGNED, dt.date(2024, 3, 1))
    add_doc(store, "e", ELSEWHERE, dt.date(2024, 6, 12))
    stats = jobs.mine(store, extractor, progress=False)
    assert stats.linked == 0
    codes = sorted(lead.region_code or "" for lead in active(store))
    assert len(codes) == 2 and codes[0].startswith("32") and codes[1].startswith("34")


def test_fingerprint_is_stored_and_filterable(store: Store, extractor: LeadExtractor) -> None:
    add_doc(store, "a", SIGNED, dt.date(2024, 3, 1))
    jobs.mine(store, extractor, progress=False)
    (lead,) = store.list_leads(LeadFilter(region_code="340100"))
    # exact-fingerprint fallback (no fuzzy matcher) finds the same project again
    again = store.resolve_document_leads(add_doc(store, "b", STARTED, dt.date(2024, 6, 10)), [
        lead.model_copy(update={"stage": "开工"})], fingerprints=["34|比亚迪|新能源汽车零部件产业园"])
    assert again == [(lead.id, False)]


def test_matching_looks_at_a_bounded_window_plus_equal_fingerprints(
    store: Store, extractor: LeadExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import core.store.leads as store_leads

    add_doc(store, "a", SIGNED, dt.date(2024, 3, 1))
    jobs.mine(store, extractor, progress=False)
    (first,) = active(store)
    filler = add_doc(store, "f", "合肥市与甲乙科技有限公司签约传感器项目,总投资5亿元。", dt.date(2024, 4, 1))
    jobs.mine(store, extractor, progress=False)
    assert len(active(store)) == 2 and filler
    monkeypatch.setattr(store_leads, "MATCH_WINDOW", 1)  # only the newest lead is in the window
    seen: list[int] = []

    def spy(lead: object, candidates: list) -> int | None:
        seen.append(len(candidates))
        return next((i for i, c in enumerate(candidates) if c.id == first.id), None)

    doc = add_doc(store, "b", STARTED, dt.date(2024, 6, 10))
    again = store.resolve_document_leads(doc, [first.model_copy(update={"stage": "开工"})],
                                         fingerprints=["34|比亚迪|新能源汽车零部件产业园"], match=spy)
    assert again == [(first.id, False)] and seen == [2]  # the window's newest lead + the old one with the fingerprint
    seen.clear()
    plain = Lead.model_validate({**first.model_dump(include=set(Lead.model_fields)), "stage": "开工"})
    store.resolve_document_leads(add_doc(store, "c", STARTED, dt.date(2024, 6, 11)), [plain],
                                 fingerprints=["no|such|key"], match=spy)
    assert seen == [1]
