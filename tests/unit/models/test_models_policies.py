"""Unit tests: policy parsing — clauses, 文号, dates, issuer regions and national scopes."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import InputError
from core.schemas import PolicyInput
from models.policies import (
    cn_to_int,
    find_doc_numbers,
    parse_doc_number,
    parse_policy,
    parse_validity,
    split_clauses,
)
from models.scopes import addressee_provinces, detect_scopes, resolve_issuer_region, scope_codes
from nlp.regions import RegionIndex, default_regions


@pytest.fixture(scope="module")
def regions() -> RegionIndex:
    return default_regions()


NESTED = """为加快培育新兴产业，结合本市实际，制定本措施。
一、支持重大项目落地
（一）固定资产投资奖励。对新引进的工业项目，按设备投资额的10%给予奖励，最高1000万元。
（二）租金补贴。入驻标准化厂房的，给予三年租金补贴。
二、支持企业研发
1.研发平台。新认定的国家级研发平台给予500万元奖励。
2.首台套。首台（套）重大技术装备按售价的15%补助，单价1.5亿元以上的最高2000万元。
(1)首批次新材料给予100万元奖励；(2)首版次软件给予50万元奖励。
三、附则
本措施自2024年3月1日起施行，有效期三年。
"""


def test_split_clauses_nested_numbering() -> None:
    clauses = split_clauses("T1", NESTED)
    numbers = [c.number for c in clauses]
    assert numbers == [None, "一", "（一）", "（二）", "二", "1", "2", "(1)", "(2)", "三"]
    assert [c.seq for c in clauses] == list(range(len(clauses)))
    assert clauses[1].heading == "支持重大项目落地"
    assert clauses[2].heading == "固定资产投资奖励"
    assert "最高1000万元" in clauses[2].text
    # "1.5亿元" inside a sentence is not a clause marker, nor "首台（套）"
    assert "单价1.5亿元以上" in clauses[6].text
    assert clauses[7].text.startswith("首批次新材料")


def test_split_clauses_articles_and_chapters() -> None:
    text = (
        "第一章 总则 第一条 为规范招商引资奖励资金管理，制定本办法。第二条 本办法适用于在本县注册的企业。"
        "\n第二章 奖励标准\n第三条 固定资产投资5000万元以上的，按实际投资额的1%给予奖励。"
    )
    clauses = split_clauses("T2", text)
    assert [c.number for c in clauses] == ["第一章", "第一条", "第二条", "第二章", "第三条"]
    assert clauses[2].text == "本办法适用于在本县注册的企业。"
    assert clauses[4].text.endswith("给予奖励。")


def test_split_clauses_traditional_and_unnumbered() -> None:
    clauses = split_clauses("T3", "第一條 為促進產業發展，制定本辦法。\n第二條 本辦法自發布之日起施行。")
    assert [c.number for c in clauses] == ["第一條", "第二條"]
    long_plain = (
        "各有关单位：\n"
        + "现将有关事项通知如下，请认真贯彻执行并做好相关工作安排。" * 3
        + "\n"
        + "另请注意做好宣传解读和企业服务工作，确保政策落地见效。" * 3
    )
    plain = split_clauses("T4", long_plain)
    assert len(plain) == 2 and all(c.number is None for c in plain)
    assert plain[0].text.startswith("各有关单位：")
    with pytest.raises(InputError):
        split_clauses("T5", "  \n ")


def test_doc_numbers() -> None:
    assert find_doc_numbers("安徽省人民政府关于印发…的通知 皖政〔2022〕60号") == ["皖政〔2022〕60号"]
    assert find_doc_numbers("黔党发[2017]7号") == ["黔党发〔2017〕7号"]
    assert find_doc_numbers("(豫政〔2023〕33号)") == ["豫政〔2023〕33号"]
    assert find_doc_numbers("通发(2006)6号和沪府发［2009］25号") == ["通发〔2006〕6号", "沪府发〔2009〕25号"]
    assert parse_doc_number("关于印发若干政策措施的通知(豫政〔2023〕33号)", "正文") == "豫政〔2023〕33号"
    own = "渝府发〔2022〕38号\n根据《国务院办公厅关于加快新能源汽车推广应用的指导意见》（国办发〔2014〕35号），制定本方案。"
    assert parse_doc_number("通知", own) == "渝府发〔2022〕38号"
    cited_only = "依据《大连市招商引资办法》(大政办〔2021〕6号)等文件精神，制定本办法。"
    assert parse_doc_number("中山区政策解读", cited_only) is None
    assert parse_doc_number("通知", "為落實要求，現印發如下。\n宜政發〔2023〕215號") == "宜政发〔2023〕215号"


def test_validity_dates() -> None:
    pub = dt.date(2023, 5, 10)
    assert parse_validity("本办法自2024年1月1日起施行，有效期5年。", pub) == (
        dt.date(2024, 1, 1),
        dt.date(2028, 12, 31),
    )
    assert parse_validity("本措施自发布之日起施行，有效期三年。", pub) == (pub, dt.date(2026, 5, 9))
    assert parse_validity("於2023年11月20日起實施，有效期截至2026年12月31日。", None) == (
        dt.date(2023, 11, 20),
        dt.date(2026, 12, 31),
    )
    assert parse_validity("本政策有效期至2025年6月30日。", pub) == (None, dt.date(2025, 6, 30))
    # a period inside a clause is not the policy's validity
    assert parse_validity("2021年1月1日至2030年12月31日期间，企业享受15%税率。", pub) == (None, None)
    assert parse_validity("本措施自发布之日起施行，有效期5年。", None) == (None, None)
    assert cn_to_int("十二") == 12 and cn_to_int("二十") == 20 and cn_to_int("3") == 3 and cn_to_int("多") is None


@pytest.mark.parametrize(
    ("name", "path_end"),
    [
        ("全国", None),
        ("安徽省", "安徽省"),
        ("合肥高新区", "合肥高新技术产业开发区"),
        ("合肥市包河区", "包河区"),
        ("广州市黄埔区(广州开发区)", "黄埔区"),
        ("无锡市(区级,区名页面未写明)", "无锡市"),
        ("西藏自治区山南地区", "山南市"),
        ("重庆两江新区", "两江新区"),
        ("盘县", "盘州市"),
        ("南昌市安义县", "安义县"),
        ("大连市中山区", "中山区"),
    ],
)
def test_issuer_regions(regions: RegionIndex, name: str, path_end: str | None) -> None:
    code = resolve_issuer_region(name, regions)
    if path_end is None:
        assert code == "000000"
    else:
        assert regions.path(code)[-1] == path_end


def test_issuer_region_context_is_respected(regions: RegionIndex) -> None:
    assert regions.path(resolve_issuer_region("大连市中山区", regions))[:2] == ["辽宁省", "大连市"]
    with pytest.raises(InputError):
        resolve_issuer_region("火星市", regions)


def test_national_scopes() -> None:
    assert detect_scopes("关于支持海南自由贸易港建设的若干措施", "正文") == ["海南自由贸易港"]
    text = "引导产业向中西部地区有序转移。支持中西部和东北地区承接产业转移，推动东北振兴。"
    assert detect_scopes("关于促进制造业有序转移的指导意见", text) == ["东北地区", "中西部"]
    cited = "依据《国务院关于中西部地区承接产业转移的指导意见》制定本办法。"
    assert detect_scopes("承接产业转移示范区管理办法", cited) == []


def test_scope_codes(regions: RegionIndex) -> None:
    west = scope_codes("西部地区", regions)
    assert "540000" in west and "340000" not in west
    assert scope_codes("长三角、340200", regions)[-1] == "340200"
    with pytest.raises(InputError):
        scope_codes("火星", regions)


def test_parse_policy_end_to_end(regions: RegionIndex) -> None:
    p = PolicyInput(
        id="X1",
        title="芜湖市人民政府关于印发支持新能源汽车产业发展若干政策的通知",
        issuer_region="芜湖市",
        publish_date=dt.date(2024, 2, 1),
        text="芜政〔2024〕8号\n各县市区人民政府：\n" + NESTED + "\n芜湖市人民政府\n2024年2月1日",
    )
    policy = parse_policy(p, regions)
    assert policy.region_code == "340200"
    assert policy.doc_number == "芜政〔2024〕8号"
    assert policy.issuer == "芜湖市人民政府"
    assert (policy.effective_date, policy.expiry_date) == (dt.date(2024, 3, 1), dt.date(2027, 2, 28))
    assert any(c.number == "（一）" for c in policy.clauses)
    national = parse_policy(
        PolicyInput(id="X2", title="关于支持西部地区承接产业转移的意见", issuer_region="全国", text="一、总体要求。"),
        regions,
    )
    assert national.region_code == "000000" and national.applicable_region == "西部地区"
    with pytest.raises(InputError):
        parse_policy(PolicyInput(id="X3", title="t", issuer_region="火星", text="一、x"), regions)
    with pytest.raises(InputError):
        parse_policy(PolicyInput(id="X4", title="t", issuer_region="全国", text="x", applicable_region="火星"), regions)


def test_addressee_provinces_limit_a_national_document(regions: RegionIndex) -> None:
    listed = "发改地区〔2099〕1号\n山西、安徽、江西、河南、湖北、湖南各省(自治区)发展改革委:\n现将办法印发给你们。"
    assert addressee_provinces(listed, regions) == ["山西省", "安徽省", "江西省", "河南省", "湖北省", "湖南省"]
    generic = "国办发〔2099〕2号\n各省、自治区、直辖市人民政府;国务院各部委、各直属机构:\n为促进发展……"
    assert addressee_provinces(generic, regions) == []
    policy = parse_policy(
        PolicyInput(id="X5", title="承接产业转移示范区管理办法", issuer_region="全国", text=listed), regions
    )
    assert policy.applicable_region is not None and "安徽省" in policy.applicable_region


def test_doc_number_cited_in_the_title_is_not_the_policys_own() -> None:
    title = "官渡区稳增长促发展政策措施(依据昆政发〔2016〕13号制定)"
    assert parse_doc_number(title, "一、精简审批。") is None
    assert parse_doc_number(title, "官政发〔2016〕20号\n一、精简审批。") == "官政发〔2016〕20号"
