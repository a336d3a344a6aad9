"""Round-8 name rules, each on sentences written for the test: a college whose name joins two subjects, a maker
written before a Taiwan firm's short name, a Latin gloss inside a name, a host park before a company, short names
of listed firms, a project that names its investor short, and 落户 as an attribute."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from nlp.entities.org import OrgFinder
from nlp.entities.project import find_projects
from nlp.entities.stage import detect_stage
from nlp.segment import Segmenter

if TYPE_CHECKING:
    from tests.unit.nlp.conftest import LeadsOf


@pytest.fixture(scope="module")
def finder() -> OrgFinder:
    return OrgFinder()


def test_a_college_name_joining_two_subjects_is_one_investor(leads_of: LeadsOf) -> None:
    text = "西南交通大学机械与动力工程学院与眉山市签署协议，合作建设轨道车辆检测中试基地项目，计划投资3亿元。"
    (lead,) = leads_of(text)
    assert lead["org"] == "西南交通大学机械与动力工程学院"
    assert lead["project"] == "轨道车辆检测中试基地项目" and lead["amount_cny"] == 3e8


def test_a_university_and_a_company_stay_two_parties(leads_of: LeadsOf) -> None:
    text = "宜宾市与四川大学化学与工程学院、宜宾天原集团股份有限公司签约共建氯碱新材料研发基地，项目计划投资2亿元。"
    (lead,) = leads_of(text)
    assert lead["org"] == "四川大学化学与工程学院、宜宾天原集团股份有限公司"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("其中，面板大厂群创光电将投资约新台币40亿元扩建产线。", ["群创光电"]),
        ("晶圆代工厂力积电则规划投资约新台币90亿元。", ["力积电"]),
        ("上海电机厂有限公司与芜湖市签约。", ["上海电机厂有限公司"]),  # a place opens the name: the 厂 is its own
    ],
)
def test_what_a_firm_makes_before_its_short_name_is_not_its_name(finder: OrgFinder, text: str,
                                                                 expected: list[str]) -> None:
    assert [o.name for o in finder.find(text)] == expected


def test_a_latin_gloss_inside_a_name_keeps_the_name_whole(finder: OrgFinder) -> None:
    text = "签约企业还有日本电产（Nidec）大连有限公司，将扩建驱动电机生产线。"
    assert [o.name for o in finder.find(text)] == ["日本电产（Nidec）大连有限公司"]


def test_a_park_written_before_a_company_hosts_it(finder: OrgFinder) -> None:
    text = "肥东县循环经济示范园内安徽金禾实业股份有限公司的新车间实现通线。"
    assert [o.name for o in finder.find(text)] == ["安徽金禾实业股份有限公司"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("隆基股份与铜川市签约建设光伏组件项目。", ["隆基股份"]),
        ("恒瑞股份3月2日晚间发布公告称，拟投资10亿元。", ["恒瑞股份"]),
        ("省国资委持有其20%股份，推进股份制改革。", []),
        ("开发区正与晶芯微电子洽谈封装测试项目。", ["晶芯微电子"]),
    ],
)
def test_short_names_of_listed_firms(finder: OrgFinder, text: str, expected: list[str]) -> None:
    assert [o.name for o in finder.find(text)] == expected


def test_a_project_named_with_its_investors_short_name_takes_the_full_name(leads_of: LeadsOf) -> None:
    text = ("4月8日，宁国市与中鼎控股集团有限公司签订汽车零部件产业园框架协议，总投资30亿元；首个落地的中鼎空气悬架项目"
            "同步签约，总投资8亿元。")
    leads = {lead["project"]: lead for lead in leads_of(text)}
    assert leads["中鼎空气悬架项目"]["org"] == "中鼎控股集团有限公司"
    text = ("区招商组拜访了上药控股有限公司和杭州网聚科技有限公司。上药控股的医药物流分拨中心项目仍在洽谈中。")
    (lead,) = [lead for lead in leads_of(text) if lead["project"]]
    assert lead["org"] == "上药控股有限公司" and lead["stage"] == "在谈"


def test_a_short_name_fitting_two_companies_decides_nothing(leads_of: LeadsOf) -> None:
    text = ("会上，华信电子有限公司与华信光电科技有限公司分别介绍了发展情况。华信显示模组项目已于3月开工。")
    (lead,) = [lead for lead in leads_of(text) if lead["project"]]
    assert lead["org"] is None


def test_settled_in_as_an_attribute_is_not_a_signing() -> None:
    assert detect_stage("有总投资45亿元、落户南湖区的禾芯新型显示模组项目") == "其他"
    assert detect_stage("禾芯新型显示模组项目落户南湖区") == "签约"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("新屋区", "710612"),  # the table keeps 新屋乡; Taiwan's municipalities call it a district since 2014
        ("中坜区", "710613"),
        ("新平县", "530427"),  # 新平彝族傣族自治县 as news writes it
        ("恩施州", "422800"),
        ("恩施", "422800"),
        ("昌吉州", "652300"),
        ("红河州", "532500"),
    ],
)
def test_names_news_uses_for_renamed_and_autonomous_divisions(name: str, code: str) -> None:
    from nlp.regions import default_regions

    region = default_regions().lookup(name)
    assert region is not None and region.code == code


def test_bare_short_forms_of_autonomous_counties_are_not_places() -> None:
    from nlp.regions import default_regions, short_name

    regions = default_regions()
    assert short_name("文山壮族苗族自治州") == "文山" and short_name("新平彝族傣族自治县") == "新平"
    for word in ("互助", "三江", "大厂"):  # 互助土族自治县, 三江侗族自治县, 大厂回族自治县: common words
        assert regions.lookup(word) is None, word


def test_a_place_inside_a_project_name_does_not_undo_the_reports_county(leads_of: LeadsOf) -> None:
    text = ("今年以来，浑南区围绕主导产业开展精准招商。4月1日，沈阳市浑南区举行一季度项目集中签约活动。签约项目包括：华晨宝马汽车有限公司动力电池中心项目、"
            "海尔沈阳智能冰箱互联工厂项目等。")
    leads = {lead["project"]: lead for lead in leads_of(text)}
    assert leads["海尔沈阳智能冰箱互联工厂项目"]["region_code"] == "210112"


def test_a_taiwan_district_is_found_under_its_old_table_name(leads_of: LeadsOf) -> None:
    text = "其中，电路板大厂健鼎科技将投资约新台币68亿元，在桃园市新屋区新建高阶伺服器电路板产线。"
    (lead,) = leads_of(text)
    assert (lead["org"], lead["location"], lead["region_code"]) == ("健鼎科技", "新屋乡", "710612")


def test_a_running_total_is_no_project_name(leads_of: LeadsOf) -> None:
    text = "宁德时代在溧阳累计建设五期项目，江苏时代六期动力电池项目今天开工。"
    assert all("累计" not in (lead["project"] or "") for lead in leads_of(text))


def test_what_describes_a_listed_item_is_not_its_name(leads_of: LeadsOf) -> None:
    text = ("9月19日，芜湖市第三批重大项目集中开工。其中，总投资12亿元的奇瑞智能座舱基地、位于南陵县的华科生物制药中心、"
            "在无为市的海螺新型建材产业园等一批项目同步开工。")
    leads = {lead["project"]: lead for lead in leads_of(text)}
    assert {"奇瑞智能座舱基地", "华科生物制药中心", "海螺新型建材产业园"} <= set(leads)
    assert leads["华科生物制药中心"]["location"] == "南陵县" and leads["奇瑞智能座舱基地"]["location"] == "芜湖市"


@pytest.mark.parametrize(
    ("text", "project"),
    [
        ("国轩高科与金寨县签署协议，建设储能电池项目、梯次利用项目及国轩储能研发中心，总投资96亿元。", "国轩储能研发中心"),
        ("港资企业华丰鞋业智能制造基地项目在惠州投产。", "华丰鞋业智能制造基地项目"),
        ("以色列奈特菲姆滴灌设备项目在银川签约。", "以色列奈特菲姆滴灌设备项目"),
    ],
)
def test_a_join_or_a_kind_of_firm_before_a_project_is_not_its_name(segmenter: Segmenter, text: str,
                                                                     project: str) -> None:
    assert project in {p.name for p in find_projects(text, segmenter.tokenizer.lcut)}


def test_an_autonomous_county_written_short_locates_its_project(leads_of: LeadsOf) -> None:
    text = "位于伊吾县的广汇固废综合利用项目、位于巴里坤县的天山羊乳制品加工项目等同步开工。"
    leads = {lead["project"]: lead["region_code"] for lead in leads_of(text)}
    assert leads["天山羊乳制品加工项目"] == "650521"
