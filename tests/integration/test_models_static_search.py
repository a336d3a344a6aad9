"""Integration: distil a small static model from the real USE teacher, and hybrid policy search over the
shared corpus (/work/shared/corpus/policies.jsonl, read in place) with it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from core.config import Settings, get_settings
from core.schemas import Policy, PolicyInput
from models.distill import BUILD_INFO, build_static_model, read_build_info
from models.embedder import SentenceTransformerEmbedder, load_embedder
from models.matcher import PolicySearch
from models.policies import parse_policy
from nlp.regions import RegionIndex, default_regions

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SMALL_VOCAB = 3000
SHARED = Path(__file__).resolve().parents[2].parent / "shared"  # ../shared beside the checkout


@pytest.fixture(scope="module")
def small_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("zs_models")


@pytest.fixture(scope="module")
def model_dir(small_home: Path) -> Path:
    started = time.perf_counter()
    path = build_static_model(Settings(home=small_home, static_vocab_size=SMALL_VOCAB))
    assert time.perf_counter() - started < 300
    return path


@pytest.fixture(scope="module")
def embedder(model_dir: Path) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(model_dir)


def test_small_static_model_builds_and_loads_offline(model_dir: Path, embedder: SentenceTransformerEmbedder) -> None:
    info = read_build_info(model_dir)
    assert info["licence"] == "Apache-2.0" and info["dim"] == embedder.dim == 256
    assert int(info["vocab_size"]) > SMALL_VOCAB  # plus every CJK character and taxonomy keywords
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    assert model.get_embedding_dimension() == 256


def test_related_texts_score_higher_than_unrelated(embedder: SentenceTransformerEmbedder) -> None:
    pairs = [
        ("安庆市生物医药产业园项目签约", "生物医药工厂在安庆开工", "黑龙江省财源建设奖励资金管理办法"),
        ("新能源汽车动力电池生产基地", "电动汽车电池工厂投产", "博士后科研工作站资助"),
        ("集成电路设计企业流片奖励", "芯片设计公司首轮流片补贴", "预制菜中央厨房建设"),
    ]
    for anchor, related, unrelated in pairs:
        vecs = embedder.encode([anchor, related, unrelated])
        assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.05, (anchor, related, unrelated)


def test_load_embedder_static_reuses_the_cached_model(
    small_home: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamp = (model_dir / BUILD_INFO).stat().st_mtime_ns
    monkeypatch.setenv("ZHAOSHANG_HOME", str(small_home))
    monkeypatch.setenv("ZHAOSHANG_EMBEDDER", "static")
    monkeypatch.setenv("ZHAOSHANG_STATIC_VOCAB_SIZE", str(SMALL_VOCAB))
    get_settings.cache_clear()
    try:
        emb = load_embedder(get_settings())
    finally:
        get_settings.cache_clear()
    assert emb.dim == 256 and (model_dir / BUILD_INFO).stat().st_mtime_ns == stamp


@pytest.fixture(scope="module")
def regions() -> RegionIndex:
    return default_regions()


@pytest.fixture(scope="module")
def corpus_policies(regions: RegionIndex) -> list[Policy]:
    path = SHARED / "corpus" / "policies.jsonl"
    if not path.is_file():
        pytest.fail(f"shared corpus not found at {path}")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [parse_policy(PolicyInput.model_validate(row), regions) for row in rows]


@pytest.fixture(scope="module")
def corpus_search(
    corpus_policies: list[Policy], embedder: SentenceTransformerEmbedder, regions: RegionIndex
) -> PolicySearch:
    return PolicySearch.build(corpus_policies, embedder, regions)


def test_every_corpus_policy_parses_with_a_region(corpus_policies: list[Policy], regions: RegionIndex) -> None:
    assert len(corpus_policies) == 83
    by_id = {p.id: p for p in corpus_policies}
    assert all(p.region_code and p.clauses for p in corpus_policies)
    assert regions.path(by_id["D012"].region_code or "")[:2] == ["广东省", "广州市"]
    assert by_id["D067"].region_code == "000000"
    assert by_id["D044"].doc_number == "豫政〔2023〕33号"
    assert by_id["D068"].doc_number == "黔党发〔2017〕7号"
    assert by_id["D010"].expiry_date is not None and by_id["D010"].expiry_date.year == 2026


def _province(code: str | None) -> str:
    return (code or "")[:2]


def test_anqing_biomedicine_query_returns_no_other_province(corpus_search: PolicySearch) -> None:
    found = corpus_search.search("安庆 生物医药 工厂", top=10)
    assert found
    for match in found:
        assert match.region_code == "000000" or _province(match.region_code) == "34", match


def test_region_filter_for_wuhu_and_lhasa(corpus_search: PolicySearch) -> None:
    wuhu = corpus_search.search("新能源汽车 零部件 产业集群", region="芜湖市", top=10)
    assert wuhu and all(m.region_code == "000000" or _province(m.region_code) == "34" for m in wuhu)
    assert "D055" in [m.policy_id for m in wuhu[:3]]  # 安徽省县域汽车零部件产业集群
    assert all(m.policy_id != "D072" for m in corpus_search.search("制造业 转移", region="上海市", top=20))
    lhasa = corpus_search.search("西部大开发 企业所得税 15%税率", region="拉萨市", top=10)
    assert lhasa[0].policy_id == "D074"
    assert all(m.region_code == "000000" or _province(m.region_code) == "54" for m in lhasa)


def test_topical_queries_find_the_right_policy(corpus_search: PolicySearch) -> None:
    top3 = lambda q, r=None: [m.policy_id for m in corpus_search.search(q, region=r, top=3)]  # noqa: E731
    assert "D009" in top3("集成电路设计 首轮流片 奖励")
    assert top3("招商引资 中介机构 奖励", "云南省")[0] == "D060"
    assert "D052" in top3("博士后 资助", "深圳市")
    assert "D042" in top3("预制菜 产业")
    hits = corpus_search.search("总部企业 落户 奖励", region="广州市黄埔区", top=5)
    assert hits[0].policy_id == "D013" and hits[0].matched_clause


def test_search_latency_is_interactive(corpus_search: PolicySearch) -> None:
    queries = ["安庆 生物医药 工厂", "新能源汽车 充电桩", "人工智能 算力 补贴", "土地 要素 保障"]
    started = time.perf_counter()
    for q in queries:
        corpus_search.search(q, region="安徽省")
    per_query = (time.perf_counter() - started) / len(queries)
    assert per_query < 0.5, per_query


def test_saved_corpus_index_reloads_identically(
    corpus_search: PolicySearch, embedder: SentenceTransformerEmbedder, regions: RegionIndex, tmp_path: Path
) -> None:
    corpus_search.save(tmp_path / "policies")
    loaded = PolicySearch.load(tmp_path / "policies", embedder, regions)
    a = corpus_search.search("生物医药", region="合肥市")
    b = loaded.search("生物医药", region="合肥市")
    assert [m.policy_id for m in a] == [m.policy_id for m in b]
    assert np.allclose([m.score for m in a], [m.score for m in b])
