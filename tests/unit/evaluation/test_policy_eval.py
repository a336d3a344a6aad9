"""Tests for the policy-search scorer and the gold judgment file it reads."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from core.errors import InputError
from evaluation import policy_eval as pe
from evaluation import ranking
from nlp.regions import default_regions


@pytest.fixture(scope="module")
def regions():
    return default_regions()


@pytest.fixture(scope="module")
def policy_regions(regions):
    shared = Path(__file__).resolve().parents[4] / "shared"
    if not shared.exists():
        pytest.fail(f"../shared not found at {shared}")
    return pe.load_policy_regions(shared / "corpus" / "policies.jsonl", regions)


@pytest.fixture(scope="module")
def gold(regions):
    return pe.load_queries(pe.GOLD_PATH, regions)


def make_query(qid: str, judgments: dict[str, int], region: str | None, regions) -> pe.GoldQuery:
    code = pe.resolve_region_name(region, regions).code if region else None
    return pe.GoldQuery(qid, "测试查询", region, code, pe.split_of(qid), judgments)


# -- metrics on hand-made rankings ------------------------------------------------------------------


JUDGED = {"D044": 3, "D045": 2, "D043": 1}


def test_perfect_ranking_scores_one(regions, policy_regions):
    query = make_query("Q01", JUDGED, "郑州市", regions)
    report = pe.score([query], {"Q01": ["D044", "D045", "D043"]}, policy_regions, regions=regions)
    assert report.ndcg_10 == pytest.approx(1.0)
    assert report.recall_5 == pytest.approx(1.0)
    assert report.mrr == pytest.approx(1.0)
    assert report.wrong_region_5 == 0.0


def test_reversed_ranking_scores_lower(regions, policy_regions):
    query = make_query("Q01", JUDGED, "郑州市", regions)
    perfect = pe.score([query], {"Q01": ["D044", "D045", "D043"]}, policy_regions, regions=regions)
    reversed_ = pe.score([query], {"Q01": ["D043", "D045", "D044"]}, policy_regions, regions=regions)
    assert reversed_.ndcg_10 < perfect.ndcg_10
    assert reversed_.mrr == pytest.approx(0.5)  # first grade>=2 policy at rank 2
    # hand computation: gains 1,3,7 at ranks 1..3 against the ideal 7,3,1
    expected = (1 + 3 / math.log2(3) + 7 / 2) / (7 + 3 / math.log2(3) + 1 / 2)
    assert reversed_.ndcg_10 == pytest.approx(expected)


def test_recall_counts_only_top_five_and_grade_two():
    judgments = {"D001": 3, "D002": 2, "D003": 1}
    ranked = ["D010", "D011", "D012", "D013", "D001", "D002"]  # D002 at rank 6
    assert ranking.recall_at(ranked, judgments) == pytest.approx(0.5)
    assert ranking.recall_at(["D003"], {"D003": 1}) is None
    assert ranking.reciprocal_rank(["D010", "D003"], judgments) == 0.0


def test_ndcg_is_cut_at_ten():
    judgments = {"D001": 3}
    assert ranking.ndcg_at([f"D{i:03d}" for i in range(2, 12)] + ["D001"], judgments) == 0.0
    assert ranking.ndcg_at(["D002"], {}) is None


def test_anhui_query_returning_guangdong_policy_is_wrong_region(regions, policy_regions):
    query = make_query("Q01", {"D008": 2}, "安庆市", regions)
    # D008 安徽省 (ancestor), D067 全国, D039 广州开发区 (wrong), D058 合肥高新区 (another Anhui city: wrong)
    report = pe.score([query], {"Q01": ["D008", "D067", "D039", "D058"]}, policy_regions, regions=regions)
    assert report.wrong_region_5 == pytest.approx(2 / 4)


def test_descendants_apply_and_null_region_counts_zero(regions, policy_regions):
    hefei = make_query("Q01", {}, "合肥市", regions)
    loose = make_query("Q02", {}, None, regions)
    results = {"Q01": ["D057", "D003", "D002", "D001"], "Q02": ["D039", "D074"]}
    report = pe.score([hefei, loose], results, policy_regions, regions=regions)
    assert report.wrong_region_5 == 0.0


def test_scoped_national_policy_and_unnamed_district(regions, policy_regions):
    assert pe.applies(policy_regions["D071"], pe.resolve_region_name("贵州省", regions).code, regions)
    assert not pe.applies(policy_regions["D071"], pe.resolve_region_name("韶关市", regions).code, regions)
    assert pe.applies(policy_regions["D067"], pe.resolve_region_name("韶关市", regions).code, regions)
    wuxi, yixing = (pe.resolve_region_name(n, regions).code for n in ("无锡市", "宜兴市"))
    assert pe.applies(policy_regions["D031"], wuxi, regions)
    assert not pe.applies(policy_regions["D031"], yixing, regions)


def test_renamed_and_park_paths_resolve(policy_regions, regions):
    assert regions.get(policy_regions["D016"].code).name == "盘州市"
    assert regions.get(policy_regions["D075"].code).name == "山南市"
    assert policy_regions["D012"].code == pe.resolve_region_name("广州开发区", regions).code


def test_missing_query_is_a_clear_error(regions, policy_regions):
    queries = [make_query("Q01", JUDGED, None, regions), make_query("Q02", JUDGED, None, regions)]
    with pytest.raises(InputError, match="lack 1 queries: Q02"):
        pe.score(queries, {"Q01": ["D044"]}, policy_regions, regions=regions)
    with pytest.raises(InputError, match="not in the gold file"):
        pe.score(queries, {"Q01": [], "Q02": [], "Q99": []}, policy_regions, regions=regions)


def test_malformed_results_are_rejected(regions, policy_regions):
    with pytest.raises(InputError, match="ranked twice"):
        pe.parse_results([{"id": "Q01", "results": [{"policy_id": "D001"}, {"policy_id": "D001"}]}])
    with pytest.raises(InputError, match="lacks policy_id"):
        pe.parse_results([{"id": "Q01", "results": [{"score": 1.0}]}])
    with pytest.raises(InputError, match="must be a list"):
        pe.parse_results([{"id": "Q01", "results": None}])
    query = make_query("Q01", JUDGED, "郑州市", regions)
    with pytest.raises(InputError, match="unknown policy ids"):
        pe.score([query], {"Q01": ["D999"]}, policy_regions, regions=regions)


def test_compound_region_names_resolve(regions):
    assert regions.path(pe.resolve_region_name("大连市中山区", regions).code) == ["辽宁省", "大连市", "中山区"]
    with pytest.raises(InputError):
        pe.resolve_region_name("不存在的地方", regions)


# -- the gold file ----------------------------------------------------------------------------------


def test_gold_file_is_complete_and_valid(gold, policy_regions, regions):
    assert len(gold) >= 48
    assert sum(1 for q in gold if any(g >= 2 for g in q.judgments.values())) >= 40
    assert {q.split for q in gold} == {"dev", "heldout"}
    assert all(q.split == pe.split_of(q.id) for q in gold)
    for query in gold:
        assert set(query.judgments) <= set(policy_regions), query.id
        if query.region is not None:
            assert query.region_code == pe.resolve_region_name(query.region, regions).code


def test_gold_judgments_respect_the_region_rule(gold, policy_regions, regions):
    for query in gold:
        bad = [
            p
            for p, g in query.judgments.items()
            if g > 0 and not pe.applies(policy_regions[p], query.region_code, regions)
        ]
        assert not bad, f"{query.id} ({query.region}) grades policies from other regions: {bad}"


def test_gold_spreads_over_provinces_and_copies_no_policy_text(gold, shared_dir, regions):
    provinces = {regions.province_of(q.region_code).name for q in gold if q.region_code not in (None, "000000")}
    assert {"安徽省", "广东省", "浙江省", "河南省", "天津市", "西藏自治区"} <= provinces
    assert sum(q.region is None for q in gold) >= 3
    texts = [json.loads(line)["text"] for line in (shared_dir / "corpus" / "policies.jsonl").open(encoding="utf-8")]
    for query in gold:
        for piece in (query.query, query.notes):
            for start in range(max(0, len(piece) - 20)):
                run = piece[start : start + 21]
                assert not any(run in t for t in texts), f"{query.id} copies policy text: {run}"


# -- CLI ----------------------------------------------------------------------------------------------


def test_cli_prints_markdown_and_json(tmp_path: Path, gold, capsys):
    results = tmp_path / "perfect.jsonl"
    lines = [
        {
            "id": q.id,
            "results": [
                {"policy_id": p, "score": g, "title": "", "matched_clause": ""}
                for p, g in sorted(q.judgments.items(), key=lambda kv: -kv[1])
            ],
        }
        for q in gold
    ]
    results.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    out_json = tmp_path / "report.json"
    assert pe.main(["--results", str(results), "--label", "oracle", "--split", "all", "--json-out", str(out_json)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(pe.MARKDOWN_HEADER)
    assert f"| oracle | all | {len(gold)} | 1.000 | 1.000 | 1.000 | 0.000 |" in printed
    saved = json.loads(out_json.read_text(encoding="utf-8"))
    assert saved[0]["n_queries"] == len(gold) and len(saved[0]["per_query"]) == len(gold)


def test_cli_reports_missing_queries_in_one_line(tmp_path: Path, capsys):
    results = tmp_path / "partial.jsonl"
    results.write_text(json.dumps({"id": "Q01", "results": []}) + "\nnot json\n", encoding="utf-8")
    assert pe.main(["--results", str(results)]) == 2
    assert capsys.readouterr().err.startswith("error: ")
