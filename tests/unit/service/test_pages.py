"""Review and policy pages: sign-in flow, filters, evidence highlighting, and hostile text rendered as text."""

from __future__ import annotations

import datetime as dt
import re

from core.schemas import Clause, Document, Lead, Policy
from service.app import chinese_amount, plain_number
from service.highlight import evidence_in_context, highlight, query_terms

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_root_redirects_and_review_needs_sign_in(client):
    assert client.get("/", follow_redirects=False).headers["location"] == "/review"
    response = client.get("/review", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")
    assert client.post("/signin", data={"name": "  "}).status_code == 422


def test_signin_ignores_offsite_next(client):
    response = client.post("/signin", data={"name": "李", "next": "//evil.example/x"}, follow_redirects=False)
    assert response.headers["location"] == "/review"


def test_review_lists_new_leads_with_evidence_marked_in_document(analyst, store, seeded):
    html = analyst.get("/review").text
    lead = store.get_lead(seeded["lead_ids"][0])
    card = html.split(f'id="lead-{lead.id}"', 1)[1].split("</article>", 1)[0]
    marked = re.search(r'<mark class="evidence">(.*?)</mark>', card, re.S)
    assert marked and marked.group(1) == lead.evidence.replace("&", "&amp;").replace('"', "&#34;")
    assert f'data-version="{lead.version}"' in html
    assert html.count('<article class="lead"') == min(20, len(seeded["lead_ids"]))
    assert "/static/review.js" in html


def test_review_filters_by_stage_and_status(analyst, store, seeded):
    signed = [lead.id for lead in store.list_leads(limit=100) if lead.stage == "签约"]
    html = analyst.get("/review", params={"stage": "签约"}).text
    assert sorted(int(i) for i in re.findall(r'<article class="lead" id="lead-(\d+)"', html)) == sorted(signed)
    analyst.post(f"/v1/leads/{signed[0]}/approve", json={"version": 1})
    html = analyst.get("/review", params={"status": "new", "stage": "签约"}).text
    assert f'id="lead-{signed[0]}"' not in html
    assert analyst.get("/review", params={"region": "亚特兰蒂斯"}).status_code == 422


def test_hostile_title_and_evidence_render_as_text_on_review(analyst, store):
    doc = Document(url="javascript:alert(1)", canonical_url="http://bad/", title=f"{SCRIPT}招商快讯",
                   source="bad", text=f"前文。{SCRIPT}公司在安庆市签约。后文。", content_hash="h" * 64,
                   fetched_at=dt.datetime(2026, 1, 1))
    doc_id, _ = store.save_document(doc)
    store.replace_document_leads(doc_id, [Lead(org=f"{SCRIPT}公司", evidence=f"{SCRIPT}公司在安庆市签约。",
                                               stage="签约", confidence=0.5)])
    html = analyst.get("/review", params={"q": "安庆市签约"}).text
    assert SCRIPT not in html
    assert f"{ESCAPED}招商快讯" in html
    assert f'<mark class="evidence">{ESCAPED}公司在安庆市签约。</mark>' in html
    assert 'href="javascript:' not in html


def test_hostile_policy_text_is_escaped_then_highlighted(client, services):
    hostile = Policy(id="X1", title=f"{SCRIPT}新能源补助办法", issuer_region="安徽省", region_code="340000",
                     text="x", clauses=[Clause(policy_id="X1", seq=0, text=f"对新能源企业给予补助{SCRIPT}")])
    services.store.upsert_policies([hostile])
    services.policy_search.policies.append(hostile)
    html = client.get("/policies", params={"q": "新能源补助", "province": "340000", "city": "340100"}).text
    assert SCRIPT not in html
    assert ESCAPED in html
    assert '<mark class="hit">新能源补助</mark>' in html
    assert "安徽省" in html and 'value="340100" selected' in html


def test_policy_page_without_query_shows_the_form(client):
    html = client.get("/policies").text
    assert 'name="q"' in html and '<option value="340000"' in html and 'id="results"' not in html


def test_highlight_escapes_before_marking():
    assert str(highlight("a<b>招商引资</b>", ["招商"])) == 'a&lt;b&gt;<mark class="hit">招商</mark>引资&lt;/b&gt;'
    assert str(highlight("<mark>", ["mark"])) == '&lt;<mark class="hit">mark</mark>&gt;'
    assert str(highlight("新能源汽车", ["新能", "能源"])) == '<mark class="hit">新能源</mark>汽车'


def test_query_terms_split_words_and_chinese_runs():
    terms = query_terms("新能源汽车, 研发补助 EV")
    assert "新能源汽车" in terms and "研发补助" in terms and "研发" in terms and "EV" in terms
    assert "," not in "".join(terms)


def test_evidence_context_windows_long_documents():
    text = "甲" * 1000 + "某公司签约落户。" + "乙" * 1000
    markup, found = evidence_in_context(text, "某公司签约落户。", window=10)
    assert found and str(markup) == "…" + "甲" * 10 + '<mark class="evidence">某公司签约落户。</mark>' + "乙" * 10 + "…"
    markup, found = evidence_in_context("别的文本", "<b>不在文中</b>")
    assert not found and "&lt;b&gt;" in str(markup)


def test_review_shows_amounts_as_analysts_read_them(analyst, store, seeded):
    lead = next(x for x in store.list_leads(limit=100) if x.amount_cny)
    card = analyst.get("/review").text.split(f'id="lead-{lead.id}"', 1)[1].split("</article>", 1)[0]
    field = re.search(r'name="amount_cny" type="number" step="any" value="([^"]*)"', card)
    assert field and float(field.group(1)) == lead.amount_cny and "." not in field.group(1)
    hint = re.search(r'data-role="amount-hint">([^<]*)<', card)
    assert hint and hint.group(1) == chinese_amount(lead.amount_cny) + "元" and hint.group(1)[-2] in "亿万"


def test_chinese_amount_reads_like_a_report():
    assert [chinese_amount(v) for v in (1.5e9, 5.1e7, 8000.0, 1.2345e9, None)] == ["15亿", "5100万", "8000",
                                                                                  "12.345亿", ""]
    assert [plain_number(v) for v in (2e10, 0.5, None)] == ["20000000000", "0.5", ""]


def test_policy_page_takes_one_region_name_or_code(client):
    html = client.get("/policies", params={"region": "安庆"}).text
    assert 'value="340000" selected' in html and 'value="340800" selected' in html
    html = client.get("/policies", params={"region": "340826"}).text
    assert 'value="340800" selected' in html and 'value="340826" selected' in html
    bad = client.get("/policies", params={"region": "亚特兰蒂斯", "q": "补助"})
    assert bad.status_code == 422 and "亚特兰蒂斯" in bad.text and 'id="results"' not in bad.text
