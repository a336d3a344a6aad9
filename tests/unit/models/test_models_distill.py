"""Unit tests: the static-model distillation pipeline with a fake hashing teacher (no USE model)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from models.distill import (
    BUILD_INFO,
    UNK,
    DistillConfig,
    build_vocabulary,
    distill,
    make_tokenizer,
    post_process,
    read_build_info,
    taxonomy_terms,
)
from models.embedder import FakeEmbedder, SentenceTransformerEmbedder

FREQS = {"安庆": 500, "生物医药": 300, "生物": 800, "医药": 700, "工厂": 400, "集成电路": 200, "的": 90000, "ai": 50}


def test_vocabulary_is_deterministic_and_covers_every_cjk_char() -> None:
    vocab = build_vocabulary(FREQS, vocab_size=3, extra=["新型显示", "的"])
    assert vocab[0] == UNK
    assert vocab[1:4] == ["的", "生物", "医药"]  # top words by frequency
    assert "龘" in vocab and "z" in vocab and "7" in vocab
    assert vocab.count("的") == 1 and "新型显示" in vocab
    assert vocab == build_vocabulary(FREQS, vocab_size=3, extra=["新型显示", "的"])
    assert "新型显示" in taxonomy_terms() and all(" " not in t for t in taxonomy_terms())


def test_wordpiece_tokenizer_does_forward_maximum_matching() -> None:
    vocab = build_vocabulary(FREQS, vocab_size=10)
    tok = make_tokenizer(vocab)
    assert tok.encode("安庆生物医药工厂，AI 5G").tokens == ["安庆", "生物医药", "工厂", UNK, "ai", "5", "g"]
    assert tok.encode("龘安庆").tokens == ["龘", "安庆"]  # rare characters never turn a run into [UNK]


def test_post_process_weights_and_reduces() -> None:
    vocab = [UNK, "的", "安庆", "工厂"]
    rng = np.random.default_rng(0)
    raw = rng.normal(size=(4, 8)).astype(np.float32)
    out = post_process(raw, vocab, FREQS, DistillConfig(dim=2, remove_pcs=1, sif_a=1e-3))
    assert out.shape == (4, 2) and np.all(out[0] == 0)
    norms = np.linalg.norm(out[1:], axis=1)
    assert norms[0] < norms[1]  # frequent 的 weighs less than 安庆


def _fake_teacher(texts: list[str]) -> np.ndarray:
    return FakeEmbedder(dim=32).encode(texts)


@pytest.mark.slow
def test_distill_writes_a_loadable_sentence_transformer(tmp_path: Path) -> None:
    target = tmp_path / "m"
    distill(target, DistillConfig(vocab_size=50, dim=16), teacher=_fake_teacher, freqs=FREQS, progress=False)
    info = read_build_info(target)
    assert info["licence"] == "Apache-2.0" and info["dim"] == 16 and int(info["size_bytes"]) > 0
    assert json.loads((target / BUILD_INFO).read_text())["vocab_size"] == info["vocab_size"]
    emb = SentenceTransformerEmbedder(target)
    vecs = emb.encode(["安庆生物医药工厂", "安庆生物医药", "集成电路"])
    assert vecs.shape == (3, 16) and np.allclose(np.linalg.norm(vecs, axis=1), 1, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "m"]
    assert leftovers == []
