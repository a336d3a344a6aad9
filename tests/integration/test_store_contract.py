"""Store contract: the same behaviour on SQLite and PostgreSQL (real servers, real migrations)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from core.errors import ConflictError, InputError, NotFoundError, StoreError
from core.schemas import Clause, Document, Lead, Policy
from core.store import LeadFilter, Store

pytestmark = pytest.mark.integration


def make_doc(url: str, body: str = "合肥市签约项目", **kw: object) -> Document:
    return Document(url=url, canonical_url=url, title="标题", source="test", text=body,
                    content_hash=str(abs(hash(body))), fetched_at=dt.datetime(2024, 1, 1), **kw)  # type: ignore[arg-type]


def make_lead(**kw: object) -> Lead:
    data: dict[str, object] = dict(org="比亚迪", project="动力电池项目", location="安庆市", region_code="340800",
                                   amount_cny=3e9, amount=3e9, currency="CNY", industry="新能源汽车和智能网联汽车",
                                   stage="签约", evidence="比亚迪在安庆签约动力电池项目。", confidence=0.9)
    data.update(kw)
    return Lead.model_validate(data)


def test_document_upsert_by_url_reports_created_unchanged_updated(store: Store) -> None:
    doc_id, state = store.save_document(make_doc("http://x/1"))
    assert state == "created"
    assert store.save_document(make_doc("http://x/1")) == (doc_id, "unchanged")
    assert store.save_document(make_doc("http://x/1", body="新的正文")) == (doc_id, "updated")
    assert store.get_document(doc_id).text == "新的正文"
    assert store.count_documents() == 1


def test_leads_filter_by_region_descendants_stage_and_text(store: Store) -> None:
    doc_id, _ = store.save_document(make_doc("http://x/2"))
    store.replace_document_leads(doc_id, [
        make_lead(),
        make_lead(org="中联重科", region_code="340207", location="鸠江区", stage="开工"),
        make_lead(org="长电科技", region_code="320500", location="苏州市"),
    ])
    anhui = store.list_leads(LeadFilter(region_code="340000"))
    assert {lead.org for lead in anhui} == {"比亚迪", "中联重科"}
    assert [lead.org for lead in store.list_leads(LeadFilter(stage="开工"))] == ["中联重科"]
    assert [lead.org for lead in store.list_leads(LeadFilter(text="长电"))] == ["长电科技"]
    assert store.count_leads(LeadFilter(region_code="340200")) == 1
    with pytest.raises(InputError):
        store.list_leads(LeadFilter(stage="完成"))


def test_cursor_pagination_visits_every_lead_once(store: Store) -> None:
    doc_id, _ = store.save_document(make_doc("http://x/3"))
    store.replace_document_leads(doc_id, [make_lead(org=f"公司{i}") for i in range(7)])
    seen: list[int] = []
    cursor = None
    while True:
        page = store.list_leads(limit=3, after_id=cursor)
        if not page:
            break
        seen += [lead.id for lead in page]
        cursor = page[-1].id
    assert len(seen) == 7 == len(set(seen))


def test_remining_keeps_reviewed_leads_and_replaces_the_rest(store: Store) -> None:
    doc_id, _ = store.save_document(make_doc("http://x/4"))
    first, second = store.replace_document_leads(doc_id, [make_lead(), make_lead(org="中联重科")])
    store.set_lead_status(first, "approved", actor="ana", expected_version=1)
    store.replace_document_leads(doc_id, [make_lead(org="新公司")])
    orgs = {lead.org for lead in store.list_leads(LeadFilter(document_id=doc_id))}
    assert orgs == {"比亚迪", "新公司"}
    with pytest.raises(NotFoundError):
        store.get_lead(second)


def test_edit_conflict_is_detected_not_overwritten(store: Store) -> None:
    doc_id, _ = store.save_document(make_doc("http://x/5"))
    (lead_id,) = store.replace_document_leads(doc_id, [make_lead()])
    store.update_lead(lead_id, {"org": "比亚迪股份有限公司"}, actor="ana", expected_version=1)
    with pytest.raises(ConflictError):
        store.update_lead(lead_id, {"org": "别的名字"}, actor="bo", expected_version=1)
    assert store.get_lead(lead_id).org == "比亚迪股份有限公司"


def test_concurrent_edits_one_wins_one_conflicts(store: Store) -> None:
    doc_id, _ = store.save_document(make_doc("http://x/6"))
    (lead_id,) = store.replace_document_leads(doc_id, [make_lead()])
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def edit(name: str) -> None:
        barrier.wait()
        try:
            store.update_lead(lead_id, {"org": name}, actor=name, expected_version=1)
            outcomes.append("ok")
        except (ConflictError, StoreError):
            outcomes.append("conflict")

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert store.get_lead(lead_id).version == 2


def test_review_actions_are_audited_and_undoable(store: Store) -> None:
    doc_id, _ = store.save_document(make_doc("http://x/7"))
    a, b = store.replace_document_leads(doc_id, [make_lead(), make_lead(org="比亚迪汽车")])
    with pytest.raises(InputError):
        store.set_lead_status(a, "rejected", actor="ana", expected_version=1, reason=" ")
    store.set_lead_status(a, "rejected", actor="ana", expected_version=1, reason="重复报道")
    restored = store.undo_last(a, actor="ana")
    assert restored.status == "new"
    store.merge_leads(a, [b], actor="ana")
    assert store.get_lead(b).status == "merged" and store.get_lead(b).merged_into == a
    assert len(store.lead_stage_history(a)) == 2
    actions = [e["action"] for e in store.review_events(a)]
    assert actions[0] == "undo" and "reject-undone" in actions
    merge = store.review_events(b)[0]
    assert merge["actor"] == "ana" and merge["before"]["status"] == "new" and merge["after"]["status"] == "merged"


def test_invalid_edit_changes_nothing(store: Store) -> None:
    doc_id, _ = store.save_document(make_doc("http://x/8"))
    (lead_id,) = store.replace_document_leads(doc_id, [make_lead()])
    with pytest.raises(InputError):
        store.update_lead(lead_id, {"stage": "完成"}, actor="ana", expected_version=1)
    with pytest.raises(InputError):
        store.update_lead(lead_id, {"status": "approved"}, actor="ana", expected_version=1)
    assert store.get_lead(lead_id).version == 1
    assert store.review_events(lead_id) == []


def test_policy_upsert_replaces_clauses_and_is_all_or_nothing(store: Store) -> None:
    p = Policy(id="P1", title="支持政策", issuer_region="安徽省", text="一、支持。", region_code="340000",
               clauses=[Clause(policy_id="P1", seq=0, number="一、", text="支持。")])
    assert store.upsert_policies([p]) == (1, 0)
    p2 = p.model_copy(update={"clauses": [Clause(policy_id="P1", seq=0, text="甲"), Clause(policy_id="P1", seq=1, text="乙")]})
    assert store.upsert_policies([p2]) == (0, 1)
    assert [c.text for c in store.get_policy("P1").clauses] == ["甲", "乙"]
    duplicate_seq = Policy(id="P2", title="t", issuer_region="全国", text="x",
                           clauses=[Clause(policy_id="P2", seq=0, text="a"), Clause(policy_id="P2", seq=0, text="b")])
    with pytest.raises(StoreError):
        store.upsert_policies([p.model_copy(update={"title": "改过的标题"}), duplicate_seq])
    assert store.get_policy("P1").title == "支持政策"
    assert store.count_policies() == 1


def test_undo_walks_back_one_action_at_a_time(store: Store) -> None:
    doc_id, _ = store.save_document(make_doc("http://x/9"))
    (lead_id,) = store.replace_document_leads(doc_id, [make_lead()])
    store.update_lead(lead_id, {"org": "甲"}, actor="ana", expected_version=1)
    store.set_lead_status(lead_id, "approved", actor="ana", expected_version=2)
    assert store.undo_last(lead_id, actor="ana").status == "new"
    second = store.undo_last(lead_id, actor="ana")
    assert second.org == "比亚迪" and second.status == "new"
    with pytest.raises(ConflictError):
        store.undo_last(lead_id, actor="ana")
