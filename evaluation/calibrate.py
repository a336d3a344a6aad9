"""Calibration: fit the lead-confidence model on the tuning passages and measure how well it is calibrated.

    python -m evaluation.calibrate            # fit on dev + synthetic passages, write nlp/resources/confidence.json

A predicted lead counts as correct when it matches a gold lead (the scorer's matching). The held-out split is never
used for fitting; ``reliability`` reports expected calibration error (ECE) and Brier score on any split.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluation import leads_eval
from evaluation.leads_data import GoldRecord

FIT_SPLITS = ("dev", "synth")
BINS = 5


def labelled(gold: Sequence[GoldRecord], predictions: Mapping[str, Sequence[Mapping[str, Any]]],
             splits: Sequence[str]) -> list[tuple[Mapping[str, Any], bool]]:
    """Every predicted lead of the passages in ``splits`` with whether it matched a gold lead."""
    rows: list[tuple[Mapping[str, Any], bool]] = []
    for record in gold:
        if record.split not in splits:
            continue
        pred = list(predictions.get(record.doc_id, []))
        matched = {j for _, j in leads_eval.match_leads(record.leads, pred)}
        rows.extend((lead, j in matched) for j, lead in enumerate(pred))
    return rows


@dataclass
class Reliability:
    """Calibration of confidences against outcomes: ECE over equal-width bins, Brier score, the bins themselves."""

    n: int
    ece: float
    brier: float
    bins: list[tuple[float, float, int, float, float]]  # (low, high, count, mean confidence, share correct)

    def to_markdown(self, label: str) -> str:
        lines = [f"{label}: {self.n} predicted leads, ECE {self.ece:.3f}, Brier score {self.brier:.3f}", "",
                 "| confidence | leads | mean confidence | share correct |", "| --- | ---: | ---: | ---: |"]
        lines += [f"| {lo:.1f}–{hi:.1f} | {count} | {conf:.3f} | {acc:.3f} |" for lo, hi, count, conf, acc in self.bins
                  if count]
        return "\n".join(lines) + "\n"


def reliability(rows: Sequence[tuple[float, bool]], bins: int = BINS) -> Reliability:
    """ECE = Σ (bin share) · |mean confidence − share correct| over ``bins`` equal-width confidence bins."""
    out: list[tuple[float, float, int, float, float]] = []
    ece = 0.0
    n = len(rows)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in rows if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            conf = sum(c for c, _ in inside) / len(inside)
            acc = sum(ok for _, ok in inside) / len(inside)
            ece += len(inside) / n * abs(conf - acc)
            out.append((lo, hi, len(inside), conf, acc))
        else:
            out.append((lo, hi, 0, 0.0, 0.0))
    brier = sum((c - ok) ** 2 for c, ok in rows) / n if n else 0.0
    return Reliability(n, ece, brier, out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=Path(__file__).resolve().parents[1] / "var")
    parser.add_argument("--output", type=Path, default=None, help="where to write the model (default: the product's)")
    args = parser.parse_args(argv)
    from core.config import Settings
    from jobs import load_components
    from nlp.confidence import MODEL_PATH, fit, lead_features
    from nlp.leads import LeadExtractor

    components = load_components(Settings(home=args.home, embedder="static"))
    extractor: LeadExtractor = components.extractor
    gold = leads_eval.load_gold() + leads_eval.load_synthetic()
    passages = leads_eval.load_passages()
    predictions: dict[str, list[Any]] = {}
    for record in gold:
        if record.split in FIT_SPLITS:
            text, date = passages[record.doc_id]["text"], passages[record.doc_id]["publish_date"]
            predictions[record.doc_id] = extractor.extract(text, dt.date.fromisoformat(date) if date else None).leads
    rows = []
    for record in gold:
        leads = predictions.get(record.doc_id, [])
        counts = {lead.evidence: sum(1 for x in leads if x.evidence == lead.evidence) for lead in leads}
        matched = {j for _, j in leads_eval.match_leads(record.leads, [x.model_dump() for x in leads])}
        rows += [(lead_features(lead, counts[lead.evidence] - 1), j in matched) for j, lead in enumerate(leads)]
    model = fit(rows)
    meta = {"fitted_on": "+".join(FIT_SPLITS), "leads": len(rows), "correct": sum(ok for _, ok in rows),
            "date": dt.date.today().isoformat(), "command": "python -m evaluation.calibrate"}
    model = type(model)(model.weights, model.bias, meta)
    target = args.output or MODEL_PATH
    target.write_text(model.to_json(), encoding="utf-8")
    fitted = reliability([(model.probability(f), ok) for f, ok in rows])
    print(f"wrote {target}: {len(rows)} leads ({meta['correct']} correct); on the fitting data ECE {fitted.ece:.3f}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
