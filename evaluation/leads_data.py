"""Gold data for lead evaluation: the annotated corpus passages, our own synthetic tuning passages, predictions.

Corpus passages (``gold/leads.jsonl``) point into ``../shared`` by offsets and never copy its text; the synthetic
passages (``gold/synthetic_leads_*.jsonl``, split ``synth``) were written by us for tuning and carry their text; the
synthetic held-out passages (``gold/heldout_synthetic_leads_*.jsonl``, split ``synth_heldout``) were written the same
way by writers who never saw the extractor, and are scored but never tuned on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import InputError

GOLD_DIR = Path(__file__).resolve().parent / "gold"
GOLD_PATH = GOLD_DIR / "leads.jsonl"
SYNTHETIC_PATHS = tuple(sorted(GOLD_DIR.glob("synthetic_leads_*.jsonl")))
HELDOUT_SYNTHETIC_PATHS = tuple(sorted(GOLD_DIR.glob("heldout_synthetic_leads_*.jsonl")))
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
RECORD_SPLITS = ("dev", "heldout", "synth", "synth_heldout")
SPLITS = (*RECORD_SPLITS, "all")
HELDOUT_DIGITS = "012345"  # heldout = sha1(doc_id) hex digest ends in one of these
_STR_FIELDS = ("org", "project", "location", "region_code", "currency", "industry", "stage")
_NUM_FIELDS = ("amount_cny", "amount")


@dataclass(frozen=True)
class GoldRecord:
    """One annotated passage: its leads (dicts in the gold field set) and the statements judged not to be leads."""

    doc_id: str
    split: str
    publish_date: str | None
    leads: tuple[dict[str, Any], ...]
    negatives: tuple[str, ...] = ()
    notes: str = ""
    text: str | None = None  # synthetic passages carry their own text (written by us)


def _check_lead(lead: Any, where: str) -> dict[str, Any]:
    if not isinstance(lead, Mapping):
        raise InputError(f"{where}: a lead must be a JSON object, got {type(lead).__name__}")
    for name in _STR_FIELDS:
        if lead.get(name) is not None and not isinstance(lead[name], str):
            raise InputError(f"{where}: {name!r} must be a string or null")
    for name in _NUM_FIELDS:
        value = lead.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InputError(f"{where}: {name!r} must be a number or null")
    return dict(lead)


def _read_jsonl(path: Path) -> Iterable[tuple[int, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc


def load_gold(path: Path = GOLD_PATH) -> list[GoldRecord]:
    """Read the gold file; any malformed record raises InputError naming its line."""
    records: list[GoldRecord] = []
    for number, obj in _read_jsonl(path):
        where = f"{path}:{number}"
        if not isinstance(obj, dict) or not isinstance(obj.get("doc_id"), str) or obj.get("split") not in RECORD_SPLITS:
            raise InputError(f"{where}: gold record needs a string doc_id and split {'|'.join(RECORD_SPLITS)}")
        if not isinstance(obj.get("leads"), list) or not isinstance(obj.get("negatives", []), list):
            raise InputError(f"{where}: leads and negatives must be lists")
        leads = tuple(_check_lead(lead, where) for lead in obj["leads"])
        records.append(
            GoldRecord(
                obj["doc_id"],
                obj["split"],
                obj.get("publish_date"),
                leads,
                tuple(obj.get("negatives", [])),
                obj.get("notes") or "",
                obj.get("text") if isinstance(obj.get("text"), str) else None,
            )
        )
    if not records:
        raise InputError(f"{path}: no gold records")
    return records


def parse_predictions(lines: Iterable[tuple[int, Any]], source: str = "predictions") -> dict[str, list[dict[str, Any]]]:
    """Check extract-contract output objects ({"id", "leads"}); duplicate ids and wrong types raise InputError."""
    out: dict[str, list[dict[str, Any]]] = {}
    for number, obj in lines:
        where = f"{source}:{number}"
        if not isinstance(obj, dict) or "id" not in obj or "leads" not in obj:
            raise InputError(f"{where}: expected an object with 'id' and 'leads'")
        doc_id = obj["id"]
        if isinstance(doc_id, int) and not isinstance(doc_id, bool):
            doc_id = str(doc_id)
        if not isinstance(doc_id, str) or not doc_id:
            raise InputError(f"{where}: 'id' must be a non-empty string")
        if not isinstance(obj["leads"], list):
            raise InputError(f"{where}: 'leads' must be a list")
        if doc_id in out:
            raise InputError(f"{where}: duplicate id {doc_id!r}")
        out[doc_id] = [_check_lead(lead, where) for lead in obj["leads"]]
    return out


def load_predictions(path: Path) -> dict[str, list[dict[str, Any]]]:
    return parse_predictions(_read_jsonl(path), str(path))


def load_synthetic(paths: Iterable[Path] = SYNTHETIC_PATHS, split: str = "synth") -> list[GoldRecord]:
    """The synthetic tuning passages (split ``synth``); each must carry its text and valid evidence offsets."""
    records: list[GoldRecord] = []
    for path in paths:
        for record in load_gold(path):
            if record.split != split or record.text is None:
                raise InputError(f"{path}: {record.doc_id}: synthetic records need split {split!r} and a text")
            for lead in record.leads:
                start, end = lead.get("evidence_start"), lead.get("evidence_end")
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(record.text)):
                    raise InputError(f"{path}: {record.doc_id}: evidence offsets out of range")
            records.append(record)
    return records


def load_synthetic_heldout(paths: Iterable[Path] = HELDOUT_SYNTHETIC_PATHS) -> list[GoldRecord]:
    """The synthetic held-out passages (split ``synth_heldout``): scored by ``make eval``, never tuned on."""
    return load_synthetic(paths, split="synth_heldout")


def load_passages(shared_dir: Path = SHARED_DIR) -> dict[str, dict[str, Any]]:
    """The annotated texts: news.jsonl passages by id and seeds as ``seed:NNN`` (read from ../shared, never copied), plus the synthetic ones."""
    passages: dict[str, dict[str, Any]] = {}
    news = shared_dir / "corpus" / "news.jsonl"
    for _, obj in _read_jsonl(news):
        passages[obj["id"]] = {"id": obj["id"], "text": obj["text"], "publish_date": obj.get("publish_date")}
    for path in sorted((shared_dir / "seeds").glob("*.txt")):
        doc_id = f"seed:{path.name[:3]}"
        passages[doc_id] = {"id": doc_id, "text": path.read_text(encoding="utf-8"), "publish_date": None}
    for record in load_synthetic() + load_synthetic_heldout():
        passages[record.doc_id] = {"id": record.doc_id, "text": record.text, "publish_date": record.publish_date}
    return passages
