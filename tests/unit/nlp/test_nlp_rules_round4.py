"""Round-4 extraction rules, each on sentences written for the test: name boundaries, follow-up sentences, funds,
attributive amounts, planned starts, host parks, IPOs and public works, facilities, descriptors, industries."""

from __future__ import annotations

import pytest

from nlp.entities.money import find_money
from nlp.entities.org import OrgFinder
from nlp.entities.project import find_projects
from nlp.industry import KeywordIndustryClassifier
from nlp.leads import LeadExtractor
from nlp.segment import Segmenter


def _one(extractor: LeadExtractor, text: str) -> dict:
    leads = extractor.extract(text).leads
    assert len(leads) == 1, [lead.model_dump() for lead in leads]
    return leads[0].model_dump()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("上半年投产的项目中,美的库卡智能制造科技园项目进展最快。", "美的库卡智能制造科技园项目"),  # 的 inside 美的
        ("推介会上,玉林市同威致远电子加速器辐照中心项目现场签约。", "玉林市同威致远电子加速器辐照中心项目"),  # 同 in 同威
        ("开发区还在与德国某某集团洽谈汽车电子项目。", "汽车电子项目"),  # 洽谈 ends the name on its left
        ("全椒县与某某食品有限公司签约年产3万吨高端卤味食品项目。", "年产3万吨高端卤味食品项目"),  # 年产… is a name
        ("长葛市的宏达再生金属循环利用项目现场签约。", "宏达再生金属循环利用项目"),  # 属 inside 金属
        ("某某公司将在当地投资建设储能系统集成项目。", "储能系统集成项目"),
    ],
)
def test_project_name_boundaries(segmenter: Segmenter, text: str, name: str) -> None:
    assert [p.name for p in find_projects(text, segmenter.tokenizer.lcut)] == [name]


def test_follow_up_sentence_gives_the_project_its_investor_and_amount(extractor: LeadExtractor) -> None:
    text = ("12月1日,兴发集团有机硅一体化项目在枝江市奠基。该项目由湖北兴发化工集团股份有限公司投资建设,"
            "总投资35亿元,建成后年产单体30万吨。")
    lead = _one(extractor, text)
    assert (lead["org"], lead["amount_cny"], lead["stage"]) == ("湖北兴发化工集团股份有限公司", 3.5e9, "开工")


def test_a_fund_set_up_is_the_lead_not_its_manager(extractor: LeadExtractor) -> None:
    text = "会上,宝鸡市与某某创新投资管理有限公司签约设立宝鸡钛产业发展基金,基金首期规模10亿元,总规模30亿元。"
    lead = _one(extractor, text)
    assert (lead["org"], lead["project"], lead["amount_cny"]) == ("宝鸡钛产业发展基金", None, 3e9)


def test_a_generic_fund_stays_its_sponsors_project(extractor: LeadExtractor) -> None:
    text = "12月25日,安徽某某投资控股集团有限公司联合桐城市政府合作设立产业发展基金,总规模15亿元。"
    lead = _one(extractor, text)
    assert (lead["org"], lead["project"], lead["stage"]) == ("安徽某某投资控股集团有限公司", "产业发展基金", "其他")


def test_first_phase_investment_is_not_the_total() -> None:
    roles = [(m.value, m.role) for m in find_money("项目总投资超20亿元,首期投资6亿元。")]
    assert roles == [(2e9, "investment"), (6e8, "first_phase")]


def test_attributive_amounts_belong_to_each_listed_project(extractor: LeadExtractor) -> None:
    text = ("兰陵县重大项目集中开工,总投资18亿元的鲁南碳纤维复合材料项目、总投资6.5亿元的兰陵大蒜食品加工项目"
            "等15个项目同时开工。")
    leads = extractor.extract(text).leads
    assert [(lead.project, lead.amount_cny) for lead in leads] == [
        ("鲁南碳纤维复合材料项目", 1.8e9),
        ("兰陵大蒜食品加工项目", 6.5e8),
    ]


def test_a_planned_start_keeps_the_stage_reached(extractor: LeadExtractor) -> None:
    signed = "园区今年引进某某磁材科技有限公司入驻。其中,某某磁材科技有限公司的钕铁硼磁材项目计划投资18亿元,预计明年动工。"
    assert _one(extractor, signed)["stage"] == "签约"
    planned = "邳州市宣布,江苏某某硅业科技发展有限公司的电子特气新材料项目将于4月开工。"
    assert _one(extractor, planned)["stage"] == "其他"


def test_work_plan_projects_are_leads_of_stage_other(extractor: LeadExtractor) -> None:
    text = "今年将加快推进中原粮油精深加工产业园、邓州数控机床产业园等项目建设。"
    leads = extractor.extract(text).leads
    assert [(lead.project, lead.stage) for lead in leads] == [("中原粮油精深加工产业园", "其他"), ("邓州数控机床产业园", "其他")]


@pytest.mark.parametrize(
    "text",
    [
        "9月27日,永川区重大项目集中开工活动在凤凰湖产业园举行。",  # a venue
        "2月17日,河南某某机械股份有限公司在深交所创业板挂牌上市,募集资金6.8亿元。",  # an IPO
        "周口港区至项城铁路专用线工程开工建设,总投资24.6亿元,由市交通投资集团作为政府投资项目组织实施。",
        "璧山区近日签约一个总投资30亿元的新能源汽车电驱动系统项目。",  # unnamed project, unnamed investor
    ],
)
def test_not_leads(extractor: LeadExtractor, text: str) -> None:
    assert extractor.extract(text).leads == []


def test_a_park_that_hosts_is_a_place(extractor: LeadExtractor) -> None:
    text = "5月8日,位于枣阳市汽车产业园的湖北某某电驱动系统项目一期竣工投产。"
    lead = _one(extractor, text)
    assert (lead["project"], lead["location"], lead["stage"]) == ("湖北某某电驱动系统项目", "枣阳市", "投产")


def test_short_name_opening_a_project_name_is_no_investor(extractor: LeadExtractor) -> None:
    text = "大会现场签约重大项目38个,其中,在双流区的京东方新型显示模组项目、在新津区的宁德时代储能电池项目备受关注。"
    leads = extractor.extract(text).leads
    assert [(lead.org, lead.project, lead.location) for lead in leads] == [
        (None, "京东方新型显示模组项目", "双流区"),
        (None, "宁德时代储能电池项目", "新津区"),
    ]


def test_possessive_investor_owns_only_its_own_project(extractor: LeadExtractor) -> None:
    text = "其中,福建某某新材料有限公司的碳纤维复合材料项目投资22亿元,龙海港尾仓储物流中心投资9.6亿元。"
    leads = extractor.extract(text).leads
    assert [(lead.org, lead.amount_cny) for lead in leads] == [("福建某某新材料有限公司", 2.2e9), (None, 9.6e8)]


def test_facility_an_investor_builds_is_its_project(extractor: LeadExtractor) -> None:
    text = "审查会通过2家企业扩大投资。其中,联茂电子将在桃园市新建5G通信基板厂,投资约36亿元。"
    lead = _one(extractor, text)
    assert (lead["org"], lead["project"], lead["currency"]) == ("联茂电子", "5G通信基板厂", "TWD")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("平湖开发区与日本东洋精工株式会社签订投资协议。", "日本东洋精工株式会社"),
        ("核准台资企业鸿准精密工业股份有限公司的投资案。", "鸿准精密工业股份有限公司"),
        ("另一家厂商颖崴科技则在台南扩建产线。", "颖崴科技"),
    ],
)
def test_org_suffixes_and_descriptors(text: str, name: str) -> None:
    assert name in [o.name for o in OrgFinder().find(text)]


@pytest.mark.parametrize(
    ("name", "industry"),
    [
        ("伊利集团乳制品智能制造项目", "绿色食品"),  # what is made, not how
        ("宏达再生金属循环利用项目", "新能源和节能环保"),
        ("12英寸硅片项目", "新一代信息技术"),
        ("锂电池材料项目", "新材料"),
        ("某某智能制造产业园", "高端装备制造"),  # the manner word alone still decides
    ],
)
def test_industry_words(name: str, industry: str) -> None:
    assert KeywordIndustryClassifier()(name) == industry


def test_follow_up_amount_and_fund_sentences(extractor: LeadExtractor) -> None:
    project = _one(extractor, "宜秀区的安徽某某新材料科技有限公司年产3万吨纤维项目近日投产。该项目总投资98000万元,分两期建设。")
    assert (project["amount_cny"], project["stage"]) == (9.8e8, "投产")
    fund = _one(extractor, "7月2日,阜阳市新兴产业发展基金签约仪式举行。该基金由市政府与某某投资集团有限公司共同发起,总规模50亿元。")
    assert (fund["org"], fund["amount_cny"]) == ("阜阳市新兴产业发展基金", 5e9)


def test_attributive_amount_ends_an_investors_run(extractor: LeadExtractor) -> None:
    text = "其中,上海某某科技股份有限公司在包河区投资的负极材料一体化项目、总投资18亿元的合肥某某光伏组件扩产项目等现场签约。"
    leads = extractor.extract(text).leads
    assert [(lead.org, lead.amount_cny) for lead in leads] == [("上海某某科技股份有限公司", None), (None, 1.8e9)]


def test_consortium_a_government_signs_with(extractor: LeadExtractor) -> None:
    text = "自治区政府与甲乙石油集团有限公司、丙丁化工集团有限公司签约,三方将在库车市合作建设绿氢示范项目,总投资约120亿元。"
    assert _one(extractor, text)["org"] == "甲乙石油集团有限公司、丙丁化工集团有限公司"


@pytest.mark.parametrize(
    "text",
    [
        "会上,珠海某某电器股份有限公司与某某职业技术学院签订校企合作协议,共建订单班。",  # training
        "今年以来共签约先进制造业项目12个。签约的先进制造业项目总投资80亿元。",  # a kind of project
    ],
)
def test_more_non_leads(extractor: LeadExtractor, text: str) -> None:
    assert extractor.extract(text).leads == []


def test_stage_after_a_plan_word_far_back_in_the_piece_is_future(extractor: LeadExtractor) -> None:
    text = "西青区则将推动天津某某电池股份有限公司新型锂离子动力电池产业基地项目达产。"
    assert _one(extractor, text)["stage"] == "其他"
    done = "某某精电（廊坊）有限公司新型显示模组二期项目在固安县建成投产,新增产值30亿元。"
    assert _one(extractor, done)["stage"] == "投产"


def test_short_name_takes_the_full_company_name_from_the_text(extractor: LeadExtractor) -> None:
    text = "安庆市政府与安徽海岳集团有限责任公司举行签约仪式。海岳集团此次落地的项目是怀宁县的海岳装配式建材产业园项目。"
    lead = _one(extractor, text)
    assert (lead["org"], lead["location"]) == ("安徽海岳集团有限责任公司", "怀宁县")


@pytest.mark.parametrize(
    ("name", "industry"),
    [
        ("国家电投集团如东海上风电项目", "新能源和节能环保"),  # 家电 inside 国家电投 counts for nothing
        ("优必选人形机器人总部项目", "高端装备制造"),  # the guide files robots under equipment
        ("奇瑞新能源整车智能工厂二期项目", "新能源汽车和智能网联汽车"),
        ("某某血液制品智能工厂项目", "生命健康"),
        ("年产2万吨功能性食用菌精深加工项目", "绿色食品"),
    ],
)
def test_industry_overrides_and_neutral_words(name: str, industry: str) -> None:
    assert KeywordIndustryClassifier()(name) == industry


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("珠海市金湾区近期投产的项目包括越亚半导体封装基板三期。", "越亚半导体封装基板三期"),  # a phase ends a name
        ("某某集团多晶硅项目一期已于上月建成投产。", "某某集团多晶硅项目"),  # …项目一期: a phase of the project
        ("即墨古城文旅街区运营项目同时签约。", "即墨古城文旅街区运营项目"),  # 即墨 is a place word
        ("双方就在新区建设化工新材料生产基地进行了深入洽谈。", "化工新材料生产基地"),  # 进行 may follow a name
        ("丹麦某某集团签署海上风电整机制造基地项目投资协议。", "海上风电整机制造基地项目"),  # 机制 is no word here
    ],
)
def test_more_project_names(segmenter: Segmenter, text: str, name: str) -> None:
    assert name in [p.name for p in find_projects(text, segmenter.tokenizer.lcut)]


@pytest.mark.parametrize(
    "text",
    [
        "另有一家航空零部件企业与开发区接洽,拟投资约5亿元建设生产基地。",
        "由市城建集团承建的木兰溪防洪工程三期已完成投资18亿元。",
        "某某集团股份有限公司负责人分享了筹备上市的经验。",
        "会上,高新区与5家商协会签订了以商招商合作协议。",
        "市政府印发《支持先进制造业的若干措施》,并计划联合社会资本设立总规模50亿元的先进制造业发展基金。",
    ],
)
def test_policy_and_public_works_are_not_leads(extractor: LeadExtractor, text: str) -> None:
    assert extractor.extract(text).leads == []


def test_company_name_with_a_conjunction_inside(segmenter: Segmenter) -> None:
    names = [o.name for o in OrgFinder(cut=segmenter.tokenizer.lcut).find("成都市与四川新希望六和食品有限公司签约。")]
    assert names == ["四川新希望六和食品有限公司"]


def test_a_name_with_two_fields_takes_the_first() -> None:
    from nlp.industry import LeadIndustryClassifier

    clf = LeadIndustryClassifier()
    assert clf.classify(project="泰和健康食品制造及国际医养健康产业园", org=None, evidence=None) == "绿色食品"
    assert clf.classify(project="国际医养健康及健康食品产业园", org=None, evidence=None) == "生命健康"
