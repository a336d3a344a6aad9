"""Round-6 extraction rules, each on sentences written for the test: places of lists, zones with only a
statistical code, guarded county names, host parks before a company's project, industry product words."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.unit.nlp.conftest import LeadsOf





def test_place_before_a_list_locates_every_item(leads_of: LeadsOf) -> None:
    text = ("江苏恒远新能源集团有限公司6日与盐城市亭湖区签约,将在当地建设三个项目:恒远光伏组件项目、"
            "风电叶片制造项目和储能电站项目。")
    leads = leads_of(text)
    assert len(leads) == 3
    assert {lead["region_code"] for lead in leads} == {"320902"}


def test_place_bound_to_the_first_item_stays_with_it(leads_of: LeadsOf) -> None:
    text = ("其中,江苏恒远新能源集团有限公司在亭湖区投资的光伏组件项目、总投资8亿元的盐城风电叶片制造项目"
            "等一批项目现场签约。")
    codes = [lead["region_code"] for lead in leads_of(text)]
    assert codes[0] == "320902" and codes[1] != "320902"


def test_zone_with_only_a_statistical_code_takes_its_city(leads_of: LeadsOf) -> None:
    (lead,) = leads_of("合肥经开区与安徽华宇科技有限公司签约动力电池项目,总投资10亿元。")
    assert (lead["location"], lead["region_code"]) == ("合肥市", "340100")
    (lead,) = leads_of("苏州工业园区与江苏华宇科技有限公司签约动力电池项目,总投资10亿元。")
    assert lead["region_code"] == "320576"  # a zone that is a division in the table keeps its code


def test_guarded_county_name_at_a_clause_start(leads_of: LeadsOf) -> None:
    text = "同日,和县与德国某某液压公司洽谈的液压元件生产项目取得进展,外方拟投资3000万欧元。"
    (lead,) = leads_of(text)
    assert lead["region_code"] == "340523"  # 和县 inside 市和县两级 is no place: see test_nlp_entities


def test_historical_huizhou_is_no_district(leads_of: LeadsOf) -> None:
    text = "黄山市黟县与上海某某文旅有限公司签约,总投资12亿元的徽州古村落文旅综合体项目落地。"
    (lead,) = leads_of(text)
    assert lead["location"] == "黟县"


def test_park_before_a_named_company_project_is_its_place(leads_of: LeadsOf) -> None:
    text = "寿县新桥国际产业园的安徽某某环保科技有限公司垃圾焚烧发电项目已于8月初动工,总投资约7.5亿元。"
    (lead,) = leads_of(text)
    assert lead["project"].endswith("垃圾焚烧发电项目") and lead["location"] == "寿县"


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        ("柳江区螺蛳粉产业园二期项目昨日开工,总投资6亿元。", "绿色食品"),
        ("北流市日用陶瓷智能工厂项目开工,总投资3亿元。", "其他"),  # daily-use ceramics: not an advanced material
        ("总投资3.2亿元的年产6亿平方米锂电池隔膜项目开工建设。", "新材料"),  # the material, not the battery
        ("红塔区卷烟智能工厂技改项目全面达产,总投资9.3亿元。", "其他"),  # what is made decides, not how
        ("蔚来换电站网络项目落户寿光,总投资2亿元。", "新能源汽车和智能网联汽车"),
        ("比亚迪将在省内投资建设新能源商用车生产基地,项目总投资120亿元,双方签署合作协议。", "新能源汽车和智能网联汽车"),
        ("汇川区与某某酒业有限公司签约黔北酱酒酿造及仓储基地项目,总投资5亿元。", "绿色食品"),  # 及: the first part
        ("正泰集团股份有限公司数字化智能电表项目奠基,总投资12亿元。", "高端装备制造"),
    ],
)
def test_product_words_decide_the_industry(leads_of: LeadsOf, text: str, industry: str) -> None:
    (lead,) = leads_of(text)
    assert lead["industry"] == industry


def test_fund_whose_first_target_is_outside_the_taxonomy(leads_of: LeadsOf) -> None:
    text = ("哈尔滨市人民政府与某某投资基金管理有限公司共同发起设立龙江冰雪产业投资基金,基金总规模50亿元,"
            "重点投向冰雪旅游、绿色食品和生物医药领域。")
    (lead,) = leads_of(text)
    assert (lead["org"], lead["industry"]) == ("龙江冰雪产业投资基金", "其他")


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("记者从贵州云栖数据科技有限公司获悉,该公司投资10亿元的数据中心项目已开工。", "贵州云栖数据科技有限公司"),
        ("7月20日,哈密市伊州区举行新疆天宏硅业有限公司年产10万吨工业硅项目开工仪式,总投资45亿元。",
         "新疆天宏硅业有限公司"),
        ("9月6日,湾沚区安徽翼航无人机科技有限公司年产5000架工业级无人机项目正式投产,总投资12亿元。",
         "安徽翼航无人机科技有限公司"),
    ],
)
def test_what_stands_before_a_full_name_is_not_part_of_it(leads_of: LeadsOf, text: str, org: str) -> None:
    (lead,) = leads_of(text)
    assert lead["org"] == org
    assert not lead["project"] or not lead["project"].startswith(("湾沚区", "哈密"))


def test_taiwan_approval_names_investors_by_what_they_do(leads_of: LeadsOf) -> None:
    text = ("投资台湾事务所8日审查通过3家企业扩大在台投资。其中,宏远光电将投资52亿元在台中市大里区兴建Mini LED背光"
            "模组新厂;铭丰精密则将投入约新台币21亿元,于高雄市冈山区扩建航太零组件产线。另一家业者为食品加工厂,"
            "将投资12亿元于屏东县兴建冷冻食品新厂。")
    leads = leads_of(text)
    assert [(lead["org"], lead["project"]) for lead in leads] == [
        ("宏远光电", "Mini LED背光模组新厂"),
        ("铭丰精密", "航太零组件产线"),
    ]  # the unnamed food firm is no lead
    assert {lead["currency"] for lead in leads} == {"TWD"} and leads[1]["amount"] == 21e8
    assert [lead["region_code"][:2] for lead in leads] == ["71", "71"]


def test_currency_written_before_the_number(leads_of: LeadsOf) -> None:
    text = "健鼎科技股份有限公司董事会通过拟以新台币45亿元增资昆山子公司,用于扩建高阶印刷电路板产线。"
    (lead,) = leads_of(text)
    assert (lead["currency"], lead["amount_cny"], lead["location"]) == ("TWD", None, "昆山市")


@pytest.mark.parametrize(
    "text",
    [
        "合肥将投资50亿元建设城市轨道交通。",  # a place that invests is no investor
        "该公司将投资10亿元扩建厂房。",
        "国内某大型电子零组件集团的子公司将投资20亿元设置先进电路板产线。",
    ],
)
def test_no_investor_named(leads_of: LeadsOf, text: str) -> None:
    assert all(lead["org"] is None for lead in leads_of(text))
