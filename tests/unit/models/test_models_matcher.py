"""Unit tests: hybrid policy search — region applicability, expiry, RRF, upsert, save/load (fake embedder)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.errors import InputError, ModelError
from core.schemas import Policy, PolicyInput
from models.bm25 import BM25Index, reciprocal_rank_fusion
from models.embedder import FakeEmbedder
from models.matcher import PolicyMatch, PolicySearch
from models.policies import parse_policy
from nlp.regions import RegionIndex, default_regions

TODAY = dt.date(2025, 1, 1)
IC = "一、对集成电路设计企业首轮流片给予奖励，按流片费用的30%给予最高500万元奖励。\n二、对新引进的芯片制造项目按设备投资额给予补助。"


def _p(pid: str, title: str, region: str, text: str = IC, **kw: object) -> PolicyInput:
    return PolicyInput(id=pid, title=title, issuer_region=region, text=text, **kw)  # type: ignore[arg-type]


INPUTS = [
    _p("N1", "国务院关于促进集成电路产业高质量发展的若干政策", "全国"),
    _p("N2", "关于支持西部地区集成电路产业发展的若干措施", "全国"),
    _p("A1", "安徽省支持集成电路产业发展若干政策", "安徽省"),
    _p("W1", "芜湖市支持集成电路产业发展若干政策", "芜湖市"),
    _p("W2", "芜湖市鸠江区支持集成电路产业发展若干政策", "芜湖市鸠江区"),
    _p("H1", "合肥市支持集成电路产业发展若干政策", "合肥市"),
    _p("G1", "广东省集成电路设计流片奖励办法", "广东省", IC + "\n三、集成电路设计流片奖励。"),
    _p("G2", "广州市支持集成电路产业发展若干政策", "广州市"),
    _p("E1", "芜湖市集成电路流片奖励办法（旧）", "芜湖市", IC + "\n三、本办法有效期至2020年12月31日。"),
    _p("F1", "芜湖市预制菜产业发展若干措施", "芜湖市", "一、支持预制菜企业建设中央厨房，给予最高100万元补助。"),
]


@pytest.fixture(scope="module")
def regions() -> RegionIndex:
    return default_regions()


@pytest.fixture(scope="module")
def policies(regions: RegionIndex) -> list[Policy]:
    return [parse_policy(p, regions) for p in INPUTS]


@pytest.fixture(scope="module")
def search(policies: list[Policy], regions: RegionIndex) -> PolicySearch:
    return PolicySearch.build(policies, FakeEmbedder(), regions, today=lambda: TODAY)


def _ids(matches: list[PolicyMatch]) -> list[str]:
    return [m.policy_id for m in matches]


def test_wuhu_query_gets_national_province_city_never_other_regions(search: PolicySearch) -> None:
    found = search.search("集成电路 设计 流片 奖励", region="芜湖市", top=20)
    ids = set(_ids(found))
    assert {"N1", "A1", "W1"} <= ids
    assert ids.isdisjoint({"G1", "G2", "H1", "N2", "E1"})  # other province/city, west-only, expired
    by_id = {m.policy_id: m for m in found}
    assert by_id["W1"].applicability == "full"
    assert by_id["W2"].applicability == "partial" and by_id["W2"].score < by_id["W1"].score
    assert all(m.valid for m in found)
    assert by_id["W1"].matched_clause and "流片" in by_id["W1"].matched_clause
    assert by_id["W1"].to_hit().policy_id == "W1"


def test_region_as_code_and_short_name(search: PolicySearch) -> None:
    assert _ids(search.search("集成电路", region="340200", top=20)) == _ids(
        search.search("集成电路", region="芜湖", top=20)
    )


def test_scoped_national_policy_only_inside_scope(search: PolicySearch) -> None:
    assert "N2" in _ids(search.search("集成电路", region="拉萨市", top=20))
    assert "N2" not in _ids(search.search("集成电路", region="安徽省", top=20))


def test_expired_policies_filtered_or_flagged(search: PolicySearch) -> None:
    found = search.search("集成电路 流片", region="芜湖市", top=20, include_expired=True)
    expired = next(m for m in found if m.policy_id == "E1")
    assert expired.valid is False and expired.expiry_date == dt.date(2020, 12, 31)


def test_region_inferred_from_query_text(search: PolicySearch) -> None:
    assert search.infer_region("芜湖 集成电路 工厂") == "340200"
    assert search.infer_region("安徽省芜湖市的芯片项目") == "340200"
    assert search.infer_region("芜湖和广州的芯片项目") is None  # conflicting places: no guess
    ids = _ids(search.search("芜湖 集成电路 工厂", top=20))
    assert "G1" not in ids and "W1" in ids
    assert "G1" in _ids(search.search("集成电路 设计 流片 奖励", top=20))


def test_unknown_region_and_bad_queries(search: PolicySearch) -> None:
    with pytest.raises(InputError):
        search.search("集成电路", region="火星市")
    with pytest.raises(InputError):
        search.search("   ")
    with pytest.raises(InputError):
        search.search("集成电路", top=0)


def test_industry_boost_marks_matching_policies(search: PolicySearch) -> None:
    found = search.search("产业发展 补助", region="芜湖市", industry="绿色食品", top=20)
    food = next(m for m in found if m.policy_id == "F1")
    assert food.industry_match is True
    assert next(m for m in found if m.policy_id == "W1").industry_match is False


def test_upsert_save_load_round_trip(policies: list[Policy], regions: RegionIndex, tmp_path: Path) -> None:
    search = PolicySearch.build(policies, FakeEmbedder(), regions, today=lambda: TODAY)
    before = _ids(search.search("集成电路 流片", region="芜湖市"))
    changed = parse_policy(_p("W1", "芜湖市预制菜中央厨房补助办法", "芜湖市", "一、预制菜中央厨房建设补助。"), regions)
    search.upsert([changed])
    assert len(search) == len(policies)
    assert search.search("预制菜 中央厨房", region="芜湖市")[0].policy_id in {"W1", "F1"}
    assert "W1" not in _ids(search.search("集成电路 流片", region="芜湖市", top=3))
    search.save(tmp_path / "pol")
    loaded = PolicySearch.load(tmp_path / "pol", FakeEmbedder(), regions, today=lambda: TODAY)
    for query in ("集成电路 流片", "预制菜"):
        assert [(m.policy_id, m.score) for m in loaded.search(query, region="芜湖市")] == [
            (m.policy_id, m.score) for m in search.search(query, region="芜湖市")
        ]
    search.save(tmp_path / "pol")  # overwrite in place
    assert len(PolicySearch.load(tmp_path / "pol", FakeEmbedder(), regions)) == len(policies)
    with pytest.raises(ModelError):
        PolicySearch.load(tmp_path / "pol", FakeEmbedder(dim=32), regions)
    with pytest.raises(ModelError):
        PolicySearch.load(tmp_path / "nothing", FakeEmbedder(), regions)
    assert search.remove(["W1"]) == 1 and "W1" not in _ids(search.search("预制菜", region="芜湖市"))
    assert before  # the original search found something


def test_filters_seam_can_drop_matches(policies: list[Policy], regions: RegionIndex) -> None:
    def no_districts(match: PolicyMatch, policy: Policy) -> PolicyMatch | None:
        return None if match.applicability == "partial" else match

    search = PolicySearch.build(policies, FakeEmbedder(), regions, filters=[no_districts], today=lambda: TODAY)
    assert "W2" not in _ids(search.search("集成电路", region="芜湖市", top=20))


def test_upsert_rejects_unparsed_policy(search: PolicySearch) -> None:
    raw = Policy(id="R", title="t", issuer_region="芜湖市", text="x")
    with pytest.raises(InputError):
        search.upsert([raw])


def test_reciprocal_rank_fusion() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1]], k=60)
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[3] == pytest.approx(1 / 63 + 1 / 61)
    assert fused[2] == pytest.approx(1 / 62)
    assert sorted(fused, key=lambda i: -fused[i]) == [1, 3, 2]
    with pytest.raises(InputError):
        reciprocal_rank_fusion([[1]], k=-1)


def test_bm25_scores_rare_terms_higher_and_supports_removal() -> None:
    bm25 = BM25Index()
    bm25.add(1, ["集成电路", "奖励", "奖励"])
    bm25.add(2, ["预制菜", "奖励"])
    bm25.add(3, ["芯片", "补助"])
    scores = bm25.scores(["集成电路", "奖励"])
    assert set(scores) == {1, 2} and scores[1] > scores[2]
    assert bm25.idf("集成电路") > bm25.idf("奖励")
    bm25.remove(1)
    assert set(bm25.scores(["集成电路", "奖励"])) == {2}
    assert bm25.scores(["奖励"], allowed={3}) == {}


def test_search_modes_bm25_dense_hybrid(search: PolicySearch) -> None:
    for mode in ("bm25", "dense", "hybrid"):
        found = search.search("预制菜 中央厨房", region="芜湖市", mode=mode)  # type: ignore[arg-type]
        assert found[0].policy_id == "F1", mode
    bm25_only = search.search("预制菜", region="芜湖市", mode="bm25", top=20)
    assert [m.policy_id for m in bm25_only] == ["F1"]  # only lexical matches
    assert len(search.search("预制菜", region="芜湖市", mode="dense", top=20)) > 1
    with pytest.raises(InputError):
        search.search("预制菜", mode="sparse")  # type: ignore[arg-type]


def test_policy_of_an_unnamed_district_is_partial_for_its_city_only(regions: RegionIndex) -> None:
    unnamed = parse_policy(_p("U1", "关于深化现代产业发展的意见", "无锡市(区级,区名页面未写明)"), regions)
    search = PolicySearch.build([unnamed], FakeEmbedder(), regions, today=lambda: TODAY)
    assert [m.applicability for m in search.search("集成电路", region="无锡市")] == ["partial"]
    assert search.search("集成电路", region="宜兴市") == []  # another district/county of 无锡
    assert [m.policy_id for m in search.search("集成电路", region="江苏省")] == ["U1"]
