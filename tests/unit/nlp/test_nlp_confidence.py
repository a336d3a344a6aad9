"""Confidence: the fitted logistic model, its file, and the extractor's use of it."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.schemas import Lead
from nlp.confidence import FEATURES, ConfidenceModel, fit, lead_features, load_confidence_model
from nlp.leads import LeadExtractor
from nlp.segment import Segmenter


def _lead(**kw: object) -> Lead:
    base: dict[str, object] = {"evidence": "某某公司签约某某项目。", "stage": "签约", "confidence": 0.5}
    base.update(kw)
    return Lead(**base)  # type: ignore[arg-type]


def test_features_read_what_the_lead_carries() -> None:
    f = lead_features(_lead(org="某某基金", amount=1e9, amount_cny=1e9, currency="CNY", region_code="340800"), 2)
    assert set(f) == set(FEATURES)
    assert (f["org"], f["project"], f["fund"], f["amount"], f["place"], f["shared"]) == (1.0, 0.0, 1.0, 1.0, 1.0, 0.5)


def test_fit_learns_which_features_make_leads_right() -> None:
    rng = random.Random(7)
    rows = []
    for _ in range(400):
        amount = rng.random() < 0.5
        rows.append(({"amount": float(amount)}, rng.random() < (0.9 if amount else 0.4)))
    model = fit(rows)
    assert model.weights["amount"] > 1.0
    assert model.probability({"amount": 1.0}) == pytest.approx(0.9, abs=0.06)
    assert model.probability({"amount": 0.0}) == pytest.approx(0.4, abs=0.08)
    with pytest.raises(ValueError):
        fit([({"amount": 1.0}, True)])


def test_model_file_round_trip_and_bad_files(tmp_path: Path) -> None:
    model = ConfidenceModel({"org": 1.0}, -0.5, {"fitted_on": "dev+synth"})
    path = tmp_path / "confidence.json"
    path.write_text(model.to_json(), encoding="utf-8")
    loaded = load_confidence_model(path)
    assert loaded.probability({"org": 1.0}) == pytest.approx(model.probability({"org": 1.0}))
    path.write_text(json.dumps({"bias": 0, "weights": {"shoe_size": 1}}), encoding="utf-8")
    with pytest.raises(ConfigError, match="shoe_size"):
        load_confidence_model(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="confidence.json"):
        load_confidence_model(path)


def test_shipped_model_was_fitted_without_the_held_out_split() -> None:
    model = load_confidence_model()
    assert model.meta["fitted_on"] == "dev+synth" and int(str(model.meta["leads"])) > 100
    full = _lead(org="某某有限公司", project="某某项目", region_code="340800", amount=1e9, amount_cny=1e9, currency="CNY")
    bare = _lead(org="某某有限公司")
    assert 0 < model.probability(lead_features(bare, 0)) < model.probability(lead_features(full, 0)) < 1


def test_extractor_scores_leads_with_its_model(segmenter: Segmenter) -> None:
    extractor = LeadExtractor(segmenter=segmenter, confidence=ConfidenceModel({"amount": 4.0}, -2.0))
    leads = extractor.extract("3月1日,甲乙新材料有限公司的碳纤维项目在全椒县签约,总投资12亿元。同日,丙丁科技有限公司的传感器项目签约。").leads
    assert [lead.confidence for lead in leads] == [0.881, 0.119]
