"""Round-7 industry rules, each on sentences written for the test: products the taxonomy does not name, the
investor's name inside a project name, field words against product words, what the text says an investor does."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from nlp.industry import LeadIndustryClassifier
from nlp.leads import LeadExtractor
from nlp.leadtext import investor_profile

if TYPE_CHECKING:
    from tests.unit.nlp.conftest import LeadsOf


@pytest.fixture(scope="module")
def classifier() -> LeadIndustryClassifier:
    return LeadIndustryClassifier()


@pytest.mark.parametrize(
    ("project", "expected"),
    [
        ("汽车门板冲压模具扩产项目", "高端装备制造"),  # the mould is made, the car is its customer
        ("精密刀具及夹具项目", "高端装备制造"),
        ("陶瓷刹车片二期", "新能源汽车和智能网联汽车"),
        ("无创呼吸机生产线", "生命健康"),
        ("空气炸锅生产基地", "智能家电"),
        ("冷鲜肉精深加工项目", "绿色食品"),
        ("高强瓦楞纸箱项目", "其他"),  # packaging, paper, lighting, toys, pesticides: outside the ten
        ("LED照明灯具产业园", "其他"),
        ("年产2万吨农药制剂项目", "其他"),
        ("谐波减速机项目", "高端装备制造"),
        ("智能仓储物流装备基地", "高端装备制造"),  # equipment for logistics, not a logistics park
    ],
)
def test_product_words_outside_the_taxonomy_lists(classifier: LeadIndustryClassifier, project: str,
                                                   expected: str) -> None:
    assert classifier.classify(project=project, org=None, evidence=project) == expected


def test_investor_name_opening_the_project_does_not_decide(classifier: LeadIndustryClassifier) -> None:
    org = "江西拓达新能源有限公司"
    assert classifier.classify(project=f"{org}年产3万吨电池级碳酸锂项目", org=org, evidence=None) == "新材料"
    # but 纺织 in the investor's part still makes a textile project 其他 (the guide)
    org = "福建恒达纺织科技有限公司"
    assert classifier.classify(project=f"{org}再生涤纶纤维项目", org=org, evidence=None) == "其他"
    # with nothing after the investor's name, the name is all there is
    assert classifier.classify(project=f"{org}", org=org, evidence=None) == "其他"


def test_a_field_word_weighs_less_than_a_product(classifier: LeadIndustryClassifier) -> None:
    assert classifier.classify(project="汇能新能源电驱动系统项目", org=None, evidence=None) == "新能源汽车和智能网联汽车"
    assert classifier.classify(project="华北新能源产业园", org=None, evidence=None) == "新能源和节能环保"  # alone, it decides


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("安徽顺远支架有限公司是国内领先的光伏支架制造企业。该公司将建设华中总部基地项目。", "是国内领先的光伏支架制造企业"),
        ("主营锂电池隔膜的安徽顺远支架有限公司与宣城市签约。", "锂电池隔膜"),
        ("安徽顺远支架有限公司与宣城市签约华中总部基地项目。", None),
    ],
)
def test_investor_profile(body: str, expected: str | None) -> None:
    assert investor_profile("安徽顺远支架有限公司", body) == expected


def test_what_the_text_says_the_investor_makes_decides_a_bare_project(extractor: LeadExtractor) -> None:
    text = ("安徽顺远支架有限公司是国内领先的光伏支架制造企业。近日,该公司与界首市签约,"
            "计划投资10亿元建设顺远华中总部基地项目。")
    (lead,) = extractor.extract(text).leads
    assert lead.industry == "新能源和节能环保"
    text = "安徽顺远支架有限公司与界首市签约,计划投资10亿元建设顺远华中总部基地项目。"
    (lead,) = extractor.extract(text).leads
    assert lead.industry == "其他"  # no word about what it makes: the guide's 其他



def test_companies_brought_in_are_leads_each(leads_of: LeadsOf) -> None:
    text = ("会上集中签约项目9个,落户企业包括合肥星河工业机器人有限公司、合肥云听人工智能有限公司、"
            "安徽启明量子通信股份有限公司等。")
    leads = leads_of(text)
    assert [lead["org"] for lead in leads] == ["合肥星河工业机器人有限公司", "合肥云听人工智能有限公司",
                                               "安徽启明量子通信股份有限公司"]
    assert {lead["stage"] for lead in leads} == {"签约"}
    # each by its own name, not by the words of the clause that list the others
    assert [lead["industry"] for lead in leads] == ["高端装备制造", "人工智能", "新一代信息技术"]


def test_a_company_brought_in_beside_projects(leads_of: LeadsOf) -> None:
    text = "今年以来,园区先后引进安徽天成再生资源有限公司废旧电池回收项目和界首市华远环保新材料有限公司。"
    orgs = {(lead["org"], lead["project"]) for lead in leads_of(text)}
    assert orgs == {("安徽天成再生资源有限公司", "安徽天成再生资源有限公司废旧电池回收项目"),
                    ("界首市华远环保新材料有限公司", None)}


def test_event_hosts_are_no_investors(leads_of: LeadsOf) -> None:
    text = "由合肥市投资促进局主办、安徽星讯股份有限公司承办的招商对接会在合肥高新区举行。"
    assert leads_of(text) == []


def test_short_name_as_subject_is_the_company_named_before(leads_of: LeadsOf) -> None:
    text = ("6月17日,射阳县与远川能源有限公司举行签约仪式。根据协议,远川能源将在射阳投资建设"
            "射阳远川风电整机制造基地项目和射阳远川储能系统集成项目。")
    leads = leads_of(text)
    assert [(lead["org"], lead["project"]) for lead in leads] == [
        ("远川能源有限公司", "射阳远川风电整机制造基地项目"), ("远川能源有限公司", "射阳远川储能系统集成项目")]


def test_short_project_mention_takes_the_full_name_given_before(leads_of: LeadsOf) -> None:
    text = ("调研组一行先后走进宣城宣远精密机械有限公司数控机床整机装配项目建设现场。"
            "在宣远精密机械项目车间,生产线已进入试生产阶段。")
    (lead,) = leads_of(text)
    assert lead["project"] == "宣城宣远精密机械有限公司数控机床整机装配项目"
    assert lead["org"] == "宣城宣远精密机械有限公司"
    assert lead["stage"] == "投产"


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("宁波均远电子股份有限公司在慈溪市签约汽车电子产业园项目。", "宁波均远电子股份有限公司"),
        ("包头天和磁业有限公司签约稀土永磁项目。", "包头天和磁业有限公司"),
        ("此次签约方为弗远电池有限公司,项目总投资10亿元。", "弗远电池有限公司"),
        ("芜湖市和华远科技有限公司签约动力电池项目。", "华远科技有限公司"),  # a party, then the company
        ("马鞍山同华远科技有限公司签约动力电池项目。", "华远科技有限公司"),
    ],
)
def test_boundary_characters_inside_company_names(leads_of: LeadsOf, text: str, org: str) -> None:
    assert [lead["org"] for lead in leads_of(text)] == [org]


@pytest.mark.parametrize(
    ("text", "project"),
    [
        ("该公司将在金州区实施新能源汽车驱动电机生产线扩建项目,追加投资3000万美元。", "新能源汽车驱动电机生产线扩建项目"),
        ("合肥佳远食品有限公司植脂末生产线二期扩建项目计划投资1.5亿元,已开始试生产。",
         "合肥佳远食品有限公司植脂末生产线二期扩建项目"),
        ("奇远新能源年产20万辆乘用车扩能项目（一期）正式落户鸠江区,总投资50亿元。", "奇远新能源年产20万辆乘用车扩能项目（一期）"),
        ("新疆中远年产10万吨高纯多晶硅项目一期在昌吉正式投产。", "新疆中远年产10万吨高纯多晶硅项目"),  # a phase as subject
    ],
)
def test_works_and_bracketed_phases_belong_to_the_name(leads_of: LeadsOf, text: str, project: str) -> None:
    assert [lead["project"] for lead in leads_of(text)] == [project]
