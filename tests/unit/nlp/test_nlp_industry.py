"""Lead industry: fund targets, keyword hits on project/investor, the project's own description, embeddings last."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from nlp.industry import KeywordIndustryClassifier, LeadIndustryClassifier, classify_lead
from nlp.resources import industry_keywords, org_industries


def test_extra_keywords_are_merged_into_the_taxonomy() -> None:
    words = industry_keywords()
    assert "集成电路" in words["新一代信息技术"]  # from the taxonomy
    assert "风电" in words["新能源和节能环保"] and "电动车" in words["新能源汽车和智能网联汽车"]  # extras
    assert all(len(set(v)) == len(v) for v in words.values())


def test_company_dictionary_names_known_industries() -> None:
    companies = org_industries()
    assert companies["比亚迪"] == "新能源汽车和智能网联汽车"
    assert set(companies.values()) <= set(industry_keywords())


@pytest.mark.parametrize(
    ("project", "org", "evidence", "expected"),
    [
        ("15万千瓦风能发电厂", "安徽龙源风力发电有限公司", "签约", "新能源和节能环保"),
        ("台玻技改项目", "台玻(福建)光伏玻璃有限公司", "技改", "新材料"),  # investor name carries the cue
        # no cue beyond a company name → 其他 (the guide); the company table is opt-in
        ("联影武汉总部基地项目", None, "总部基地建设半导体设备", "其他"),
        (None, "比亚迪", "比亚迪项目", "其他"),
        ("国际物流园项目", "某某新能源公司", "", "其他"),  # out-of-taxonomy words decide the project name
        ("五星级酒店项目", None, "", "其他"),  # 酒店 claims its span: not 酒 (绿色食品)
        ("商业航天产业园", None, "", "高端装备制造"),  # 航天; 商业 alone is no field
        ("某某海洋产品供应链产业园项目", None, "", "其他"),  # trade, even when the goods are food (the guide)
        ("某某纺织新材料项目", None, "", "其他"),
        (None, "某某投资公司", "建设冷链物流和食品加工基地", "绿色食品"),  # in a clause taxonomy words outweigh
        ("某某建筑辅材产业基金", None, "", "新材料"),
        ("红星国际商业综合体", None, "打造康养度假区", "其他"),  # no cue in the name: the clause is not used
        (None, "某某投资公司", "投资建设光伏电站", "新能源和节能环保"),  # no project: the clause decides
        (None, None, "", "其他"),
    ],
)
def test_lead_industry_rules(project: str | None, org: str | None, evidence: str, expected: str) -> None:
    assert LeadIndustryClassifier().classify(project=project, org=org, evidence=evidence) == expected


def test_well_known_companies_only_when_asked_for() -> None:
    classify = LeadIndustryClassifier(companies=org_industries())
    assert classify.classify(project="联影武汉总部基地项目", org=None, evidence="") == "生命健康"
    assert classify.classify(project=None, org="比亚迪", evidence="") == "新能源汽车和智能网联汽车"
    assert classify.classify(project="比亚迪新能源", org=None, evidence="") == "新能源和节能环保"  # keyword first


def test_project_without_cue_uses_its_own_description_only() -> None:
    classify = LeadIndustryClassifier(semantic=lambda text: {"新材料": 0.99})
    assert classify.classify(project="腾飞大基地项目", org=None, evidence="甲乙", context="腾飞大基地项目包括风电、光伏") == (
        "新能源和节能环保"
    )
    assert classify.classify(project="腾飞大基地项目", org=None, evidence="建设光伏电站", context="腾飞大基地项目") == "其他"


def test_fund_takes_the_first_target_its_clause_lists() -> None:
    classify = LeadIndustryClassifier()
    evidence = "某某智能装备产业基金规模20亿元,主要投向大数据、工业互联网和轨道交通装备等行业"
    assert classify.classify(project=None, org="某某智能装备产业基金", evidence=evidence) == "新一代信息技术"
    # no target list: the fund's own name decides
    assert classify.classify(project=None, org="某某智能装备产业基金", evidence="某某智能装备产业基金签约") == (
        "高端装备制造"
    )
    assert KeywordIndustryClassifier().first("生物医药、物流和芯片") == "生命健康"
    assert KeywordIndustryClassifier().first("物流、生物医药和芯片") == "其他"  # the first named is outside the ten


def test_semantic_scorer_only_backs_up_the_clause_of_leads_without_a_project() -> None:
    calls: list[str] = []

    def semantic(text: str) -> dict[str, float]:
        calls.append(text)
        return {"新材料": 0.9, "新能源和节能环保": 0.2}

    classify = LeadIndustryClassifier(semantic=semantic, clause_threshold=0.5)
    # 发电玻璃 (新材料, 4 chars) outweighs 太阳能 (3 chars); keyword decisions never consult the scorer
    assert classify.classify(project="太阳能发电玻璃项目", org=None, evidence="") == "新材料"
    assert classify.classify(project="健康食品及医药项目", org=None, evidence="") == "绿色食品"  # tie: first named
    assert calls == []
    assert classify.classify(project=None, org="某公司", evidence="建设一个新工厂") == "新材料"
    assert calls == ["建设一个新工厂"]
    low = LeadIndustryClassifier(semantic=lambda text: {"新材料": 0.1}, clause_threshold=0.5)
    assert low.classify(project=None, org="某公司", evidence="建设一个新工厂") == "其他"
    assert classify("") == "其他" and classify("建设一个新工厂") == "新材料"


def test_classify_lead_accepts_a_plain_text_classifier() -> None:
    plain = KeywordIndustryClassifier()
    assert classify_lead(plain, "某某项目", None, "建设动力电池生产线") == "新能源汽车和智能网联汽车"
    assert classify_lead(lambda text: None, "x", "y", "z") == "其他"


def test_unknown_industry_in_company_dictionary_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import nlp.resources as res

    monkeypatch.setattr(res, "read_list", lambda name: ("某公司,不存在的产业",))
    res.org_industries.cache_clear()
    try:
        with pytest.raises(ConfigError, match="unknown industry"):
            res.org_industries()
    finally:
        monkeypatch.undo()
        res.org_industries.cache_clear()


@pytest.mark.parametrize(
    ("project", "expected"),
    [
        ("星河类脑大模型算力中心项目", "新一代信息技术"),  # a compute centre, whatever model word the name adds
        ("东湖智算中心一期", "新一代信息技术"),
        ("类脑智能数据中心", "新一代信息技术"),
        ("人工智能算力中心项目", "人工智能"),  # the name itself says 人工智能
        ("大模型训练平台", "人工智能"),  # no centre: the model word decides
    ],
)
def test_compute_centres_are_information_technology(project: str, expected: str) -> None:
    assert LeadIndustryClassifier().classify(project=project, org=None, evidence=project) == expected


def test_compute_centre_rule_needs_both_industries_in_the_taxonomy() -> None:
    custom = KeywordIndustryClassifier({"数字经济": ("数据中心",)}, others=())
    assert LeadIndustryClassifier(custom).classify(project="某数据中心", org=None, evidence=None) == "数字经济"
