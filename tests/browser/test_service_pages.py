"""Browser: an analyst signs in with an API key, approves a lead with the keyboard, undoes it; an investor searches policies."""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_analyst_signs_in_with_a_key_approves_and_undoes(live_app, analyst_key, browser_page) -> None:
    base, store, lead_ids = live_app
    page = browser_page
    page.goto(base + "/review")
    assert page.url.startswith(base + "/signin")
    assert page.locator("#dev-banner").count() == 0
    page.fill("#signin-key", analyst_key[:-1])  # a wrong key is refused
    page.click("#signin-submit")
    assert "invalid or revoked" in page.locator("p.error").inner_text()
    page.fill("#signin-key", analyst_key)
    page.click("#signin-submit")
    page.wait_for_url(base + "/review")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["zs_session"]["httpOnly"] and analyst_key not in cookies["zs_session"]["value"]
    first = page.locator(f"#lead-{lead_ids[0]}")
    assert first.locator("mark.evidence").inner_text() == store.get_lead(lead_ids[0]).evidence
    page.keyboard.press("a")
    page.wait_for_function(f"document.querySelector('#lead-{lead_ids[0]} [data-role=status]').textContent === 'approved'")
    assert store.get_lead(lead_ids[0]).status == "approved"
    assert store.review_events(lead_ids[0])[0]["actor"] == "浏览器分析员"
    # the keyboard moved on to the next lead; go back and undo
    page.keyboard.press("k")
    page.keyboard.press("u")
    page.wait_for_function(f"document.querySelector('#lead-{lead_ids[0]} [data-role=status]').textContent === 'new'")
    assert store.get_lead(lead_ids[0]).status == "new"
    # correct a field and save it
    page.select_option(f"#lead-{lead_ids[1]} select[name=stage]", "开工")
    page.fill(f"#lead-{lead_ids[1]} input[name=org]", "安徽龙源风力发电有限公司")
    page.fill(f"#lead-{lead_ids[1]} input[name=amount_cny]", "1500000000")  # the 亿/万 reading follows the typing
    assert page.locator(f"#lead-{lead_ids[1]} [data-role=amount-hint]").inner_text() == "15亿元"
    page.click(f"#lead-{lead_ids[1]} button[data-action=edit]")
    page.wait_for_function(f"document.querySelector('#lead-{lead_ids[1]}').dataset.version === '2'")
    edited = store.get_lead(lead_ids[1])
    assert (edited.stage, edited.org, edited.amount_cny) == ("开工", "安徽龙源风力发电有限公司", 1.5e9)
    # reject without a reason is refused in the page; with one it goes through
    page.fill(f"#lead-{lead_ids[1]} [data-role=reason]", "与投资无关")
    page.click(f"#lead-{lead_ids[1]} button[data-action=reject]")
    page.wait_for_function(f"document.querySelector('#lead-{lead_ids[1]} [data-role=status]').textContent === 'rejected'")
    assert store.review_events(lead_ids[1])[0]["reason"] == "与投资无关"


@pytest.mark.browser
def test_investor_picks_a_region_and_searches(live_app, browser_page) -> None:
    base, _store, _ids = live_app
    page = browser_page
    page.goto(base + "/policies")
    page.select_option("#region-province", "340000")
    page.wait_for_function("document.querySelectorAll('#region-city option').length > 1")
    page.select_option("#region-city", "340100")
    page.wait_for_function("document.querySelectorAll('#region-county option').length > 1")
    page.fill("#policy-q", "新能源汽车研发补助")
    page.click("#policy-submit")
    page.wait_for_selector("#results")
    assert "city=340100" in page.url
    results = page.locator("li.policy")
    assert results.count() >= 1
    assert page.locator("li.policy mark.hit").count() >= 1
    issuers = page.locator("li.policy .issuer").all_inner_texts()
    assert issuers and all(i in ("全国", "安徽省", "合肥市") or i.startswith("合肥") for i in issuers), issuers


@pytest.mark.browser
def test_dev_mode_shows_the_banner_and_signs_in_by_name(live_app, browser_page) -> None:
    base, store, lead_ids = live_app
    page = browser_page
    page.goto(base + "/review")
    assert "open access on loopback only" in page.locator("#dev-banner").inner_text()
    page.fill("#signin-name", "本地演示")
    page.click("#signin-submit")
    page.wait_for_url(base + "/review")
    page.keyboard.press("a")
    page.wait_for_function(f"document.querySelector('#lead-{lead_ids[0]} [data-role=status]').textContent === 'approved'")
    assert store.review_events(lead_ids[0])[0]["actor"] == "本地演示"
