"""Bench, crawl: crawl throughput (pages/s, documents/s, extraction and store on) against a raw httpx fetch of the same pages."""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

CONCURRENCY = 4  # the crawler's CONCURRENT_REQUESTS_PER_DOMAIN: the reference fetches with the same
FAST_CONCURRENCY = 16


def _crawl_once(sources: list[Any], base_url: str | None, overrides: dict[str, Any] | None) -> tuple[float, float, Any]:
    """(wall seconds incl. the child process start, seconds the spiders ran, CrawlStats) into a fresh store."""
    from core.config import Settings
    from crawler.run import run_crawl

    with tempfile.TemporaryDirectory(prefix="zs-bench-crawl-") as home:
        settings = Settings(home=Path(home), embedder="fake")
        started = time.perf_counter()
        stats = run_crawl(sources, settings=settings, progress=False, sample_site_url=base_url,
                          scrapy_settings=overrides)
        wall = time.perf_counter() - started
    spider = max(float(s.get("zhaoshang/elapsed_s", 0.0)) for s in stats.sources.values())
    return wall, spider, stats


async def _fetch_all(base_url: str, paths: list[str], concurrency: int) -> int:
    import httpx

    limit = asyncio.Semaphore(concurrency)
    total = 0
    async with httpx.AsyncClient(base_url=base_url, timeout=30,
                                 limits=httpx.Limits(max_connections=concurrency)) as client:
        async def one(path: str) -> None:
            nonlocal total
            async with limit:
                response = await client.get(path)
                total += len(response.content)

        await asyncio.gather(*(one(p) for p in paths))
    return total


def _raw_fetch(base_url: str, paths: list[str], concurrency: int) -> float:
    started = time.perf_counter()
    asyncio.run(_fetch_all(base_url, paths, concurrency))
    return time.perf_counter() - started


def _extract_only(site: dict[str, Any], paths: list[str]) -> float:
    """Seconds to decode and extract every detail page in-process (no network, no store)."""
    from crawler.extract import decode_html, extract_page

    started = time.perf_counter()
    for path in paths:
        page = site[path]
        extract_page(decode_html(page.body, page.content_type.split("charset=")[-1])[0], "http://bench" + path)
    return time.perf_counter() - started


def _measure(label: str, site: dict[str, Any] | None, sources_for: Any, detail_paths: list[str],
             repeats: int, overrides: dict[str, Any] | None = None, concurrency: int = CONCURRENCY) -> dict[str, Any]:
    from crawler.sample_site import make_sample_site

    server = make_sample_site(site=site).start()
    try:
        runs = []
        for _ in range(repeats):
            server.requested.clear()
            wall, spider, stats = _crawl_once(sources_for(server.base_url), server.base_url, overrides)
            runs.append((wall, spider, stats.pages_fetched, stats.documents_created))
        # the reference fetches exactly what the crawler fetched (list, detail, robots, attachment pages)
        fetched = list(dict.fromkeys(p for p in server.requested if not p.startswith("/hostile/")))
        raw = [_raw_fetch(server.base_url, fetched, concurrency) for _ in range(repeats)]
    finally:
        server.shutdown()
        server.server_close()
    extract = [_extract_only(server.site, detail_paths) for _ in range(repeats)]
    wall = statistics.median(r[0] for r in runs)
    spider = statistics.median(r[1] for r in runs)
    pages, docs = runs[-1][2], runs[-1][3]
    raw_s = statistics.median(raw)
    return {"label": label, "pages": pages, "docs": docs, "wall": wall, "spider": spider, "fetched": len(fetched),
            "raw": raw_s, "extract": statistics.median(extract), "details": len(detail_paths), "repeats": repeats,
            "concurrency": concurrency}


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section."""
    from crawler.sample_site import detail_paths
    from crawler.sample_site.synthetic import build_synthetic_site, synthetic_detail_paths, synthetic_source
    from crawler.sources import get_source

    repeats = 1 if quick else 3
    n_items = 60 if quick else 400
    sample = _measure("sample site (2 columns, UTF-8 + GBK, PDF/DOCX attachments)", None,
                      lambda base: [get_source("sample_news"), get_source("sample_policy")],
                      detail_paths(), repeats)
    synthetic_site = build_synthetic_site(n_items, page_size=20)
    synthetic = _measure(f"synthetic portal ({n_items} news items, 20 per list page)", synthetic_site,
                         lambda base: [synthetic_source(base)], synthetic_detail_paths(synthetic_site), repeats)
    fast = _measure(f"synthetic portal, AutoThrottle off, {FAST_CONCURRENCY} per domain", synthetic_site,
                    lambda base: [synthetic_source(base)], synthetic_detail_paths(synthetic_site), repeats,
                    overrides={"AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": FAST_CONCURRENCY},
                    concurrency=FAST_CONCURRENCY)
    rows = []
    for m in (sample, synthetic, fast):
        crawl_pps = m["pages"] / m["spider"] if m["spider"] else 0.0
        raw_pps = m["fetched"] / m["raw"] if m["raw"] else 0.0
        rows.append(
            f"| {m['label']} | {m['pages']} | {m['docs']} | {m['wall']:.1f} | {m['spider']:.2f} | {crawl_pps:.1f} | "
            f"{m['docs'] / m['spider'] if m['spider'] else 0:.1f} | {m['pages'] / m['wall']:.1f} | {m['concurrency']} | {raw_pps:.0f} | "
            f"{crawl_pps / raw_pps if raw_pps else 0:.3f} | {1000 * m['extract'] / m['details']:.1f} |")
    return "\n".join([
        "## Crawl throughput (crawler/)", "",
        f"Machine: {os.cpu_count()} cores; the local sample site and a synthetic portal served from memory by the "
        f"bundled stdlib ThreadingHTTPServer on loopback (no added latency); each crawl into a fresh SQLite store with "
        f"extraction, dedup (MinHash) and attachments on; median of {repeats} run(s). *spider s* runs from "
        "spider open to close (includes Scrapy's idle close check); *wall s* adds the child "
        "process start (Python, Scrapy, SQLAlchemy imports, migrations). Reference: the same URLs fetched with "
        f"httpx.AsyncClient at the same concurrency ({CONCURRENCY}, the crawler's CONCURRENT_REQUESTS_PER_DOMAIN), "
        "nothing parsed or stored. The first two rows keep the crawler's politeness settings (robots.txt, "
        "AutoThrottle with target concurrency 2 and a 0.2 s start delay), so their ratio mostly measures politeness; "
        f"the third runs with `--scrapy-settings` AutoThrottle off and {FAST_CONCURRENCY} requests per domain "
        "against a reference at the same concurrency, i.e. the crawler's own overhead (Scrapy, extraction, store). "
        "*extract ms/page*: decode + extract_page alone, in-process.", "",
        "| site | pages | documents | wall s | spider s | crawl pages/s | crawl documents/s | pages/s incl. start "
        "| raw concurrency | raw httpx pages/s | ratio crawl / raw | extract ms/page |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *rows, "",
    ])


if __name__ == "__main__":
    print(run(quick=os.environ.get("BENCH_QUICK") == "1"))
