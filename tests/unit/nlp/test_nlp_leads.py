"""LeadExtractor: one lead per event, aggregates and mechanisms skipped, fields and confidence."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from core.errors import InputError
from core.schemas import Lead
from nlp.leads import Extraction, LeadExtractor


def _by_project(extraction: Extraction) -> dict[str | None, Lead]:
    return {lead.project: lead for lead in extraction.leads}


def test_two_projects_in_one_sentence_get_their_own_city(extractor: LeadExtractor) -> None:
    text = "省里推动在宿州市的华光新材料产业园、在滁州市的远景储能电池生产基地等重大项目签约。"
    out = extractor.extract(text)
    leads = _by_project(out)
    assert set(leads) == {"华光新材料产业园", "远景储能电池生产基地"}
    assert leads["华光新材料产业园"].location == "宿州市" and leads["华光新材料产业园"].region_code == "341300"
    assert leads["远景储能电池生产基地"].location == "滁州市" and leads["远景储能电池生产基地"].region_code == "341100"
    assert all(lead.stage == "签约" for lead in out.leads)
    assert len(out.event_dates) == len(out.leads)


def test_full_lead_fields_and_confidence(extractor: LeadExtractor) -> None:
    text = "3月5日,合肥市包河区与江苏恒瑞新能源有限公司签约,恒瑞动力电池生产项目总投资30亿元,主要生产储能电池。"
    out = extractor.extract(text, dt.date(2024, 3, 8))
    (lead,) = out.leads
    assert lead.org == "江苏恒瑞新能源有限公司"
    assert lead.project == "恒瑞动力电池生产项目"
    assert (lead.location, lead.region_code) == ("包河区", "340111")
    assert lead.amount_cny == pytest.approx(30e8) and lead.currency == "CNY"
    assert lead.stage == "签约"
    assert lead.industry in ("新能源汽车和智能网联汽车", "新能源和节能环保")
    assert lead.evidence.startswith("3月5日,合肥市包河区")
    assert out.event_dates == [dt.date(2024, 3, 5)]
    thin = extractor.extract("某地一批项目里,东湖数字产业园开工。").leads
    assert thin and thin[0].confidence < lead.confidence


def test_aggregate_statistics_are_not_leads(extractor: LeadExtractor) -> None:
    text = (
        "截至10月底,全市累计签约项目41个、总投资609亿元;开工项目96个,总投资达960亿元。"
        "今年1-5月份,全市新签约项目196个,同比增长12%。"
    )
    assert extractor.extract(text, dt.date(2023, 11, 2)).leads == []


def test_mechanisms_training_and_witnesses_are_not_leads(extractor: LeadExtractor) -> None:
    text = (
        "区里建立项目预评机制,推行“七评一看”,完善招商考核办法。"
        "区投促局举办招商引资专题培训班,重点学习产业链招商。"
        "县委常委张三、副县长李四到场见证签约。"
    )
    assert extractor.extract(text).leads == []


def test_foreign_currency_kept_apart(extractor: LeadExtractor) -> None:
    text = "美国康地谷物公司投资建设的康地动物营养品生产项目正式签约,总投资8000万美元。"
    (lead,) = extractor.extract(text).leads
    assert lead.amount == pytest.approx(8e7)
    assert lead.currency == "USD"
    assert lead.amount_cny is None
    assert lead.org == "美国康地谷物公司"


def test_header_stage_applies_to_listed_projects(extractor: LeadExtractor) -> None:
    text = (
        "在谈项目共2个:其一,高档家居商贸城项目,洽谈对象为星光家居集团,计划投资8亿元;"
        "其二,乡村燃气管道项目,洽谈对象为江苏华图燃气公司,计划投资5亿元。"
    )
    leads = _by_project(extractor.extract(text))
    assert set(leads) == {"高档家居商贸城项目", "乡村燃气管道项目"}
    assert leads["高档家居商贸城项目"].org == "星光家居集团"
    assert leads["乡村燃气管道项目"].amount_cny == pytest.approx(5e8)
    assert {lead.stage for lead in leads.values()} == {"在谈"}


def test_location_falls_back_to_document_place(extractor: LeadExtractor) -> None:
    text = "安庆市招商成效明显。今年以来,安庆市新签约项目不断增加。绿能光伏组件生产项目总投资12亿元,已正式开工。"
    (lead,) = extractor.extract(text).leads
    assert (lead.location, lead.region_code) == ("安庆市", "340800")
    assert lead.stage == "开工"


def test_traditional_input_normalised(extractor: LeadExtractor) -> None:
    out = extractor.extract("蕪湖市繁昌區與寶德計算機集團簽約,寶德伺服器生產基地項目總投資5億元。")
    assert "traditional" in out.flags
    (lead,) = out.leads
    assert lead.project == "宝德伺服器生产基地项目"
    assert lead.location == "繁昌区"


# -- robustness ---------------------------------------------------------------


def test_non_str_raises_input_error(extractor: LeadExtractor) -> None:
    with pytest.raises(InputError):
        extractor.extract(b"\x00\x01")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        extractor.extract("文本", "2024-01-01")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "\x00\x01\x02\xff" * 1000,
        "Hello world, no Chinese at all.",
        "?" * 5000,
        "مرحبا 你好 привет こんにちは 안녕하세요 項目簽約" * 50,
        "\ufffd" * 300,
        "(" * 50000 + "项目" * 20000,
        "公司" * 50000,
        "安徽省合肥市包河区" * 3000,
    ],
)
def test_odd_inputs_do_not_crash(extractor: LeadExtractor, text: str) -> None:
    out = extractor.extract(text)
    assert isinstance(out, Extraction)
    assert len(out.leads) == len(out.event_dates)


def test_chinese_after_long_junk_is_still_read(extractor: LeadExtractor) -> None:
    text = "“" * 30000 + "。合肥市包河区与江苏恒瑞新能源有限公司签约,恒瑞动力电池生产项目总投资30亿元。"
    (lead,) = extractor.extract(text).leads
    assert lead.project == "恒瑞动力电池生产项目"


def test_binary_junk_decoded_as_text(extractor: LeadExtractor) -> None:
    junk = bytes(range(256)).decode("latin-1") * 400
    start = time.perf_counter()
    out = extractor.extract(junk)
    assert time.perf_counter() - start < 3
    assert out.leads == []


def test_large_text_is_quick_and_truncated(extractor: LeadExtractor) -> None:
    sentence = "芜湖市鸠江区与奇点智能装备有限公司签约,奇点机器人产业园项目总投资20亿元。"
    big = sentence * (2_000_000 // len(sentence))
    start = time.perf_counter()
    out = extractor.extract(big)
    elapsed = time.perf_counter() - start
    assert elapsed < 10, elapsed
    assert any(f.startswith("truncated:") for f in out.flags)
    assert len(out.leads) == 1  # the same project repeated is one lead


def test_text_without_punctuation_is_split(extractor: LeadExtractor) -> None:
    text = (
        "今年以来全区招商工作稳步推进" * 400
        + "宣城市与新宇材料科技有限公司签约新宇碳纤维复合材料项目总投资6亿元"
        + "全区上下齐心协力" * 300
    )
    start = time.perf_counter()
    out = extractor.extract(text)
    assert time.perf_counter() - start < 5
    assert all(len(lead.evidence) <= 300 for lead in out.leads)
    assert any(lead.project and "碳纤维" in lead.project for lead in out.leads)


def test_enumerated_items_are_separate_events(extractor: LeadExtractor) -> None:
    text = "仪式上,宁波签约两个合作项目,一是拟设立的宁波星海智能制造产业基金,二是甬江固废协同处置示范项目。"
    out = extractor.extract(text)
    by_org = {lead.org: lead for lead in out.leads}
    assert "宁波星海智能制造产业基金" in by_org
    assert by_org["宁波星海智能制造产业基金"].project is None
    projects = [lead for lead in out.leads if lead.project]
    assert [lead.project for lead in projects] == ["甬江固废协同处置示范项目"]
    assert projects[0].org is None
    assert {lead.stage for lead in out.leads} == {"签约"}
