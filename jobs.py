"""Jobs: the pipeline steps the CLI and the API run — mine leads, sync and index policies, import, search, extract."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from tqdm import tqdm

from core.config import Settings
from core.errors import InputError, ZhaoshangError
from core.schemas import Document, ExtractInput, ExtractOutput, Policy, PolicyInput, PolicyQuery, PolicySearchResult
from core.store import Store

log = logging.getLogger("zhaoshang.jobs")
M = TypeVar("M", bound=BaseModel)
POLICY_INDEX = "policies"


def open_store(settings: Settings) -> Store:
    settings.ensure_dirs()
    return Store.connect(settings.db_url)


# -- JSONL boundaries ------------------------------------------------------
def read_jsonl(path: Path, model: type[M]) -> list[M]:
    """Every line of ``path`` validated as ``model``; one InputError naming each bad line (up to 10)."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a JSONL file")
    items: list[M] = []
    problems: list[str] = []
    try:
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    items.append(model.model_validate_json(line))
                except ValidationError as exc:
                    first = exc.errors()[0]
                    where = ".".join(str(p) for p in first["loc"]) or "line"
                    problems.append(f"line {number}: {where}: {first['msg']}")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise InputError(f"{path}: {len(problems)} bad line(s): " + "; ".join(problems[:10]) + more)
    return items


def write_jsonl_atomic(path: Path, rows: Iterable[BaseModel | dict[str, Any]]) -> int:
    """Write all rows to a temp file beside ``path`` and rename it into place: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for row in rows:
                data = row.model_dump(mode="json") if isinstance(row, BaseModel) else row
                fh.write(json.dumps(data, ensure_ascii=False) + "\n")
                count += 1
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def _progress(items: Iterable[Any], *, total: int | None, desc: str, enabled: bool) -> Iterator[Any]:
    yield from tqdm(items, total=total, desc=desc, unit="doc", disable=not enabled, leave=False)


# -- heavy components (built once per process by the caller) ----------------
@dataclass
class Components:
    """The loaded models: embedder, industry matcher, lead extractor, regions."""

    embedder: Any
    industries: Any
    extractor: Any
    regions: Any


def load_components(settings: Settings, *, progress: bool = True) -> Components:
    """Build the heavy parts once: embedder, industry matcher, regions and the lead extractor.

    The extractor's industry classifier is :class:`nlp.industry.LeadIndustryClassifier`: keyword hits on the
    project and investor names first, then the project's own stretch of the clause; the embedding matcher only
    for leads without a project name whose clause has no keyword (measured best on the gold dev split; the
    embedding matcher alone scored far lower).
    """
    from models.embedder import load_embedder
    from models.industries import IndustryMatcher
    from nlp.regions import default_regions

    embedder = load_embedder(settings)
    industries = IndustryMatcher(embedder, settings.taxonomy)
    regions = default_regions()
    extractor = make_extractor(settings, industries, regions)
    return Components(embedder=embedder, industries=industries, extractor=extractor, regions=regions)


def make_extractor(settings: Settings, industries: Any, regions: Any) -> Any:
    """The lead extractor wired as the CLI and the API both use it (see load_components for the classifier)."""
    from nlp.industry import LeadIndustryClassifier
    from nlp.leads import LeadExtractor

    classifier = None
    if settings.taxonomy == "anhui_ten_emerging" and industries is not None:  # keyword rules speak Anhui's labels

        def semantic(text: str) -> dict[str, float]:
            return {s.name: s.score for s in industries.classify(text)}

        classifier = LeadIndustryClassifier(semantic=semantic)
    elif industries is not None:
        classifier = industries.best
    return LeadExtractor(regions=regions, classify_industry=classifier)


# -- mine ------------------------------------------------------------------
@dataclass
class MineStats:
    documents: int = 0
    leads: int = 0  # leads found in the documents (new + linked)
    linked: int = 0  # of those, folded into a lead already known from another document
    failed: dict[int, str] = field(default_factory=dict)


def mine(store: Store, extractor: Any, *, everything: bool = False, progress: bool = True,
         resolver: Any = None) -> MineStats:
    """Extract leads from news documents not mined yet (or all); one bad document never stops the batch.

    Documents are mined in publish order and each lead is resolved against the stored ones
    (:class:`nlp.resolve.LeadResolver`): the same project in a later document adds a stage step to the
    existing lead instead of a duplicate.
    """
    from nlp.resolve import LeadResolver, fingerprint

    resolver = resolver or LeadResolver()
    stats = MineStats()
    docs: list[Document] = []
    offset = 0
    while True:
        page = store.list_documents(kind="news", unmined=not everything, limit=500, offset=offset)
        docs += page
        if len(page) < 500:
            break
        offset += 500
    docs.sort(key=lambda d: (d.publish_date or dt.date.min, d.id or 0))
    for doc in _progress(docs, total=len(docs), desc="mining", enabled=progress):
        assert doc.id is not None
        try:
            text = "\n".join([doc.text, *(a.text for a in doc.attachments if a.text)])
            result = extractor.extract(text, doc.publish_date)
            stored = store.resolve_document_leads(
                doc.id, result.leads, event_dates=result.event_dates,
                fingerprints=[fingerprint(lead) for lead in result.leads], match=resolver.match,
            )
        except ZhaoshangError as exc:
            stats.failed[doc.id] = str(exc)
            log.warning("document %s not mined: %s", doc.id, exc)
            continue
        except Exception as exc:  # an extractor bug on one hostile document must not stop the batch
            stats.failed[doc.id] = f"{exc.__class__.__name__}: {exc}"
            log.exception("document %s not mined", doc.id)
            continue
        stats.documents += 1
        stats.leads += len(stored)
        stats.linked += sum(not created for _, created in stored)
    return stats


# -- policies ----------------------------------------------------------------
def policy_from_document(doc: Document) -> PolicyInput:
    """A crawled policy document as an import line; its id is stable across recrawls."""
    assert doc.id is not None
    text = "\n".join([doc.text, *(a.text for a in doc.attachments if a.text)])
    return PolicyInput(id=f"doc-{doc.id}", title=doc.title, issuer_region=doc.issuer or doc.source,
                       publish_date=doc.publish_date, text=text, source_url=doc.url)


def sync_policy_documents(store: Store, regions: Any) -> list[str]:
    """Parse crawled policy documents into policies with clauses. Returns the ids (re)parsed."""
    from models.policies import parse_policy

    sources = {s["name"]: s for s in store.list_sources()}
    parsed: list[Policy] = []
    for doc in store.list_documents(kind="policy", limit=100_000):
        item = policy_from_document(doc)
        region = sources.get(doc.source, {}).get("region")
        if region and not doc.issuer:
            item = item.model_copy(update={"issuer_region": region})
        try:
            parsed.append(parse_policy(item, regions))
        except ZhaoshangError as exc:
            log.warning("policy document %s skipped: %s", doc.id, exc)
    if parsed:
        store.upsert_policies(parsed)
    return [p.id for p in parsed]


def import_policies(store: Store, path: Path, regions: Any) -> tuple[int, int, list[str]]:
    """Validate every line, parse every policy, then upsert all in one transaction.

    Returns (created, updated, the ids in the file)."""
    from models.policies import parse_policy

    items = read_jsonl(path, PolicyInput)
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        if item.id in seen:
            raise InputError(f"{path}: policy id {item.id!r} appears twice (second time in record {number})")
        seen.add(item.id)
    parsed: list[Policy] = []
    for item in items:
        try:
            parsed.append(parse_policy(item, regions))
        except ZhaoshangError as exc:
            raise InputError(f"{path}: policy {item.id!r}: {exc}") from exc
    created, updated = store.upsert_policies(parsed)
    return created, updated, [p.id for p in parsed]


def policy_index_dir(settings: Settings) -> Path:
    return settings.index_dir / POLICY_INDEX


def build_policy_index(settings: Settings, store: Store, embedder: Any, regions: Any) -> Any:
    """Build the hybrid clause index over every stored policy and save it atomically."""
    from models.matcher import PolicySearch

    search = PolicySearch.build(store.list_policies(), embedder, regions)
    search.save(policy_index_dir(settings))
    return search


def update_policy_index(settings: Settings, store: Store, embedder: Any, regions: Any, policy_ids: list[str]) -> Any:
    """Add or replace just these policies in the saved index (built from scratch when there is none or it
    was built with another model), then save it atomically; a running API picks the new files up."""
    from core.errors import ModelError
    from models.matcher import PolicySearch

    directory = policy_index_dir(settings)
    try:
        search = PolicySearch.load(directory, embedder, regions)
    except ModelError as exc:
        log.info("rebuilding the policy index: %s", exc)
        return build_policy_index(settings, store, embedder, regions)
    if policy_ids:
        wanted = set(policy_ids)
        search.upsert([p for p in store.list_policies() if p.id in wanted])
        search.save(directory)
    return search


def load_policy_index(settings: Settings, embedder: Any, regions: Any) -> Any:
    from models.matcher import PolicySearch

    return PolicySearch.load(policy_index_dir(settings), embedder, regions)


def search_policies(search: Any, queries: list[PolicyQuery], *, top: int) -> list[PolicySearchResult]:
    from core.schemas import PolicyHit

    out: list[PolicySearchResult] = []
    for q in queries:
        matches = search.search(q.query, region=q.region, top=top)
        hits = [PolicyHit(policy_id=m.policy_id, score=float(m.score), title=m.title, matched_clause=m.matched_clause)
                for m in matches]
        out.append(PolicySearchResult(id=q.id, results=hits))
    return out


# -- extract -----------------------------------------------------------------
def extract_file(extractor: Any, input_path: Path, output_path: Path, *, progress: bool = True,
                 on_error: Callable[[str, str], None] | None = None) -> tuple[int, int]:
    """The extract contract: every input line validated first, output written atomically. Returns (docs, leads)."""
    items = read_jsonl(input_path, ExtractInput)
    outputs: list[ExtractOutput] = []
    total = 0
    for item in _progress(items, total=len(items), desc="extracting", enabled=progress):
        try:
            leads = extractor.extract(item.text, item.publish_date).leads
        except Exception as exc:  # one bad document never stops a batch
            if on_error:
                on_error(item.id, f"{exc.__class__.__name__}: {exc}")
            leads = []
        total += len(leads)
        outputs.append(ExtractOutput(id=item.id, leads=leads))
    write_jsonl_atomic(output_path, outputs)
    return len(outputs), total


def today() -> dt.date:
    return dt.date.today()
