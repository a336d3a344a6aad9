"""Evaluation of lead extraction: score predicted leads against the gold standard (P/R/F1, field accuracy, FP rate).

Gold: ``evaluation/gold/leads.jsonl`` (one record per passage, rules in ``GUIDE_leads.md``). Predictions: one JSON
line per passage in the extract contract's shape ``{"id": "N001", "leads": [{"org": ..., "project": ...,
"location": ..., "region_code": ..., "amount_cny": ..., "currency": ..., "industry": ..., "stage": ...}, ...]}``;
extra keys (evidence, confidence, event_date ...) are allowed and ignored.

    python -m evaluation.leads_eval --predictions PRED.jsonl [--split heldout|dev|all] [--json OUT.json]
    python -m evaluation.leads_eval --write-inputs IN.jsonl [--split ...]   # extract-contract inputs for the split
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.errors import InputError, ZhaoshangError
from evaluation.leads_data import (  # noqa: F401  (re-exported: the scorer's public API)
    GOLD_PATH,
    HELDOUT_DIGITS,
    HELDOUT_SYNTHETIC_PATHS,
    SHARED_DIR,
    SPLITS,
    SYNTHETIC_PATHS,
    GoldRecord,
    _check_lead,
    load_gold,
    load_passages,
    load_predictions,
    load_synthetic,
    load_synthetic_heldout,
    parse_predictions,
)

NAME_THRESHOLD = 0.6  # minimum org/project similarity (2*LCS/(|a|+|b|)) for a predicted lead to match a gold one
TIE_BONUS = 0.1  # tie-breakers when ranking candidate pairs: +0.1 same place, +0.1 same amount, +0.1*project similarity
AMOUNT_TOLERANCE = 0.01  # amount_cny counts as equal within 1 %
FIELDS = ("org", "project", "location", "region_code", "amount_cny", "currency", "industry", "stage")

_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")
_DROP = re.compile(r"[\s\"'“”‘’「」『』《》()（）\[\]【】·•・,，、.。:：;；\-—–_/]+")
_PLACE_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|地区|省|市|县|区|旗|盟|州)$")


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def normalize_name(value: str | None) -> str:
    """Compare form of a name: NFKC, Traditional→Simplified, pinyin glosses and punctuation removed, no trailing 项目."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", value)
    text = _PINYIN.sub("", text)
    text = _t2s().convert(text)
    text = _DROP.sub("", text).lower()
    return text[:-2] if text.endswith("项目") and len(text) > 2 else text


def normalize_place(value: str | None) -> str:
    """Compare form of a place: :func:`normalize_name` without the administrative suffix (孟津县 = 孟津区 = 孟津)."""
    text = normalize_name(value)
    stripped = _PLACE_SUFFIX.sub("", text)
    return stripped if len(stripped) >= 2 else text


def _lcs(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _similarity(x: str | None, y: str | None) -> float:
    a, b = normalize_name(x), normalize_name(y)
    return 2 * _lcs(a, b) / (len(a) + len(b)) if a and b else 0.0


def name_similarity(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> float:
    """Best 2*LCS/(|a|+|b|) over the gold {org, project} × predicted {org, project} names (normalised)."""
    return max(
        (
            _similarity(g, p)
            for g in (gold.get("org"), gold.get("project"))
            for p in (pred.get("org"), pred.get("project"))
        ),
        default=0.0,
    )


def _amount_equal(gold: Any, pred: Any) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return abs(float(pred) - float(gold)) <= AMOUNT_TOLERANCE * abs(float(gold))


def _place_equal(gold: Any, pred: Any) -> bool:
    a, b = normalize_place(gold), normalize_place(pred)
    if not a or not b:
        return a == b
    return a == b or a.startswith(b) or b.startswith(a)


def field_correct(name: str, gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """Whether a matched prediction gets one field right (rules in GUIDE_leads.md, "Scoring")."""
    g, p = gold.get(name), pred.get(name)
    if name in ("org", "project"):
        return normalize_name(g) == normalize_name(p)
    if name == "location":
        return _place_equal(g, p)
    if name == "amount_cny":
        return _amount_equal(g, p)
    return _clean(g) == _clean(p)


def _clean(value: Any) -> Any:
    return (value.strip() or None) if isinstance(value, str) else value


def _any_amount(lead: Mapping[str, Any]) -> Any:
    return lead.get("amount") if lead.get("amount") is not None else lead.get("amount_cny")


@dataclass
class PassageResult:
    doc_id: str
    gold: int
    predicted: int
    matched: int


@dataclass
class Report:
    """Scores of one prediction set on one split; ``to_markdown()`` for EVALUATION.md, ``to_dict()`` for JSON."""

    split: str
    passages: int = 0
    gold_leads: int = 0
    predicted_leads: int = 0
    matched: int = 0
    field_correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    negative_passages: int = 0
    negative_passages_flagged: int = 0
    missing_ids: list[str] = field(default_factory=list)
    unknown_ids: list[str] = field(default_factory=list)
    per_passage: list[PassageResult] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted_leads if self.predicted_leads else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold_leads if self.gold_leads else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def false_positive_rate(self) -> float:
        """Share of gold-negative passages (no gold lead) on which at least one lead was predicted."""
        return self.negative_passages_flagged / self.negative_passages if self.negative_passages else 0.0

    def field_accuracy(self, name: str) -> float:
        return self.field_correct[name] / self.matched if self.matched else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "passages": self.passages,
            "gold_leads": self.gold_leads,
            "predicted_leads": self.predicted_leads,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "field_accuracy": {n: round(self.field_accuracy(n), 4) for n in FIELDS},
            "field_correct": dict(self.field_correct),
            "negative_passages": self.negative_passages,
            "negative_passages_flagged": self.negative_passages_flagged,
            "false_positive_rate": round(self.false_positive_rate, 4),
            "missing_ids": list(self.missing_ids),
            "unknown_ids": list(self.unknown_ids),
            "per_passage": [vars(p) for p in self.per_passage],
        }

    def to_markdown(self) -> str:
        lines = [
            f"Lead extraction, split `{self.split}` ({self.passages} passages; match: org/project similarity "
            f"≥ {NAME_THRESHOLD}, greedy one-to-one)",
            "",
            "| gold leads | predicted | matched | precision | recall | F1 | FP rate on negative passages |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {self.gold_leads} | {self.predicted_leads} | {self.matched} | {self.precision:.3f} | "
            f"{self.recall:.3f} | {self.f1:.3f} | {self.false_positive_rate:.3f} "
            f"({self.negative_passages_flagged}/{self.negative_passages}) |",
            "",
            "| field (on matched pairs) | correct | accuracy |",
            "| --- | ---: | ---: |",
        ]
        lines += [f"| {n} | {self.field_correct[n]}/{self.matched} | {self.field_accuracy(n):.3f} |" for n in FIELDS]
        if self.missing_ids:
            lines += ["", f"{len(self.missing_ids)} passage(s) had no prediction line and count as no leads."]
        return "\n".join(lines) + "\n"


def match_leads(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching: best (similarity + tie-breakers) pair first, among pairs above NAME_THRESHOLD."""
    candidates: list[tuple[float, int, int]] = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            sim = name_similarity(g, p)
            if sim < NAME_THRESHOLD:
                continue
            bonus = TIE_BONUS * (
                _place_equal(g.get("location"), p.get("location"))
                or (g.get("region_code") is not None and g.get("region_code") == p.get("region_code"))
            )
            if _any_amount(g) is not None:
                bonus += TIE_BONUS * _amount_equal(_any_amount(g), _any_amount(p))
            bonus += TIE_BONUS * _similarity(g.get("project"), p.get("project"))
            candidates.append((sim + bonus, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def score(gold_records: Sequence[GoldRecord], predictions: Mapping[str, Sequence[Any]], split: str = "all") -> Report:
    """Score predictions (doc_id → leads as dicts or pydantic models) on the gold passages of ``split``."""
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    report = Report(split=split)
    known = {r.doc_id for r in gold_records}
    report.unknown_ids = sorted(set(predictions) - known)
    for record in gold_records:
        if split != "all" and record.split != split:
            continue
        if record.doc_id not in predictions:
            report.missing_ids.append(record.doc_id)
        pred = [
            _check_lead(p.model_dump() if hasattr(p, "model_dump") else p, f"prediction {record.doc_id}")
            for p in predictions.get(record.doc_id, [])
        ]
        pairs = match_leads(record.leads, pred)
        report.passages += 1
        report.gold_leads += len(record.leads)
        report.predicted_leads += len(pred)
        report.matched += len(pairs)
        for i, j in pairs:
            for name in FIELDS:
                report.field_correct[name] += field_correct(name, record.leads[i], pred[j])
        if not record.leads:
            report.negative_passages += 1
            report.negative_passages_flagged += bool(pred)
        report.per_passage.append(PassageResult(record.doc_id, len(record.leads), len(pred), len(pairs)))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evaluation.leads_eval", description="Score predicted leads against the gold standard."
    )
    parser.add_argument("--predictions", type=Path, help="extract-contract output, one JSON object per line")
    parser.add_argument("--split", choices=SPLITS, default="all")
    parser.add_argument("--gold", type=Path, default=GOLD_PATH)
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown", help="what to print")
    parser.add_argument("--write-inputs", type=Path, help="write extract inputs for the split and exit")
    parser.add_argument("--shared", type=Path, default=SHARED_DIR, help="the ../shared directory")
    args = parser.parse_args(argv)
    try:
        gold = load_gold(args.gold)
        if args.write_inputs:
            passages = load_passages(args.shared)
            ids = [r.doc_id for r in gold if args.split == "all" or r.split == args.split]
            missing = [i for i in ids if i not in passages]
            if missing:
                raise InputError(f"gold passages not found under {args.shared}: {', '.join(missing[:5])}")
            args.write_inputs.write_text(
                "".join(json.dumps(passages[i], ensure_ascii=False) + "\n" for i in ids), encoding="utf-8"
            )
            return 0
        if args.predictions is None:
            raise InputError("--predictions is required (or --write-inputs)")
        report = score(gold, load_predictions(args.predictions), args.split)
        if args.json:
            args.json.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    except ZhaoshangError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.to_markdown(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
