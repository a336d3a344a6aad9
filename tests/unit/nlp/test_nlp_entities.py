"""Entity recognisers: money, dates, stages, organisations, places, projects, industry."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.entities.location import PlaceFinder
from nlp.entities.money import find_money
from nlp.entities.org import OrgFinder
from nlp.entities.project import find_projects
from nlp.entities.stage import detect_stage
from nlp.entities.time import find_dates, first_date
from nlp.industry import KeywordIndustryClassifier
from nlp.segment import Segmenter

# -- money -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "currency", "role", "qualifier"),
    [
        ("项目总投资25亿元", 25e8, "CNY", "investment", None),
        ("计划投资8000万元", 8e7, "CNY", "investment", None),
        ("投资总额约3.5億元", 3.5e8, "CNY", "investment", "约"),
        ("总投资超过886亿元", 886e8, "CNY", "investment", "超过"),
        ("投资50亿元以上", 50e8, "CNY", "investment", "以上"),
        ("逾30亿元资金", 30e8, "CNY", "other", "逾"),
        ("总投资8000万美元", 8e7, "USD", "investment", None),
        ("总投资1亿新加坡币", 1e8, "SGD", "investment", None),
        ("投资2亿欧元", 2e8, "EUR", "investment", None),
        ("带来近694亿港元投资", 694e8, "HKD", "other", "近"),
        ("基金总规模20亿元", 20e8, "CNY", "fund", None),
        ("其中首期10亿元", 10e8, "CNY", "first_phase", None),
        ("每个项目奖励最高不超过500万元", 5e6, "CNY", "subsidy", "不超过"),
        ("建成后年产值40亿元", 40e8, "CNY", "output", None),
        ("投资两亿元", 2e8, "CNY", "investment", None),
    ],
)
def test_money_parsing(text: str, value: float, currency: str, role: str, qualifier: str | None) -> None:
    found = find_money(text)
    assert len(found) == 1, found
    money = found[0]
    assert money.value == pytest.approx(value)
    assert money.currency == currency
    assert money.role == role
    assert money.qualifier == qualifier
    assert (money.amount_cny is None) == (currency != "CNY")


def test_money_ranges_and_non_money() -> None:
    (rng,) = find_money("投资额在10亿—50亿元的有32个")
    assert rng.value == pytest.approx(10e8) and rng.high == pytest.approx(50e8)
    (rng2,) = find_money("投资8000万-1亿元")
    assert rng2.value == pytest.approx(8e7) and rng2.high == pytest.approx(1e8)
    assert find_money("签约项目41个,用地230亩,200万千瓦") == []


# -- time ------------------------------------------------------------------

PUB = dt.date(2023, 12, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今年8月,一位基金管理人", dt.date(2023, 8, 1)),
        ("11月19日,安庆市", dt.date(2023, 11, 19)),
        ("今年1-5月份,全市", dt.date(2023, 1, 1)),
        ("截至11月底,全省", dt.date(2023, 11, 30)),
        ("2023年上半年,高邮", dt.date(2023, 1, 1)),
        ("2019年下半年正式投产", dt.date(2019, 7, 1)),
        ("昨天下午在南昌举行", dt.date(2023, 12, 19)),
        ("去年3月", dt.date(2022, 3, 1)),
        ("2021年12月1日召开", dt.date(2021, 12, 1)),
    ],
)
def test_dates_resolved_against_publish_date(text: str, expected: dt.date) -> None:
    assert find_dates(text, PUB)[0].date == expected


def test_dates_roll_back_a_year_and_need_publish_date() -> None:
    assert first_date("11月19日签约", dt.date(2024, 2, 1)) == dt.date(2023, 11, 19)
    assert first_date("11月19日签约", None) is None
    assert first_date("2020年3月23日签约", None) == dt.date(2020, 3, 23)
    assert first_date("没有日期", PUB) is None


# -- stage -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("双方正在洽谈合作", "在谈"),
        ("目前在谈项目8个", "在谈"),
        ("与投资方开展对接", "在谈"),
        ("项目签约仪式举行", "签约"),
        ("双方签署投资协议", "签约"),
        ("签订合同", "签约"),
        ("项目正式开工", "开工"),
        ("举行奠基仪式", "开工"),
        ("项目动工建设", "开工"),
        ("一期已投产", "投产"),
        ("项目竣工", "投产"),
        ("去年已全部达产", "投产"),
        ("项目全面建成投产以后,亩均产值可达", "其他"),
        ("预计2022年建成投用", "其他"),
        ("全市经济运行平稳", "其他"),
    ],
)
def test_stage_words(text: str, stage: str) -> None:
    assert detect_stage(text) == stage


# -- organisations -----------------------------------------------------------


@pytest.fixture(scope="module")
def orgs() -> OrgFinder:
    return OrgFinder()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("省里设立中建材(安徽)新材料产业投资基金,规模", ["中建材(安徽)新材料产业投资基金"]),
        ("重点推荐北京大学未来技术学院。", ["北京大学未来技术学院"]),
        ("推动在马鞍山市的中联重科智能装备制造产业园签约", ["中联重科"]),
        ("比亚迪、长电科技和中芯集成相继落户", ["比亚迪", "长电科技", "中芯集成"]),
        ("春光里产业资本集团投资10亿元", ["春光里产业资本集团"]),
        ("签约双方为郏县人民政府和山东天玉建材科技有限公司", ["山东天玉建材科技有限公司"]),
        ("明光市和含山县各自与安徽龙源风力发电有限公司签了投资协议", ["安徽龙源风力发电有限公司"]),
        ("该公司将投资15亿元", []),
        ("洽谈对象为红星美凯龙家居集团,计划投资8亿元", ["红星美凯龙家居集团"]),
    ],
)
def test_org_extraction(orgs: OrgFinder, text: str, expected: list[str]) -> None:
    assert [o.name for o in orgs.find(text)] == expected


# -- places ------------------------------------------------------------------


@pytest.fixture(scope="module")
def places(segmenter: Segmenter) -> PlaceFinder:
    return PlaceFinder(cut=segmenter.tokenizer.lcut)


def test_places_with_codes(places: PlaceFinder) -> None:
    found = places.find("推动在马鞍山市的中联重科产业园、在芜湖市鸠江区的基地签约")
    assert [(p.name, p.code) for p in found] == [("马鞍山市", "340500"), ("芜湖市", "340200"), ("鸠江区", "340207")]
    jiujiang = found[-1]
    assert places.regions.city_of(jiujiang.code).name == "芜湖市"  # type: ignore[union-attr]
    (gaoyou,) = places.find("高邮新签约项目")
    assert gaoyou.name == "高邮市" and places.regions.city_of(gaoyou.code).name == "扬州市"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "双方深化合作",
        "北京大学未来技术学院",
        "中山大学附属医院",
        "中国建材集团",
        "现场热火朝天",
        "市长武文罡讲话",
        "将新建5座换电站",
        "打造江南地区最大基地",
        "市和县两级财政",
        "推进新县城建设",
        "徽州文化生态保护区",
    ],
)
def test_false_places_rejected(places: PlaceFinder, text: str) -> None:
    assert places.find(text) == []


def test_most_specific_and_context(places: PlaceFinder) -> None:
    found = places.find("安徽省芜湖市繁昌区")
    assert places.most_specific(found).name == "繁昌区"  # type: ignore[union-attr]
    assert places.context_code(places.find("繁昌区签约,繁昌区开工,安徽省")) == "340212"


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("贵州贵安新区大数据中心", "贵州省", "520000"),  # spans 贵阳 and 安顺: the province, never 安新县
        ("落户雄安新区的科技园", "雄安新区", "133100"),
        ("青岛西海岸新区签约", "黄岛区", "370211"),
        ("南京江北新区开工", "南京市", "320100"),
    ],
)
def test_national_new_areas_read_as_their_division(places: PlaceFinder, text: str, name: str, code: str) -> None:
    assert [(p.name, p.code) for p in places.find(text)] == [(name, code)]


# -- projects and industry -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "推动在马鞍山市的中联重科智能装备制造产业园、在芜湖市的共享装备生产基地等重大项目签约",
            ["中联重科智能装备制造产业园", "共享装备生产基地"],
        ),
        ("兴文县5GW太阳能电池片生产项目的总投资为20亿元", ["兴文县5GW太阳能电池片生产项目"]),
        ("新加坡丰树(烟台)国际食品智造产业园项目总投资1亿新加坡币", ["新加坡丰树(烟台)国际食品智造产业园项目"]),
        ("钟山县中源首府建设项目", ["钟山县中源首府建设项目"]),
        ("此次集中开工的重大招商引资项目合计382个", []),
        ("包括电子信息项目34个、装备制造项目63个", []),
        ("推动项目建设,帮助完善项目资料", []),
    ],
)
def test_project_names(text: str, expected: list[str]) -> None:
    assert [p.name for p in find_projects(text)] == expected


def test_keyword_industry_fallback() -> None:
    classify = KeywordIndustryClassifier()
    assert classify("5GW太阳能电池片生产项目") == "新能源和节能环保"
    assert classify("弘芯半导体制造产业园") == "新一代信息技术"
    assert classify("天福养老产业项目") == "生命健康"
    assert classify("MAIN street") == "其他"
    assert classify("") == "其他"
