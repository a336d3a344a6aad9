"""Bench, mining: lead-mining throughput (KB/s of text) with and without embeddings, against raw jieba.lcut."""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "crawler" / "sample_site" / "seeds"
NEWS = ROOT.parent / "shared" / "corpus" / "news.jsonl"


def load_texts() -> list[tuple[str, dt.date | None]]:
    """The sample-site seeds plus ../shared/corpus/news.jsonl when present (read in place, never copied)."""
    texts: list[tuple[str, dt.date | None]] = [(p.read_text(encoding="utf-8"), None) for p in sorted(SEEDS.glob("*.txt"))]
    if NEWS.exists():
        for line in NEWS.read_text(encoding="utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                day = dt.date.fromisoformat(obj["publish_date"]) if obj.get("publish_date") else None
                texts.append((obj["text"], day))
    return texts


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _time(fn: Callable[[], Any], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def _home() -> tuple[Path, tempfile.TemporaryDirectory[str] | None]:
    """./var when it already holds the built static model, else a temp home where it gets built."""
    var = ROOT / "var"
    if any((var / "models").glob("zhaoshang-static-*")):
        return var, None
    tmp = tempfile.TemporaryDirectory(prefix="zs-bench-mining-")
    return Path(tmp.name), tmp


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section."""
    import jieba

    import jobs
    from core.config import Settings
    from core.schemas import Document
    from core.store import Store
    from nlp.leads import LeadExtractor

    texts = load_texts()
    if quick:
        texts = texts[:12]
    repeats = 2 if quick else 5
    kib = sum(len(t.encode("utf-8")) for t, _ in texts) / 1024
    chars = sum(len(t) for t, _ in texts)
    rss: dict[str, float] = {"start": _peak_rss_mib()}

    jieba.setLogLevel(60)
    jieba.initialize()  # dictionary load is start-up, not throughput
    jieba_times = _time(lambda: [jieba.lcut(t) for t, _ in texts], repeats)
    rss["jieba"] = _peak_rss_mib()

    started = time.perf_counter()
    keyword = LeadExtractor()
    keyword.extract(texts[0][0], texts[0][1])  # warm the private tokenizer
    load_keyword = time.perf_counter() - started
    found: dict[str, int] = {}

    def extract_all(extractor: Any, label: str) -> None:
        found[label] = sum(len(extractor.extract(t, d).leads) for t, d in texts)

    kw_times = _time(lambda: extract_all(keyword, "keyword"), repeats)
    rss["keyword"] = _peak_rss_mib()

    home, tmp = _home()
    try:
        settings = Settings(home=home, embedder="static")
        started = time.perf_counter()
        components = jobs.load_components(settings, progress=False)
        components.extractor.extract(texts[0][0], texts[0][1])
        load_emb = time.perf_counter() - started
        emb_times = _time(lambda: extract_all(components.extractor, "embeddings"), repeats)
        rss["embeddings"] = _peak_rss_mib()

        mine_times: list[float] = []
        for _ in range(max(1, repeats // 2)):
            with tempfile.TemporaryDirectory(prefix="zs-bench-db-") as db_dir:
                store = Store.connect(f"sqlite:///{db_dir}/mine.db")  # schema and documents: not timed
                try:
                    for i, (text, day) in enumerate(texts):
                        url = f"http://bench.example/{i}"
                        store.save_document(Document(url=url, canonical_url=url, title=str(i), source="bench",
                                                     text=text, publish_date=day, content_hash=str(i),
                                                     fetched_at=dt.datetime(2025, 1, 1)))
                    started = time.perf_counter()
                    stats = jobs.mine(store, components.extractor, progress=False)
                    mine_times.append(time.perf_counter() - started)
                    found["mine"] = stats.leads
                    found["linked"] = stats.linked
                finally:
                    store.close()
        rss["mine"] = _peak_rss_mib()
        model = components.embedder.name
    finally:
        if tmp is not None:
            tmp.cleanup()

    ref = statistics.median(jieba_times)

    def row(label: str, times: list[float], leads: str) -> str:
        med = statistics.median(times)
        return (f"| {label} | {med * 1000:.0f} ms | {kib / med:.1f} KB/s | {med / ref:.1f}× | {leads} |")

    lines = [
        "## Mining throughput",
        "",
        f"{len(texts)} texts ({kib:.1f} KiB UTF-8, {chars:,} characters: the {len(list(SEEDS.glob('*.txt')))} "
        f"sample-site seeds{' + ../shared/corpus/news.jsonl' if NEWS.exists() else ''}"
        f"{', first 12 only (quick)' if quick else ''}); {os.cpu_count()} cores; median of {repeats} run(s) "
        f"(mining into SQLite: {max(1, repeats // 2)}). Reference: raw `jieba.lcut` over the same texts in the "
        "same run (dictionary loaded beforehand). Time per pass over all texts; ratio = time / jieba's time.",
        "",
        "| step | time | throughput | vs raw jieba | leads |",
        "| --- | ---: | ---: | ---: | ---: |",
        row("raw `jieba.lcut` (reference)", jieba_times, "–"),
        row("extract, keyword industry (no embeddings)", kw_times, str(found["keyword"])),
        row(f"extract, keyword + embedding industry (`{model}`)", emb_times, str(found["embeddings"])),
        row("`jobs.mine` into SQLite: extract + resolve + store", mine_times,
            f"{found['mine']} ({found['linked']} linked)"),
        "",
        f"Start-up (not in the throughput): keyword extractor {load_keyword:.1f} s; embedder + industry matcher + "
        f"extractor {load_emb:.1f} s.",
        "",
        "Peak RSS of the process (MiB, cumulative: each figure includes what was loaded before): "
        + ", ".join(f"{k} {v:.0f}" for k, v in rss.items()) + ".",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run(quick=bool(os.environ.get("QUICK"))))
