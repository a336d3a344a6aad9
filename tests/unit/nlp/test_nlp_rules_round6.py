"""Round-6 extraction rules, each on sentences written for the test: places of lists, zones with only a
statistical code, guarded county names, host parks before a company's project, industry product words."""

from __future__ import annotations

from nlp.leads import LeadExtractor


def _leads(extractor: LeadExtractor, text: str) -> list[dict]:
    return [lead.model_dump() for lead in extractor.extract(text).leads]


def test_place_before_a_list_locates_every_item(extractor: LeadExtractor) -> None:
    text = ("江苏恒远新能源集团有限公司6日与盐城市亭湖区签约,将在当地建设三个项目:恒远光伏组件项目、"
            "风电叶片制造项目和储能电站项目。")
    leads = _leads(extractor, text)
    assert len(leads) == 3
    assert {lead["region_code"] for lead in leads} == {"320902"}


def test_place_bound_to_the_first_item_stays_with_it(extractor: LeadExtractor) -> None:
    text = ("其中,江苏恒远新能源集团有限公司在亭湖区投资的光伏组件项目、总投资8亿元的盐城风电叶片制造项目"
            "等一批项目现场签约。")
    codes = [lead["region_code"] for lead in _leads(extractor, text)]
    assert codes[0] == "320902" and codes[1] != "320902"


def test_zone_with_only_a_statistical_code_takes_its_city(extractor: LeadExtractor) -> None:
    (lead,) = _leads(extractor, "合肥经开区与安徽华宇科技有限公司签约动力电池项目,总投资10亿元。")
    assert (lead["location"], lead["region_code"]) == ("合肥市", "340100")
    (lead,) = _leads(extractor, "苏州工业园区与江苏华宇科技有限公司签约动力电池项目,总投资10亿元。")
    assert lead["region_code"] == "320576"  # a zone that is a division in the table keeps its code


def test_guarded_county_name_at_a_clause_start(extractor: LeadExtractor) -> None:
    text = "同日,和县与德国某某液压公司洽谈的液压元件生产项目取得进展,外方拟投资3000万欧元。"
    (lead,) = _leads(extractor, text)
    assert lead["region_code"] == "340523"  # 和县 inside 市和县两级 is no place: see test_nlp_entities


def test_historical_huizhou_is_no_district(extractor: LeadExtractor) -> None:
    text = "黄山市黟县与上海某某文旅有限公司签约,总投资12亿元的徽州古村落文旅综合体项目落地。"
    (lead,) = _leads(extractor, text)
    assert lead["location"] == "黟县"


def test_park_before_a_named_company_project_is_its_place(extractor: LeadExtractor) -> None:
    text = "寿县新桥国际产业园的安徽某某环保科技有限公司垃圾焚烧发电项目已于8月初动工,总投资约7.5亿元。"
    (lead,) = _leads(extractor, text)
    assert lead["project"].endswith("垃圾焚烧发电项目") and lead["location"] == "寿县"
