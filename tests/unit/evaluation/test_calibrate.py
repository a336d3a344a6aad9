"""Calibration report: labelling predictions by the scorer's matching, ECE and Brier score."""

from __future__ import annotations

import pytest

from evaluation.calibrate import labelled, reliability
from evaluation.leads_data import GoldRecord


def test_perfectly_calibrated_confidences_have_zero_ece() -> None:
    rows = [(0.9, True)] * 9 + [(0.9, False)] + [(0.3, True)] * 3 + [(0.3, False)] * 7
    rel = reliability(rows)
    assert rel.ece == pytest.approx(0.0) and rel.n == 20
    assert rel.brier == pytest.approx((9 * 0.01 + 0.81 + 3 * 0.49 + 7 * 0.09) / 20)
    assert "| 0.8–1.0 | 10 | 0.900 | 0.900 |" in rel.to_markdown("x")


def test_overconfidence_shows_in_ece() -> None:
    rel = reliability([(0.95, True), (0.95, False)] * 10)
    assert rel.ece == pytest.approx(0.45)


def test_labelled_marks_matched_predictions_only_on_the_asked_splits() -> None:
    gold = [GoldRecord("D1", "dev", None, ({"org": "甲乙丙有限公司", "project": None},)),
            GoldRecord("H1", "heldout", None, ({"org": "丁戊己有限公司", "project": None},))]
    pred = {"D1": [{"org": "甲乙丙有限公司", "confidence": 0.8}, {"org": "无关名字", "confidence": 0.4}],
            "H1": [{"org": "丁戊己有限公司", "confidence": 0.9}]}
    rows = labelled(gold, pred, ("dev",))
    assert [(lead["confidence"], ok) for lead, ok in rows] == [(0.8, True), (0.4, False)]
