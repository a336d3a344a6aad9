"""Benchmark, policy search at scale: PolicySearch (hybrid, region filter) vs raw FAISS over the same vectors.

Synthetic policies (a title and four numbered clauses each) are built from the Anhui taxonomy keywords, real
administrative divisions and clause templates, embedded with the real static model (``var/models`` when
already built there, else built once into a temporary home), and searched by synthetic investor queries
with a region filter. Reported per size: index build time (with the encode share), RSS growth, size on disk,
and search latency p50/p99, next to raw ``faiss.IndexFlatIP`` search over the same clause vectors and the
query encoding alone, measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np

from core.config import Settings
from core.schemas import Clause, Policy
from models.embedder import Embedder, SentenceTransformerEmbedder
from models.industries import load_taxonomy
from models.matcher import PolicySearch, policy_vectors
from nlp.regions import RegionIndex, default_regions

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1_000, 10_000, 100_000)
ENTRIES_PER_POLICY = 5  # title + 4 clauses
SEED = 20240601

_TITLES = (
    "{place}关于支持{ind}产业高质量发展的若干政策",
    "{place}{ind}产业招商引资优惠办法",
    "{place}促进{ind}集聚发展实施意见",
)
_CLAUSES = (
    "对新引进的{kw}项目,固定资产投资达到{n}亿元以上的,按设备投资额的{p}%给予补助,最高{m}万元。",
    "支持{kw}企业研发创新,对研发投入占营业收入比例不低于{p}%的企业,给予最高{m}万元奖励。",
    "{kw}企业在{place}设立总部或区域总部的,注册资本不低于{n}亿元的,一次性奖励{m}万元。",
    "对{kw}领域首次认定的高新技术企业给予{m}万元奖励,并优先保障{kw2}项目用地。",
    "鼓励{kw}企业上市融资,对在境内外资本市场上市的企业分阶段给予{m}万元奖励。",
    "对年营业收入首次超过{n}亿元的{kw}企业,给予经营团队{m}万元奖励。",
    "{kw}项目租用标准化厂房的,前三年按{p}%给予租金补贴,{kw2}配套项目参照执行。",
    "建立{kw}产业基金,对投资{place}{kw2}项目的社会资本给予让利。",
)
_QUERIES = ("{kw}项目落户{place} 投资{n}亿元", "{place}{kw}企业 研发补贴", "{kw} 设备投资补助", "{kw2}企业总部 奖励")


def _rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _static_embedder() -> tuple[Embedder, str]:
    from models.distill import build_static_model, static_model_dir

    settings = Settings(home=ROOT / "var", embedder="static")
    if (static_model_dir(settings) / "zhaoshang_build.json").exists():
        path = build_static_model(settings)
        return SentenceTransformerEmbedder(path), f"`{path.name}` from ./var/models"
    tmp = Path(tempfile.mkdtemp(prefix="zs_bench_model_"))
    started = time.perf_counter()
    path = build_static_model(Settings(home=tmp, embedder="static"))
    return SentenceTransformerEmbedder(
        path
    ), f"`{path.name}`, built for this run in {time.perf_counter() - started:.0f} s"


class Corpus:
    """Deterministic synthetic policies and queries."""

    def __init__(self, regions: RegionIndex, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        taxonomy = load_taxonomy("anhui_ten_emerging")
        self.industries = [(e.name, list(e.keywords) or [e.name]) for e in taxonomy.entries]
        places = [r for r in regions.by_code.values() if r.level in ("province", "city", "county")]
        self.places = sorted(places, key=lambda r: r.code)
        self.cities = [r for r in self.places if r.level in ("province", "city")]

    def _fill(self, template: str, place: str, keywords: list[str]) -> str:
        rng = self.rng
        return template.format(
            place=place,
            kw=rng.choice(keywords),
            kw2=rng.choice(keywords),
            n=rng.choice((1, 2, 3, 5, 10, 30)),
            p=rng.choice((5, 10, 15, 20)),
            m=rng.choice((50, 100, 200, 500, 1000)),
            ind="",
        )

    def policies(self, n_entries: int) -> list[Policy]:
        out: list[Policy] = []
        for i in range(n_entries // ENTRIES_PER_POLICY):
            region = self.rng.choice(self.places)
            industry, keywords = self.rng.choice(self.industries)
            pid = f"S{i:06d}"
            title = self.rng.choice(_TITLES).format(place=region.name, ind=industry)
            texts = [self._fill(t, region.name, keywords) for t in self.rng.sample(_CLAUSES, 4)]
            clauses = [Clause(policy_id=pid, seq=k, number=f"{k + 1}.", text=t) for k, t in enumerate(texts)]
            out.append(
                Policy(
                    id=pid,
                    title=title,
                    issuer_region=region.name,
                    region_code=region.code,
                    publish_date=dt.date(2023, 1, 1),
                    text="\n".join(texts),
                    clauses=clauses,
                )
            )
        return out

    def queries(self, n: int) -> list[tuple[str, str]]:
        """(query, region code) pairs; the region is a province or city."""
        out: list[tuple[str, str]] = []
        for _ in range(n):
            place = self.rng.choice(self.cities)
            _, keywords = self.rng.choice(self.industries)
            out.append((self._fill(self.rng.choice(_QUERIES), place.name, keywords), place.code))
        return out


def _latencies(fn: Callable[[int], object], n: int, reps: int) -> list[float]:
    out: list[float] = []
    for _ in range(reps):
        for i in range(n):
            started = time.perf_counter()
            fn(i)
            out.append((time.perf_counter() - started) * 1000)
    return out


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure_size(
    n_entries: int, embedder: Embedder, regions: RegionIndex, n_queries: int, reps: int
) -> dict[str, float]:
    corpus = Corpus(regions)
    policies = corpus.policies(n_entries)
    queries = corpus.queries(n_queries)
    PolicySearch.build(Corpus(regions, seed=1).policies(10), embedder, regions).search("预热", top=1)  # jieba, caches
    gc.collect()
    rss0 = _rss_bytes()
    texts = [t for p in policies for t in (p.title, *(c.text for c in p.clauses))]
    started = time.perf_counter()
    embedder.encode(texts)
    encode_s = time.perf_counter() - started
    started = time.perf_counter()
    search = PolicySearch.build(policies, embedder, regions)
    build_s = time.perf_counter() - started
    gc.collect()
    rss_delta = _rss_bytes() - rss0
    with tempfile.TemporaryDirectory(prefix="zs_bench_index_") as tmp:
        search.save(Path(tmp) / "index")
        disk = _dir_size(Path(tmp) / "index")
        faiss_disk = _dir_size(Path(tmp) / "index" / "vectors")
    vectors = np.ascontiguousarray(policy_vectors(search))
    started = time.perf_counter()
    raw = faiss.IndexFlatIP(vectors.shape[1])
    raw.add(vectors)
    raw_build_s = time.perf_counter() - started
    qvecs = embedder.encode([q for q, _ in queries])
    search.search(queries[0][0], region=queries[0][1], top=10)  # warm-up
    hybrid = _latencies(lambda i: search.search(queries[i][0], region=queries[i][1], top=10), n_queries, reps)
    faiss_mt = _latencies(lambda i: raw.search(qvecs[i : i + 1], 10), n_queries, reps)  # FAISS default threads
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # as VectorIndex runs a single query
    try:
        faiss_ms = _latencies(lambda i: raw.search(qvecs[i : i + 1], 10), n_queries, reps)
    finally:
        faiss.omp_set_num_threads(threads)
    encode_ms = _latencies(lambda i: embedder.encode([queries[i][0]]), n_queries, reps)
    return {
        "entries": float(len(texts)),
        "policies": float(len(policies)),
        "build_s": build_s,
        "encode_s": encode_s,
        "raw_build_s": raw_build_s,
        "rss_mb": rss_delta / 1e6,
        "disk_mb": disk / 1e6,
        "faiss_disk_mb": faiss_disk / 1e6,
        "p50": _p(hybrid, 0.5),
        "p99": _p(hybrid, 0.99),
        "mean": statistics.fmean(hybrid),
        "faiss_p50": _p(faiss_ms, 0.5),
        "faiss_p99": _p(faiss_ms, 0.99),
        "faiss_mt_p50": _p(faiss_mt, 0.5),
        "omp_threads": float(threads),
        "encode_p50": _p(encode_ms, 0.5),
        "samples": float(len(hybrid)),
    }


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section (quick: 1k clauses only, fewer queries)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    embedder, model = _static_embedder()
    regions = default_regions()
    sizes = SIZES[:1] if quick else SIZES
    n_queries, reps = (20, 2) if quick else (50, 3)
    rows = [measure_size(n, embedder, regions, n_queries, reps) for n in sizes]
    lines = [
        "## Policy search at scale",
        "",
        f"Machine: {os.cpu_count()} cores (shared), faiss {faiss.__version__}; embedder {model} ({embedder.dim}-d). "
        f"Synthetic policies (title + 4 clauses, regions drawn from the {len(regions.by_code)} divisions, Anhui "
        f"taxonomy keywords); {n_queries} queries × {reps} repetitions per size, each with a province/city region "
        "filter, top 10. *PolicySearch* is the product's hybrid search (jieba BM25 + dense, RRF, region "
        "applicability, per-policy aggregation, condition checks), query encoding included; *raw FAISS* is "
        "`IndexFlatIP.search(k=10)` over the same vectors with the query already encoded, on one OpenMP thread "
        f"as VectorIndex runs single queries (FAISS's default, {rows[0]['omp_threads']:.0f} threads, in its own "
        "column). RSS Δ is the process's resident-memory growth while building; disk is the saved index (FAISS part "
        "in brackets).",
        "",
        "| clauses | policies | build | (encode share) | raw FAISS build | RSS Δ | disk | PolicySearch p50 / p99 "
        "| raw FAISS p50 / p99 | raw FAISS p50, default threads | query encode p50 | PolicySearch ÷ raw FAISS (p50) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['entries']:,.0f} | {r['policies']:,.0f} | {r['build_s']:.1f} s | {r['encode_s']:.1f} s "
            f"| {r['raw_build_s'] * 1000:.1f} ms | {r['rss_mb']:.0f} MB | {r['disk_mb']:.1f} MB "
            f"({r['faiss_disk_mb']:.1f}) | {r['p50']:.2f} / {r['p99']:.2f} ms | {r['faiss_p50']:.3f} / "
            f"{r['faiss_p99']:.3f} ms | {r['faiss_mt_p50']:.3f} ms | {r['encode_p50']:.2f} ms | {r['p50'] / max(r['faiss_p50'], 1e-6):,.0f}× |"
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        lines += [
            "",
            f"From {first['entries']:,.0f} to {last['entries']:,.0f} clauses PolicySearch p50 grows "
            f"{last['p50'] / first['p50']:.1f}× and raw FAISS p50 {last['faiss_p50'] / first['faiss_p50']:.1f}×; "
            f"encoding {last['entries']:,.0f} clauses took {last['encode_s']:.0f} s "
            f"({last['entries'] / max(last['encode_s'], 1e-9):,.0f} clauses/s).",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    print(run(quick="--quick" in sys.argv))
