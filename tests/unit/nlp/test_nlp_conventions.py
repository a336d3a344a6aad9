"""Round-3 extraction conventions: report stage, joint events, park prefixes, joined names, short org names."""

from __future__ import annotations

import pytest

from nlp.entities.project import find_projects
from nlp.entities.stage import detect_stage, has_joint_stage
from nlp.leadrules import event_stage
from nlp.leads import LeadExtractor
from nlp.leadtext import fullest_org
from nlp.sentences import split_clauses


def _clauses(text: str) -> list:
    return split_clauses(text)


def test_report_stage_is_the_stage_most_clauses_state() -> None:
    text = "昨日,某市举行重大项目签约仪式。甲公司与市政府签订投资协议。乙项目已开工建设。丙公司投资10亿元建设丁项目。"
    assert event_stage(_clauses(text)) == "签约"
    assert event_stage(_clauses("甲公司投资10亿元建设丁项目。")) == "其他"


@pytest.mark.parametrize(
    "text", ["某市举行重大项目集中签约、开工活动", "2019年上半年重大项目集中开工投产活动", "项目签约暨开工仪式"]
)
def test_joint_events_state_no_stage_for_the_report(text: str) -> None:
    assert has_joint_stage(text)
    assert detect_stage(text) == "其他"
    assert event_stage(_clauses(text + "。甲公司签订协议。乙公司签约。")) == "其他"


def test_leads_without_their_own_stage_word_take_the_report_stage(extractor: LeadExtractor) -> None:
    text = (
        "某某投资大会上,32个项目现场签约。"
        "比如,甲乙集团投资53.5亿元,在南川区布局多能互补综合能源示范项目;"
        "丙丁智能装备产业园项目总投资10亿元,拟在近期挂牌。"
    )
    leads = {lead.project: lead for lead in extractor.extract(text).leads}
    assert leads["多能互补综合能源示范项目"].stage == "签约"
    assert leads["丙丁智能装备产业园项目"].stage == "其他"  # a planned item keeps 其他
    assert extractor.extract(text.replace("现场签约", "现场集中签约、开工")).leads[0].stage == "其他"


def test_a_fund_keeps_stage_other_in_a_signing_report(extractor: LeadExtractor) -> None:
    text = "会上多个项目集中签约。重庆产业投资母基金成立大会同期召开,2000亿级产业投资母基金宣告正式启航,将为新能源汽车和电子信息等产业集群的发展夯实基础。"
    funds = [lead for lead in extractor.extract(text).leads if lead.org and lead.org.endswith("基金")]
    assert [(f.org, f.stage, f.amount_cny) for f in funds] == [("重庆产业投资母基金", "其他", 2e11)]
    assert funds[0].industry == "新能源汽车和智能网联汽车"  # the first target named


def test_a_fund_is_a_lead_only_when_launched_or_sized(extractor: LeadExtractor) -> None:
    assert not extractor.extract("设立项目基金能有效提升政府引导基金的投资效率。").leads
    sized = extractor.extract("某县已设立甲乙建筑辅材产业基金,基金规模为2亿元,计划申请4000万元,占比20%。").leads
    assert [(lead.org, lead.amount_cny) for lead in sized] == [("甲乙建筑辅材产业基金", 2e8)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("即绥安开发区共享智能助力单车综合产业基地项目和台玻技改项目", ["共享智能助力单车综合产业基地项目", "台玻技改项目"]),
        ("合肥经开区新能源汽车零部件产业园项目开工", ["新能源汽车零部件产业园项目"]),
        ("某某数字孪生全国总部与光电产业园等一批总部级项目已落地", ["某某数字孪生全国总部与光电产业园"]),
        ("建设甲乙新能源产业园与丙丁智能制造产业园", ["甲乙新能源产业园", "丙丁智能制造产业园"]),  # two named parts
    ],
)
def test_project_boundaries(text: str, names: list[str]) -> None:
    found = find_projects(text)
    assert [p.name for p in found] == names
    assert all(text[p.start : p.end] == p.name for p in found)


def test_projects_named_only_by_industry_words_need_an_investor(extractor: LeadExtractor) -> None:
    assert not extractor.extract("某县今年计划投资2.2亿元,新建风电和光伏项目。").leads
    assert not extractor.extract("投资145亿元的一个集成电路项目已落户重庆高新区。").leads
    named = extractor.extract("甲乙控股有限公司投资9500万元的高效农业产业园项目在聊城市签约。").leads
    assert [lead.project for lead in named] == ["高效农业产业园项目"]


def test_short_org_names_expand_to_the_full_name_with_province() -> None:
    body = "江西省电子集团与某某签约。江西电子-中南高科航空航天产业基地项目规划用地150亩。"
    assert fullest_org("江西电子", body) == "江西省电子集团"
    assert fullest_org("江西电子", "江西电子项目") == "江西电子"  # no fuller form in the text


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("甲乙建设集团有限公司与丙丁能源有限公司联合体投资20亿元建设某某光伏发电项目,项目已签约。",
         "甲乙建设集团有限公司、丙丁能源有限公司"),
        ("甲乙建设集团有限公司、丙丁能源有限公司共同投资的某某储能电站项目在芜湖市开工。",
         "甲乙建设集团有限公司、丙丁能源有限公司"),
        ("甲乙建设集团有限公司与芜湖市政府签约某某储能电站项目。", "甲乙建设集团有限公司"),  # a partner, not co-investor
    ],
)
def test_co_investors_are_joined_with_dunhao(extractor: LeadExtractor, text: str, org: str) -> None:
    assert [lead.org for lead in extractor.extract(text).leads] == [org]


@pytest.mark.parametrize(
    ("text", "org", "project"),
    [
        ("其中,甲乙职业技术学院、丙丁商贸职业技术学院繁昌项目投资总额35亿元,已开工。",
         "甲乙职业技术学院、丙丁商贸职业技术学院", "甲乙职业技术学院、丙丁商贸职业技术学院繁昌项目"),
        ("甲乙集团埃科泰克新能源汽车专用DHT项目在芜湖市开工。", "甲乙集团", "甲乙集团埃科泰克新能源汽车专用DHT项目"),
        ("临清市引来甲集团全资子公司乙轴承集团有限公司,使其生产基地项目落户,总投资50亿元。",
         "乙轴承集团有限公司", "乙轴承集团有限公司生产基地项目"),  # 其 + a bare facility noun: named after "it"
    ],
)
def test_full_names_opening_a_project_are_its_investors(
    extractor: LeadExtractor, text: str, org: str, project: str
) -> None:
    leads = extractor.extract(text).leads
    assert [(lead.org, lead.project) for lead in leads] == [(org, project)]


def test_a_company_and_its_product_project_are_one_lead(extractor: LeadExtractor) -> None:
    text = ("聊城经济开发区成功引进甲乙半导体科技有限公司,该企业生产的全透明太阳能发电玻璃用途很广。"
            "总投资50亿元的太阳能发电玻璃项目在聊城经济开发区签约。")
    leads = extractor.extract(text).leads
    assert [(lead.org, lead.project, lead.amount_cny) for lead in leads] == [
        ("甲乙半导体科技有限公司", "太阳能发电玻璃项目", 5e9)
    ]


def test_yuan_in_a_taiwan_report_is_new_taiwan_dollars(extractor: LeadExtractor) -> None:
    text = "投资台湾事务所表示,甲乙电子股份有限公司将投资20亿元在高雄市扩建甲乙先进电路板厂项目,已获审查通过。"
    leads = extractor.extract(text).leads
    assert [(lead.currency, lead.amount, lead.amount_cny) for lead in leads] == [("TWD", 2e9, None)]
    mainland = extractor.extract(text.replace("高雄市", "芜湖市")).leads
    assert [lead.currency for lead in mainland] == ["CNY"]


def test_a_batch_total_goes_to_none_of_its_listed_projects(extractor: LeadExtractor) -> None:
    text = "以视频方式签约的协议项目有4个,包括甲乙金融产业中心和丙丁生猪养殖加工基地等,总投资约560亿元。"
    leads = extractor.extract(text).leads
    assert {lead.project for lead in leads} == {"甲乙金融产业中心", "丙丁生猪养殖加工基地"}
    assert all(lead.amount is None for lead in leads)
