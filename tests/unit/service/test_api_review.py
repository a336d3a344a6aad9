"""Review actions: approve / reject / edit / merge / undo with expected versions, audit events and 409s."""

from __future__ import annotations


def test_review_actions_need_an_analyst(client, seeded):
    response = client.post(f"/v1/leads/{seeded['lead_ids'][0]}/approve", json={"version": 1})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_approve_bumps_version_and_is_audited(analyst, seeded, store):
    lead_id = seeded["lead_ids"][0]
    response = analyst.post(f"/v1/leads/{lead_id}/approve", json={"version": 1})
    assert response.status_code == 200
    assert response.json()["status"] == "approved" and response.json()["version"] == 2
    event = store.review_events(lead_id)[0]
    assert (event["action"], event["actor"], event["before"]["status"], event["after"]["status"]) == (
        "approve", "analyst-1", "new", "approved")


def test_stale_version_is_409_with_a_clear_message(analyst, seeded, store):
    lead_id = seeded["lead_ids"][1]
    assert analyst.post(f"/v1/leads/{lead_id}/edit", json={"version": 1, "changes": {"stage": "开工"}}).status_code == 200
    # a second analyst still holds version 1
    for action, body in (("approve", {}), ("reject", {"reason": "dup"}), ("edit", {"changes": {"org": "X"}}),
                         ("merge", {"duplicate_ids": [seeded["lead_ids"][2]]}), ("undo", {})):
        response = analyst.post(f"/v1/leads/{lead_id}/{action}", json={"version": 1, **body})
        assert response.status_code == 409, action
        error = response.json()["error"]
        assert error["code"] == "conflict" and "reload" in error["message"], action
    assert store.get_lead(lead_id).stage == "开工" and store.get_lead(lead_id).version == 2


def test_reject_requires_a_reason(analyst, seeded, store):
    lead_id = seeded["lead_ids"][0]
    missing = analyst.post(f"/v1/leads/{lead_id}/reject", json={"version": 1})
    blank = analyst.post(f"/v1/leads/{lead_id}/reject", json={"version": 1, "reason": "   "})
    assert missing.status_code == 422 and "reason" in missing.json()["error"]["message"]
    assert blank.status_code == 422 and "reason" in blank.json()["error"]["message"]
    ok = analyst.post(f"/v1/leads/{lead_id}/reject", json={"version": 1, "reason": "不是投资事件"})
    assert ok.json()["status"] == "rejected"
    assert store.review_events(lead_id)[0]["reason"] == "不是投资事件"


def test_edit_validates_fields(analyst, seeded, store):
    lead_id = seeded["lead_ids"][0]
    for changes in ({"stage": "完工"}, {"version": 9}, {"confidence": 3}):
        response = analyst.post(f"/v1/leads/{lead_id}/edit", json={"version": 1, "changes": changes})
        assert response.status_code == 422, changes
    assert store.get_lead(lead_id).version == 1
    ok = analyst.post(f"/v1/leads/{lead_id}/edit",
                      json={"version": 1, "changes": {"org": "安徽龙源风力发电有限公司", "amount_cny": 1.5e9}})
    assert ok.status_code == 200
    assert store.get_lead(lead_id).org == "安徽龙源风力发电有限公司"
    assert store.review_events(lead_id)[0]["after"]["amount_cny"] == 1.5e9


def test_merge_moves_history_and_undo_restores(analyst, seeded, store):
    keep, dup = seeded["lead_ids"][0], seeded["lead_ids"][1]
    dup_evidence = store.get_lead(dup).evidence
    response = analyst.post(f"/v1/leads/{keep}/merge", json={"version": 1, "duplicate_ids": [dup]})
    assert response.status_code == 200
    assert store.get_lead(dup).status == "merged" and store.get_lead(dup).merged_into == keep
    history = analyst.get(f"/v1/leads/{keep}").json()["stage_history"]
    assert dup_evidence in [h["evidence"] for h in history]
    assert analyst.post(f"/v1/leads/{keep}/merge", json={"version": 2, "duplicate_ids": [keep]}).status_code == 422
    undo = analyst.post(f"/v1/leads/{dup}/undo", json={"version": store.get_lead(dup).version})
    assert undo.status_code == 200 and undo.json()["status"] == "new" and undo.json()["merged_into"] is None
    actions = [e["action"] for e in store.review_events(dup)]
    assert actions == ["undo", "merge-undone"]


def test_undo_reverts_approval_and_nothing_left_is_409(analyst, seeded):
    lead_id = seeded["lead_ids"][2]
    analyst.post(f"/v1/leads/{lead_id}/approve", json={"version": 1})
    undone = analyst.post(f"/v1/leads/{lead_id}/undo", json={"version": 2})
    assert undone.json()["status"] == "new" and undone.json()["version"] == 3
    untouched = seeded["lead_ids"][3]
    nothing = analyst.post(f"/v1/leads/{untouched}/undo", json={"version": 1})
    assert nothing.status_code == 409 and "nothing to undo" in nothing.json()["error"]["message"]


def test_unknown_lead_action_is_404(analyst):
    response = analyst.post("/v1/leads/424242/approve", json={"version": 1})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_signin_cookie_names_the_actor(client, seeded, store):
    response = client.post("/signin", data={"name": "王分析", "next": "/review"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/review"
    lead_id = seeded["lead_ids"][0]
    assert client.post(f"/v1/leads/{lead_id}/approve", json={"version": 1}).status_code == 200
    assert store.review_events(lead_id)[0]["actor"] == "王分析"


def test_edit_checks_region_code_and_fills_it_from_location(analyst, seeded, store):
    lead_id = seeded["lead_ids"][0]
    bad = analyst.post(f"/v1/leads/{lead_id}/edit", json={"version": 1, "changes": {"region_code": "999999"}})
    assert bad.status_code == 422 and "999999" in bad.json()["error"]["message"]
    ok = analyst.post(f"/v1/leads/{lead_id}/edit", json={"version": 1, "changes": {"location": "安庆市"}})
    assert ok.status_code == 200 and ok.json()["region_code"] == "340800"


def test_merging_an_already_merged_lead_is_409(analyst, seeded, store):
    a, b, c = seeded["lead_ids"][:3]
    assert analyst.post(f"/v1/leads/{a}/merge", json={"version": 1, "duplicate_ids": [b]}).status_code == 200
    again = analyst.post(f"/v1/leads/{c}/merge", json={"version": 1, "duplicate_ids": [b]})
    assert again.status_code == 409 and f"already merged into {a}" in again.json()["error"]["message"]
    into_merged = analyst.post(f"/v1/leads/{b}/merge", json={"version": store.get_lead(b).version,
                                                             "duplicate_ids": [c]})
    assert into_merged.status_code == 409
    assert store.get_lead(c).status == "new"
