"""Unit: filtered dense search (FAISS ID selector) and cached region applicability agree with brute force."""

from __future__ import annotations

import random

import numpy as np
import pytest

from core.schemas import Policy
from models.applicability import RegionRules
from models.embedder import FakeEmbedder
from models.index import VectorIndex
from models.matcher import PolicySearch
from nlp.regions import default_regions


def test_allowed_ids_give_the_exact_top_k_among_them() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(500, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(1000, 1500)
    index = VectorIndex.build(ids, vectors, kind="flat")
    query = vectors[:1]
    allowed = rng.choice(ids, size=40, replace=False)
    scores, found = index.search(query, 5, allowed=allowed)
    brute = sorted(allowed.tolist(), key=lambda i: -float(vectors[i - 1000] @ query[0]))[:5]
    assert found[0].tolist() == brute
    assert np.allclose(scores[0], [float(vectors[i - 1000] @ query[0]) for i in brute], atol=1e-5)
    _, few = index.search(query, 5, allowed=[1003, 1004])
    assert sorted(few[0].tolist()) == [1003, 1004]
    assert index.search(query, 5, allowed=[])[1].shape == (1, 0)


def test_cached_applicability_matches_the_region_hierarchy() -> None:
    regions = default_regions()
    rules = RegionRules(regions)
    codes = sorted(regions.by_code)
    rng = random.Random(3)
    sample = rng.sample(codes, 150) + ["340000", "340100", "340121", "000000"]
    for policy_code in sample[:60] + ["340100", "000000"]:
        policy = Policy(id="P", title="t", issuer_region="x", text="t", region_code=policy_code)
        for query_code in sample:
            expected = (
                "full"
                if regions.is_within(query_code, policy_code)
                else "partial"
                if regions.is_within(policy_code, query_code)
                else None
            )
            assert rules.applicability(policy, query_code) == expected, (policy_code, query_code)
            assert rules.applicability(policy, query_code) == expected  # cached answer


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
def test_region_filter_keeps_only_applicable_policies(mode: str) -> None:
    regions = default_regions()
    cities = ["合肥市", "芜湖市", "南京市", "杭州市", "广州市", "成都市"]
    policies = [
        Policy(
            id=f"P{i:03d}",
            title=f"{city}新能源汽车产业扶持政策{i}",
            issuer_region=city,
            region_code=regions.resolve(city).code,
            text=f"{city}对新能源汽车动力电池项目给予设备投资补助{i}",
        )
        for i, city in enumerate(cities * 10)
    ]
    search = PolicySearch.build(policies, FakeEmbedder(), regions)
    found = search.search("新能源汽车 动力电池", region="芜湖市", top=20, mode=mode)  # type: ignore[arg-type]
    assert found and {m.issuer_region for m in found} == {"芜湖市"}
    assert len(found) == 10
