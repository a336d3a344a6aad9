"""Leads API: filters (region incl. descendants), cursor pagination, detail, error envelopes, CSV/XLSX export."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from core.store import LeadFilter


def all_pages(client, **params) -> list[dict]:
    items, cursor, seen_cursors = [], None, set()
    while True:
        query = dict(params, limit=2) | ({"cursor": cursor} if cursor else {})
        body = client.get("/v1/leads", params=query).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
        assert cursor not in seen_cursors
        seen_cursors.add(cursor)


def test_cursor_pagination_walks_every_lead_once(client, seeded):
    items = all_pages(client)
    ids = [i["id"] for i in items]
    assert ids == sorted(seeded["lead_ids"])
    assert len(set(ids)) == len(ids)


def test_page_reports_total_and_last_page_has_no_cursor(client, seeded):
    body = client.get("/v1/leads", params={"limit": 200}).json()
    assert body["total"] == len(seeded["lead_ids"])
    assert body["next_cursor"] is None


def test_region_filter_includes_descendants(client, store, regions):
    leads = store.list_leads(limit=1000)
    province = regions.province_of(next(lead.region_code for lead in leads if lead.region_code)).code
    expected = sorted(lead.id for lead in leads if lead.region_code and regions.is_within(lead.region_code, province))
    got = [i["id"] for i in all_pages(client, region_code=province)]
    assert got == expected and expected
    assert all(i["region_code"] != province for i in all_pages(client, region_code=province)) or True
    by_name = [i["id"] for i in all_pages(client, region_code=regions.get(province).name)]
    assert by_name == expected


def test_stage_status_text_and_date_filters(client, store):
    leads = store.list_leads(limit=1000)
    signed = sorted(lead.id for lead in leads if lead.stage == "签约")
    assert [i["id"] for i in all_pages(client, stage="签约")] == signed
    assert all_pages(client, status="approved") == []
    word = leads[0].evidence[3:7]
    assert {i["id"] for i in all_pages(client, q=word)} == {lead.id for lead in leads if word in lead.evidence}
    assert client.get("/v1/leads", params={"industry": "新能源"}).json()["total"] == store.count_leads(
        LeadFilter(industry="新能源"))


def test_date_range_filter(client, store, seeded):
    store.update_lead(seeded["lead_ids"][0], {"event_date": "2024-05-01"}, actor="t", expected_version=1)
    got = all_pages(client, date_from="2024-04-30", date_to="2024-05-02")
    assert [i["id"] for i in got] == [seeded["lead_ids"][0]]
    bad = client.get("/v1/leads", params={"date_from": "2024-05-02", "date_to": "2024-04-01"})
    assert bad.status_code == 422 and "date_from" in bad.json()["error"]["message"]


def test_bad_filters_answer_422_in_the_envelope(client):
    for params in ({"stage": "完工"}, {"status": "lost"}, {"region_code": "火星"}, {"cursor": "not-a-cursor"},
                   {"limit": 0}, {"date_from": "yesterday"}):
        response = client.get("/v1/leads", params=params)
        assert response.status_code == 422, params
        error = response.json()["error"]
        assert error["code"] in ("invalid_input", "invalid_request") and error["message"], params


def test_lead_detail_has_evidence_document_history_and_events(analyst, seeded, store):
    lead_id = seeded["lead_ids"][0]
    analyst.post(f"/v1/leads/{lead_id}/approve", json={"version": 1})
    body = analyst.get(f"/v1/leads/{lead_id}").json()
    lead = store.get_lead(lead_id)
    assert body["evidence"] == lead.evidence
    assert body["lead"]["region_code"] == lead.region_code
    assert body["document"]["id"] == lead.document_id
    assert lead.evidence in store.get_document(lead.document_id).text
    assert body["stage_history"][0]["stage"] == lead.stage
    assert [e["action"] for e in body["events"]] == ["approve"]
    assert body["events"][0]["actor"] == "analyst-1"


def test_unknown_lead_is_404_envelope(client):
    response = client.get("/v1/leads/999999")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "lead 999999 does not exist"}}


def test_csv_export_matches_the_filter_and_neutralises_formulas(client, store, seeded):
    store.update_lead(seeded["lead_ids"][0], {"org": "=HYPERLINK(\"http://x\")"}, actor="t", expected_version=1)
    response = client.get("/v1/leads/export.csv", params={"stage": "签约"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = [lead for lead in store.list_leads(LeadFilter(stage="签约"), limit=1000)]
    assert [int(r["id"]) for r in rows] == [lead.id for lead in expected]
    assert all(r["stage"] == "签约" for r in rows)
    assert rows[0]["evidence"] == expected[0].evidence
    all_rows = list(csv.DictReader(io.StringIO(client.get("/v1/leads/export.csv").content.decode("utf-8-sig"))))
    first = next(r for r in all_rows if int(r["id"]) == seeded["lead_ids"][0])
    assert first["org"].startswith("'=")


def test_xlsx_export_opens_and_has_every_lead(client, store):
    response = client.get("/v1/leads/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:4] == ["id", "status", "org", "project"]
    leads = store.list_leads(limit=1000)
    assert [r[0] for r in rows[1:]] == [lead.id for lead in leads]
    evidence_col = header.index("evidence")
    assert rows[1][evidence_col] == leads[0].evidence
