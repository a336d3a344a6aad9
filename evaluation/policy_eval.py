"""Evaluation of policy search: score ranked results against graded judgments (nDCG@10, Recall@5, MRR, wrong-region@5).

Gold: ``evaluation/gold/policy_queries.jsonl`` (see ``GUIDE_policies.md``). Results: one JSON line per query in
the search contract's shape ``{"id": "Q01", "results": [{"policy_id": "D008", "score": ..., "title": ...,
"matched_clause": ...}, ...]}``; the list order is the ranking. Policy regions come from ``region_path`` in
``../shared/corpus/policies.jsonl`` and the hierarchy in :mod:`nlp.regions`.

    python -m evaluation.policy_eval --results R.jsonl [--split heldout|dev|all] [--label hybrid]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.errors import InputError, ZhaoshangError
from evaluation.ranking import ndcg_at, recall_at, reciprocal_rank
from nlp.regions import Region, RegionIndex, default_regions

GOLD_PATH = Path(__file__).resolve().parent / "gold" / "policy_queries.jsonl"
POLICIES_PATH = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "policies.jsonl"
SPLITS = ("dev", "heldout")
HELDOUT_DIGITS = "012345"

# Old names in region_path that today's division list spells differently.
RENAMED = {"盘县": "盘州市", "山南地区": "山南市"}
# National policies that apply only inside a listed set of provinces (from the documents' addressees).
NATIONAL_SCOPES: dict[str, tuple[str, ...]] = {
    "D071": tuple(
        "山西省 内蒙古自治区 辽宁省 吉林省 黑龙江省 安徽省 江西省 河南省 湖北省 湖南省 广西壮族自治区 重庆市 "
        "四川省 贵州省 云南省 西藏自治区 陕西省 甘肃省 青海省 宁夏回族自治区 新疆维吾尔自治区".split()
    ),
}
MARKDOWN_HEADER = (
    "| system | split | queries | nDCG@10 | Recall@5 | MRR | wrong-region@5 |\n"
    "| --- | --- | --- | --- | --- | --- | --- |"
)


def split_of(query_id: str) -> str:
    """The deterministic split: heldout when sha1(id)'s last hex digit is 0-5 (about 37%), else dev."""
    return "heldout" if hashlib.sha1(query_id.encode("utf-8")).hexdigest()[-1] in HELDOUT_DIGITS else "dev"


def resolve_region_name(name: str, regions: RegionIndex | None = None) -> Region:
    """A region from a query's name: a plain name or code (安庆市, 合肥高新区) or a compound (大连市中山区)."""
    regions = regions or default_regions()
    text = name.strip()
    try:
        return regions.resolve(text)
    except InputError:
        pass
    for cut in range(2, len(text) - 1):
        head = regions.lookup(text[:cut])
        if head is None:
            continue
        tail = regions.lookup(text[cut:], within=head.code)
        if tail is not None and regions.is_within(tail.code, head.code):
            return tail
    raise InputError(f"unknown region {name!r}")


# -- gold queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldQuery:
    """One judged query. judgments: policy id -> grade 0-3 (omitted ids are 0)."""

    id: str
    query: str
    region: str | None
    region_code: str | None
    split: str
    judgments: dict[str, int]
    notes: str = ""


def _read_jsonl(path: Path) -> list[tuple[int, dict]]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    rows: list[tuple[int, dict]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise InputError(f"{path}:{number}: expected a JSON object")
        rows.append((number, row))
    return rows


def parse_query(row: Mapping[str, object], regions: RegionIndex | None = None, where: str = "") -> GoldQuery:
    """Validate one gold line; InputError names the problem."""
    qid, text, region, split, judgments = (row.get(k) for k in ("id", "query", "region", "split", "judgments"))
    if not isinstance(qid, str) or not re.fullmatch(r"Q\d{2,4}", qid):
        raise InputError(f"{where}bad query id {qid!r}")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}{qid}: empty query")
    if split != split_of(qid):
        raise InputError(f"{where}{qid}: split {split!r} breaks the sha1 rule (expected {split_of(qid)!r})")
    if not isinstance(judgments, dict):
        raise InputError(f"{where}{qid}: judgments must be an object")
    grades: dict[str, int] = {}
    for pid, grade in judgments.items():
        if not re.fullmatch(r"D\d{3}", str(pid)) or not isinstance(grade, int) or not 0 <= grade <= 3:
            raise InputError(f"{where}{qid}: bad judgment {pid!r}: {grade!r}")
        grades[pid] = grade
    if region is not None and not isinstance(region, str):
        raise InputError(f"{where}{qid}: region must be a name or null")
    code = resolve_region_name(region, regions).code if region else None
    notes = row.get("notes") or ""
    return GoldQuery(qid, text, region, code, split, grades, str(notes))


def load_queries(path: Path = GOLD_PATH, regions: RegionIndex | None = None) -> list[GoldQuery]:
    """All gold queries, validated (unique ids, resolvable regions, split rule)."""
    queries: list[GoldQuery] = []
    seen: set[str] = set()
    for number, row in _read_jsonl(path):
        query = parse_query(row, regions, where=f"{path}:{number}: ")
        if query.id in seen:
            raise InputError(f"{path}:{number}: duplicate query id {query.id}")
        seen.add(query.id)
        queries.append(query)
    return queries


# -- policy regions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyRegion:
    """Where a policy applies: its region code, an optional province scope (national policies) and whether
    the region_path ended in an unnamed child of ``code`` (D031: a 无锡 district whose name is not given)."""

    code: str
    scope: frozenset[str] = field(default_factory=frozenset)
    unnamed_child: bool = False


def policy_region(path: Sequence[str], regions: RegionIndex, scope: Iterable[str] = ()) -> PolicyRegion:
    """Resolve a region_path (province → city → district/park) to a PolicyRegion."""
    scope_codes = frozenset(regions.resolve(name).code for name in scope)
    current: Region | None = None
    for index, name in enumerate(path):
        name = RENAMED.get(name, name)
        within = current.code if current else None
        found = regions.lookup(name, within=within)
        if found is None or (current is not None and not regions.is_within(found.code, current.code)):
            if current is not None and index == len(path) - 1 and name.startswith("("):
                return PolicyRegion(current.code, scope_codes, unnamed_child=True)
            raise InputError(f"cannot resolve {name!r} in region_path {list(path)!r}")
        current = found
    if current is None:
        raise InputError("empty region_path")
    return PolicyRegion(current.code, scope_codes)


def load_policy_regions(path: Path = POLICIES_PATH, regions: RegionIndex | None = None) -> dict[str, PolicyRegion]:
    """policy id -> PolicyRegion for every record of policies.jsonl."""
    regions = regions or default_regions()
    out: dict[str, PolicyRegion] = {}
    for number, row in _read_jsonl(path):
        pid, region_path = row.get("id"), row.get("region_path")
        if not isinstance(pid, str) or not isinstance(region_path, list) or not region_path:
            raise InputError(f"{path}:{number}: needs an id and a non-empty region_path")
        out[pid] = policy_region(region_path, regions, NATIONAL_SCOPES.get(pid, ()))
    return out


def applies(policy: PolicyRegion, query_code: str | None, regions: RegionIndex) -> bool:
    """The region rule: same region, an ancestor (up to 全国, within its scope) or a descendant; null applies."""
    if query_code is None:
        return True
    if policy.unnamed_child:
        return regions.is_within(policy.code, query_code)
    if policy.scope and not any(
        regions.is_within(query_code, s) or regions.is_within(s, query_code) for s in policy.scope
    ):
        return False
    return regions.is_within(query_code, policy.code) or regions.is_within(policy.code, query_code)


# -- results -----------------------------------------------------------------------------------------


def parse_results(rows: Iterable[Mapping[str, object]], where: str = "results") -> dict[str, list[str]]:
    """query id -> ranked policy ids from search-contract objects; InputError on any malformed entry."""
    out: dict[str, list[str]] = {}
    for row in rows:
        qid, items = row.get("id"), row.get("results")
        if not isinstance(qid, str) or not qid:
            raise InputError(f"{where}: a line lacks its query id")
        if qid in out:
            raise InputError(f"{where}: query {qid} appears twice")
        if not isinstance(items, list):
            raise InputError(f"{where}: {qid}: 'results' must be a list")
        ranked: list[str] = []
        for item in items:
            pid = item.get("policy_id") if isinstance(item, dict) else None
            if not isinstance(pid, str) or not pid:
                raise InputError(f"{where}: {qid}: a result lacks policy_id")
            if pid in ranked:
                raise InputError(f"{where}: {qid}: policy {pid} ranked twice")
            ranked.append(pid)
        out[qid] = ranked
    return out


def load_results(path: Path) -> dict[str, list[str]]:
    """Read a results JSONL file (one search-contract object per line)."""
    return parse_results((row for _, row in _read_jsonl(path)), where=str(path))


# -- metrics -----------------------------------------------------------------------------------------


def wrong_region_at(
    ranked: Sequence[str],
    query_code: str | None,
    policy_regions: Mapping[str, PolicyRegion],
    regions: RegionIndex,
    k: int = 5,
) -> float:
    """Share of the top-k results whose region does not apply to the query's region (0 for null regions)."""
    top = list(ranked[:k])
    unknown = [pid for pid in top if pid not in policy_regions]
    if unknown:
        raise InputError(f"unknown policy ids in results: {', '.join(unknown)}")
    if query_code is None or not top:
        return 0.0
    return sum(not applies(policy_regions[pid], query_code, regions) for pid in top) / len(top)


@dataclass(frozen=True)
class QueryScore:
    id: str
    ndcg_10: float | None
    recall_5: float | None
    mrr: float | None
    wrong_region_5: float


@dataclass(frozen=True)
class Report:
    """Mean metrics over one split; None-valued per-query metrics are left out of their mean."""

    label: str
    split: str
    n_queries: int
    ndcg_10: float
    recall_5: float
    mrr: float
    wrong_region_5: float
    per_query: list[QueryScore]

    def markdown_row(self) -> str:
        return (
            f"| {self.label} | {self.split} | {self.n_queries} | {self.ndcg_10:.3f} | {self.recall_5:.3f} "
            f"| {self.mrr:.3f} | {self.wrong_region_5:.3f} |"
        )

    def to_dict(self, per_query: bool = False) -> dict[str, object]:
        data = asdict(self)
        if not per_query:
            data.pop("per_query")
        return data


def _mean(values: Iterable[float | None]) -> float:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else 0.0


def score(
    queries: Iterable[GoldQuery],
    results: Mapping[str, Sequence[str]],
    policy_regions: Mapping[str, PolicyRegion],
    *,
    label: str = "system",
    split: str = "all",
    regions: RegionIndex | None = None,
) -> Report:
    """Score ranked results (query id -> policy ids) on the queries of ``split`` (dev | heldout | all)."""
    if split not in (*SPLITS, "all"):
        raise InputError(f"unknown split {split!r}; use dev, heldout or all")
    regions = regions or default_regions()
    queries = list(queries)
    known = {q.id for q in queries}
    stray = sorted(set(results) - known)
    if stray:
        raise InputError(f"results for queries that are not in the gold file: {', '.join(stray[:10])}")
    chosen = [q for q in queries if split == "all" or q.split == split]
    if not chosen:
        raise InputError(f"no gold queries in split {split!r}")
    missing = [q.id for q in chosen if q.id not in results]
    if missing:
        raise InputError(f"results lack {len(missing)} queries: {', '.join(missing[:10])}")
    rows = [
        QueryScore(
            q.id,
            ndcg_at(results[q.id], q.judgments),
            recall_at(results[q.id], q.judgments),
            reciprocal_rank(results[q.id], q.judgments),
            wrong_region_at(results[q.id], q.region_code, policy_regions, regions),
        )
        for q in chosen
    ]
    return Report(
        label,
        split,
        len(rows),
        _mean(r.ndcg_10 for r in rows),
        _mean(r.recall_5 for r in rows),
        _mean(r.mrr for r in rows),
        _mean(r.wrong_region_5 for r in rows),
        rows,
    )


# -- CLI ---------------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evaluation.policy_eval", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--results",
        action="append",
        required=True,
        type=Path,
        help="results JSONL (repeat, with --label each, for several systems)",
    )
    parser.add_argument("--label", action="append", default=[], help="name of the system (default: file stem)")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="heldout")
    parser.add_argument("--gold", type=Path, default=GOLD_PATH)
    parser.add_argument("--policies", type=Path, default=POLICIES_PATH)
    parser.add_argument("--json-out", type=Path, help="also write the reports (with per-query scores) here")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Print a Markdown table (one row per label) and the reports as JSON; 2 on bad input."""
    args = _parser().parse_args(argv)
    try:
        if len(args.label) > len(args.results):
            raise InputError("more --label than --results")
        labels = args.label + [p.stem for p in args.results[len(args.label) :]]
        regions = default_regions()
        queries = load_queries(args.gold, regions)
        policy_regions = load_policy_regions(args.policies, regions)
        reports = [
            score(queries, load_results(path), policy_regions, label=label, split=args.split, regions=regions)
            for path, label in zip(args.results, labels, strict=True)
        ]
        if args.json_out:
            try:
                args.json_out.write_text(
                    json.dumps([r.to_dict(per_query=True) for r in reports], ensure_ascii=False, indent=1),
                    encoding="utf-8",
                )
            except OSError as exc:
                raise InputError(f"cannot write {args.json_out}: {exc}") from exc
    except ZhaoshangError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(MARKDOWN_HEADER)
    for report in reports:
        print(report.markdown_row())
    print()
    print(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
