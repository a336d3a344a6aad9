"""Round-2 extraction rules: enumerated items, planned milestones, joint stages, size classes, places, names."""

from __future__ import annotations

import pytest

from nlp.entities.enumeration import find_enumerated
from nlp.entities.money import find_money
from nlp.entities.stage import detect_stage
from nlp.leads import LeadExtractor
from nlp.leadtext import fullest_org


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("甲乙智造、丙丁生物技术以及某某海洋产品产业园等重点项目10个已成功签约", ["甲乙智造", "丙丁生物技术", "某某海洋产品产业园"]),
        ("全力推进某港基金港、某某商业综合体和某某智慧康养等在谈项目。", ["某港基金港", "某某商业综合体", "某某智慧康养"]),
        ("协议项目有4个,包括某某金融产业中心和某某生猪养殖基地等,总投资约56亿元。", ["某某金融产业中心", "某某生猪养殖基地"]),
        ("涵盖集成电路、生物医药、装备制造等领域的24个项目", []),  # industries, not named items
        ("业务方向包括高端制造、航天军工和医疗教育等,设备规模将达400台套", []),  # bare 等 without a count
        ("鼓励甲公司、乙公司等企业参与", []),  # firms named as examples, not projects
        ("充分发挥某某等大项目龙头效应", []),  # a single item is no list
        ("协助业主完成企业登记注册、建设方案设计等12项事项", []),
    ],
)
def test_enumerated_items(text: str, items: list[str]) -> None:
    found = find_enumerated(text)
    assert [i.name for i in found] == items
    assert all(text[i.start : i.end] == i.name for i in found)


def test_listed_projects_become_leads_without_the_batch_total(extractor: LeadExtractor) -> None:
    text = "今年以来，芜湖市鸠江区引进甲乙智能装备、丙丁生物医药以及戊己新材料产业园等重点项目12个已签约，总投资达86亿元。"
    leads = extractor.extract(text).leads
    assert [lead.project for lead in leads] == ["甲乙智能装备", "丙丁生物医药", "戊己新材料产业园"]
    assert all(lead.amount_cny is None and lead.stage == "签约" and lead.region_code == "340207" for lead in leads)
    assert [lead.industry for lead in leads] == ["高端装备制造", "生命健康", "新材料"]


def test_listed_funds_are_org_leads(extractor: LeadExtractor) -> None:
    text = "会上，无锡甲乙新兴产业成长母基金、丙丁产业发展动能母基金等5个基金完成现场签约，总额约100亿元。"
    leads = extractor.extract(text).leads
    assert [(lead.org, lead.project) for lead in leads] == [
        ("无锡甲乙新兴产业成长母基金", None), ("丙丁产业发展动能母基金", None)]
    assert {lead.region_code for lead in leads} == {"320200"}
    assert all(lead.amount_cny is None for lead in leads)


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("该项目拟于今年9月底开工建设,年底前首台机组并网。", "其他"),  # both milestones planned
        ("在此次集中签约、开工的一批项目里,某某项目总投资20亿元。", "其他"),  # batch event, stage unclear
        ("某某项目从签约、拿地、开工到通线,仅用时285天。", "投产"),  # the most advanced stage stated
        ("开发区成功引进某某科技有限公司。", "签约"),
        ("某某项目已于去年开工,今年6月并网发电。", "投产"),
    ],
)
def test_stage_rules(text: str, stage: str) -> None:
    assert detect_stage(text) == stage


def test_size_class_is_not_an_amount() -> None:
    roles = {m.text: m.role for m in find_money("引进投资超过50亿元的项目6个,10亿元以上的有32个,总投资80亿元")}
    assert roles == {"超过50亿元": "threshold", "10亿元以上": "threshold", "80亿元": "investment"}


def test_old_county_name_written_in_full_is_found(extractor: LeadExtractor) -> None:
    lead = extractor.extract("洛阳市首个电动汽车产业园项目落户孟津县华阳产业集聚区。").leads[0]
    assert (lead.location, lead.region_code) == ("孟津区", "410308")


def test_section_heading_locates_its_leads(extractor: LeadExtractor) -> None:
    text = ("绍兴市越城区:做好人才服务\n越城区为企业认定人才。\n"
            "嵊州市:保障重大项目落地\n近三年来,共引进甲乙新能源、丙丁药业等亿元以上项目30个。")
    leads = extractor.extract(text).leads
    assert {lead.region_code for lead in leads} == {"330683"}


def test_place_of_another_province_inside_a_project_name_does_not_locate_it(extractor: LeadExtractor) -> None:
    text = "芜湖市繁昌区今年签约项目多个。其中，吴江纺织科技产业园项目总投资10亿元，已签约落户。"
    lead = next(lead for lead in extractor.extract(text).leads if lead.project and "吴江" in lead.project)
    assert lead.region_code == "340212"


def test_investor_takes_its_fullest_name_and_forward_ownership(extractor: LeadExtractor) -> None:
    assert fullest_org("碧桂园", "碧桂园集团董事局主席介绍，碧桂园在此投资") == "碧桂园集团"
    assert fullest_org("比亚迪股份有限公司", "比亚迪") == "比亚迪股份有限公司"
    for joint in ("以及", "还有"):  # the joining word never becomes part of the investor's name
        text = f"开发区今年引进了甲乙国际陆港项目,{joint}中化集团投资的己内酰胺·尼龙6项目、100万吨有机硅项目。"
        by_project = {lead.project: lead.org for lead in extractor.extract(text).leads}
        assert by_project == {"甲乙国际陆港项目": None, "己内酰胺·尼龙6项目": "中化集团", "100万吨有机硅项目": "中化集团"}


def test_investor_only_mention_adds_its_stage_to_the_project(extractor: LeadExtractor) -> None:
    text = "嵊州市近年引进京东方显示、丙丁药业等亿元以上项目30个。京东方项目从签约、拿地、开工到通线,仅用时285天。"
    leads = extractor.extract(text).leads
    first = next(lead for lead in leads if lead.project == "京东方显示")
    assert (first.org, first.stage) == ("京东方", "投产")
    assert all(lead.project for lead in leads)


def test_promised_fund_is_not_a_lead(extractor: LeadExtractor) -> None:
    assert extractor.extract("本省计划逐步组建100亿元规模的制造业产业投资基金,撬动社会资本。").leads == []
    assert extractor.extract("淮南市谋划设立六大新兴产业引导基金,支持县区构建基金体系。").leads == []
