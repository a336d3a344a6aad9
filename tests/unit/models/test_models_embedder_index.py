"""Unit tests: FakeEmbedder, load_embedder, VectorIndex (search, remove, atomic save/load)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from core.config import get_settings
from core.errors import ConfigError, InputError, ModelError
from models.embedder import Embedder, FakeEmbedder, load_embedder
from models.index import INDEX_FILE, META_FILE, VectorIndex


def test_fake_embedder_is_deterministic_normalised_and_similarity_aware() -> None:
    emb = FakeEmbedder(dim=64)
    a = emb.encode(["安庆市生物医药产业园", "安庆市生物医药产业园项目签约", "黑龙江省财源建设奖励资金"])
    assert a.shape == (3, 64) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(
        a,
        FakeEmbedder(dim=64).encode(
            ["安庆市生物医药产业园", "安庆市生物医药产业园项目签约", "黑龙江省财源建设奖励资金"]
        ),
    )
    assert a[0] @ a[1] > a[0] @ a[2]
    assert isinstance(emb, Embedder)


def test_fake_embedder_rejects_bad_input() -> None:
    emb = FakeEmbedder()
    with pytest.raises(InputError):
        emb.encode("一个字符串")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        emb.encode(["ok", 3])  # type: ignore[list-item]
    assert emb.encode([]).shape == (0, 64)


def test_load_embedder_from_settings(zs_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(load_embedder(get_settings()), FakeEmbedder)
    monkeypatch.setenv("ZHAOSHANG_EMBEDDER", "path")
    get_settings.cache_clear()
    with pytest.raises(ConfigError):
        load_embedder(get_settings())
    monkeypatch.setenv("ZHAOSHANG_EMBEDDING_MODEL_PATH", str(zs_home / "nope"))
    get_settings.cache_clear()
    with pytest.raises(ModelError):
        load_embedder(get_settings())


def _vectors(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_index_search_remove_replace_and_round_trip(tmp_path: Path, kind: str) -> None:
    vecs = _vectors(20)
    ids = list(range(100, 120))
    index = VectorIndex.build(ids, vecs, kind=kind)
    scores, found = index.search(vecs[:3], k=1)
    assert found[:, 0].tolist() == [100, 101, 102]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-4)
    assert index.remove([101, 999]) == 1
    assert 101 not in index and len(index) == 19
    index.add([100], vecs[5:6])  # replacing id 100 with another vector
    assert len(index) == 19
    assert index.search(vecs[5], k=2)[1][0].tolist().count(100) == 1
    index.save(tmp_path / "idx")
    loaded = VectorIndex.load(tmp_path / "idx")
    assert loaded.kind == kind and loaded.dim == 16
    assert sorted(loaded.ids().tolist()) == sorted(index.ids().tolist())
    assert loaded.search(vecs[7], k=1)[1][0, 0] == 107


def test_index_rejects_bad_vectors_and_ids() -> None:
    index = VectorIndex(8)
    with pytest.raises(InputError):
        index.add([1, 2], _vectors(2, dim=4))
    with pytest.raises(InputError):
        index.add([1], _vectors(2, dim=8))
    with pytest.raises(InputError):
        index.add([1, 1], _vectors(2, dim=8))
    bad = _vectors(1, dim=8)
    bad[0, 0] = np.nan
    with pytest.raises(InputError):
        index.add([1], bad)
    assert index.search(_vectors(1, dim=8), k=5)[1].shape == (1, 0)


def test_index_save_is_atomic_when_a_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "idx"
    first = VectorIndex.build([1, 2], _vectors(2))
    first.save(target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    second = VectorIndex.build([7, 8, 9], _vectors(3, seed=1))

    real_replace = os.replace

    def failing_replace(src: str, dst: str | Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        second.save(target)
    monkeypatch.setattr(os, "replace", real_replace)
    after = {p.name: p.read_bytes() for p in target.iterdir()}
    assert after == before  # old files intact, no temp files left behind
    assert sorted(VectorIndex.load(target).ids().tolist()) == [1, 2]


def test_index_load_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        VectorIndex.load(tmp_path / "missing")
    target = tmp_path / "idx"
    VectorIndex.build([1], _vectors(1)).save(target)
    (target / INDEX_FILE).write_bytes(b"garbage")
    with pytest.raises(ModelError):
        VectorIndex.load(target)
    VectorIndex.build([1], _vectors(1)).save(target)
    (target / META_FILE).write_text('{"dim": 16, "kind": "flat", "ids": [5]}')
    with pytest.raises(ModelError):
        VectorIndex.load(target)
