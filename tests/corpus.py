"""Test data from ../shared/corpus, read in place: JSONL records, and documents, policies and leads built from them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from core.schemas import Clause, Document, Lead, Policy
from core.store import Store
from nlp.regions import RegionIndex


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every non-blank line of a JSONL file as a dict."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def policy_from_record(rec: dict[str, Any], regions: RegionIndex) -> Policy:
    """A corpus policy with one clause per paragraph, its region the most specific known name of ``region_path``."""
    code = None
    for name in reversed(rec.get("region_path") or []):
        region = regions.lookup(name)
        if region is not None:
            code = region.code
            break
    paragraphs = [p.strip() for p in rec["text"].split("\n") if p.strip()]
    clauses = [Clause(policy_id=rec["id"], seq=i, text=p) for i, p in enumerate(paragraphs)]
    return Policy(id=rec["id"], title=rec["title"], issuer_region=rec["issuer_region"], text=rec["text"],
                  publish_date=rec.get("publish_date"), source_url=rec.get("source_url"),
                  region_code=code, clauses=clauses)


def document_from_record(rec: dict[str, Any]) -> Document:
    """A corpus passage as a stored news document (its URL made unique by the passage id)."""
    text = rec["text"]
    title = text.split("。", 1)[0][:60]
    return Document(url=rec["source_url"] + "#" + rec["id"], canonical_url=rec["source_url"], title=title,
                    publish_date=rec.get("publish_date"), source="corpus", text=text,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(), fetched_at=dt.datetime(2026, 1, 1))


def seed_first_passages(store: Store, shared_dir: Path, n: int = 2) -> list[int]:
    """The first ``n`` news passages as documents with one hand-made 签约 lead each (evidence = its first sentence)."""
    ids: list[int] = []
    for rec in read_jsonl(shared_dir / "corpus" / "news.jsonl")[:n]:
        text = rec["text"]
        doc_id, _ = store.save_document(Document(
            url=rec["source_url"], canonical_url=rec["source_url"], title=text[:30], source="corpus",
            text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(), fetched_at=dt.datetime(2026, 1, 1)))
        sentence = text.split("。")[0] + "。"
        ids += store.replace_document_leads(doc_id, [Lead(evidence=sentence, stage="签约", confidence=0.7)])
    return ids
