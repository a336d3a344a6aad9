"""Confidence: the probability that a mined lead is a real lead, from what its evidence carries (a fitted logistic model).

The weights live in ``nlp/resources/confidence.json``; ``python -m evaluation.calibrate`` fits them on the tuning
passages (the gold set's dev split and our synthetic passages, never the held-out split) and writes that file.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.errors import ConfigError
from core.schemas import Lead

MODEL_PATH = Path(__file__).resolve().parent / "resources" / "confidence.json"
FEATURES = (
    "org",  # an investor is named
    "project",  # a project is named
    "both",  # investor and project
    "place",  # an administrative division was found
    "amount",  # an investment amount
    "stage",  # a stage word other than 其他
    "fund",  # the investor is a fund
    "shared",  # other leads come from the same sentence (an enumeration)
    "aggregate",  # the sentence also carries counts or totals
    "long_name",  # the project name is long (descriptions masquerade as names)
)
_AGGREGATE = re.compile(r"\d+\s*[个项家批]|累计|合计|共计|总计|同比|占比")


def lead_features(lead: Lead, shared: int) -> dict[str, float]:
    """Feature values of one lead; ``shared`` is how many other leads share its evidence sentence."""
    return {
        "org": float(bool(lead.org)),
        "project": float(bool(lead.project)),
        "both": float(bool(lead.org and lead.project)),
        "place": float(bool(lead.region_code)),
        "amount": float(lead.amount is not None),
        "stage": float(lead.stage != "其他"),
        "fund": float(bool(lead.org and lead.org.endswith("基金"))),
        "shared": float(min(shared, 4)) / 4,
        "aggregate": float(bool(_AGGREGATE.search(lead.evidence or ""))),
        "long_name": float(len(lead.project or "") > 20),
    }


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic model: ``p = 1 / (1 + exp(-(bias + Σ weight·feature)))``."""

    weights: Mapping[str, float]
    bias: float
    meta: Mapping[str, object] = field(default_factory=dict)

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def score(self, leads: Sequence[Lead]) -> list[Lead]:
        """The leads with ``confidence`` set to the model's probability (rounded to 3 places)."""
        counts: dict[str, int] = {}
        for lead in leads:
            counts[lead.evidence] = counts.get(lead.evidence, 0) + 1
        return [
            lead.model_copy(
                update={"confidence": round(self.probability(lead_features(lead, counts[lead.evidence] - 1)), 3)}
            )
            for lead in leads
        ]

    def to_json(self) -> str:
        return json.dumps({"bias": self.bias, "weights": dict(self.weights), "meta": dict(self.meta)},
                          ensure_ascii=False, indent=2) + "\n"


@lru_cache(maxsize=1)
def default_confidence_model() -> ConfidenceModel:
    """The shipped model, read once per process."""
    return load_confidence_model(MODEL_PATH)


def load_confidence_model(path: Path = MODEL_PATH) -> ConfidenceModel:
    """The fitted model; a missing or malformed file is a ConfigError naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        bias = float(data["bias"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"confidence model {path} cannot be read: {exc}") from exc
    unknown = set(weights) - set(FEATURES)
    if unknown:
        raise ConfigError(f"confidence model {path} has unknown features: {', '.join(sorted(unknown))}")
    return ConfidenceModel(weights, bias, data.get("meta") or {})


def fit(rows: Sequence[tuple[Mapping[str, float], bool]], *, l2: float = 1.0, steps: int = 200) -> ConfidenceModel:
    """Fit the logistic model by Newton's method with an L2 penalty (``l2``) on the weights, not the bias."""
    import numpy as np

    if not rows or len({label for _, label in rows}) < 2:
        raise ValueError("fitting needs both correct and wrong leads")
    x = np.array([[1.0, *(f.get(name, 0.0) for name in FEATURES)] for f, _ in rows])
    y = np.array([1.0 if label else 0.0 for _, label in rows])
    w = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty @ w
        hess = (x * (p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return ConfidenceModel({name: round(float(v), 4) for name, v in zip(FEATURES, w[1:], strict=True)},
                           round(float(w[0]), 4))
