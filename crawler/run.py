"""Crawl entry point: run_crawl() runs Scrapy in a subprocess (a Twisted reactor cannot restart) and returns CrawlStats.

    python -m crawler.run --source NAME [--source NAME ...] | --all [--sample-site-url URL] [--refresh]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.config import Settings, get_settings
from core.errors import ConfigError, InputError, NotFoundError, ZhaoshangError
from crawler.sources import SourceConfig, load_sources

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class CrawlStats:
    """What one crawl did, summed over its sources."""

    pages_fetched: int = 0
    documents_created: int = 0
    documents_updated: int = 0
    documents_unchanged: int = 0
    skipped_known: int = 0
    stories_created: int = 0
    attachments_with_text: int = 0
    robots_forbidden: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """One line for people: pages, documents, drops, errors."""
        parts = [
            f"{self.pages_fetched} pages", f"{self.documents_created} new", f"{self.documents_updated} updated",
            f"{self.documents_unchanged} unchanged", f"{self.skipped_known} known skipped",
            f"{self.stories_created} stories",
        ]
        if self.dropped:
            parts.append("dropped " + ", ".join(f"{k}={v}" for k, v in sorted(self.dropped.items())))
        if self.errors:
            parts.append("errors " + ", ".join(f"{k}={v}" for k, v in sorted(self.errors.items())))
        return "; ".join(parts)

    @classmethod
    def from_scrapy(cls, per_source: dict[str, dict[str, Any]]) -> CrawlStats:
        out = cls()
        for name, st in per_source.items():
            out.pages_fetched += int(st.get("response_received_count", 0))
            out.documents_created += int(st.get("zhaoshang/documents_created", 0))
            out.documents_updated += int(st.get("zhaoshang/documents_updated", 0))
            out.documents_unchanged += int(st.get("zhaoshang/documents_unchanged", 0))
            out.skipped_known += int(st.get("zhaoshang/skipped_known", 0))
            out.stories_created += int(st.get("zhaoshang/stories_created", 0))
            out.attachments_with_text += int(st.get("zhaoshang/attachments/text", 0))
            out.robots_forbidden += int(st.get("robotstxt/forbidden", 0))
            for key, value in st.items():
                if key.startswith("zhaoshang/dropped/"):
                    reason = key.removeprefix("zhaoshang/dropped/")
                    out.dropped[reason] = out.dropped.get(reason, 0) + int(value)
                elif key.startswith("zhaoshang/errors/") or key.startswith("spider_exceptions/"):
                    reason = key.split("/", 1)[1].removeprefix("errors/")
                    out.errors[reason] = out.errors.get(reason, 0) + int(value)
            out.sources[name] = {k: v for k, v in st.items() if isinstance(v, int | float | str)}
        return out


def _child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["ZHAOSHANG_HOME"] = str(settings.home)
    env["ZHAOSHANG_DATABASE_URL"] = settings.db_url
    if settings.redis_url:
        env["ZHAOSHANG_REDIS_URL"] = settings.redis_url
    env["ZHAOSHANG_CRAWL_MAX_PAGES"] = str(settings.crawl_max_pages)
    env["ZHAOSHANG_CRAWL_DOWNLOAD_MAX_BYTES"] = str(settings.crawl_download_max_bytes)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p)
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def run_crawl(sources: list[SourceConfig], *, settings: Settings | None = None, progress: bool = True,
              sample_site_url: str | None = None, refresh: bool = False, timeout: float = 3600) -> CrawlStats:
    """Crawl ``sources`` into the store in a child process and return its stats.

    Sources using ``{sample_site}`` need ``sample_site_url``; if none is given the bundled sample site is
    started on a free port for the duration of the crawl. ``refresh`` re-fetches known detail pages."""
    if not sources:
        raise InputError("no sources to crawl")
    settings = settings or get_settings()
    settings.ensure_dirs()
    server = None
    if any(s.uses_sample_site for s in sources) and not sample_site_url:
        from crawler.sample_site import make_sample_site

        try:  # the configured port keeps URLs stable between crawls (incremental recrawl)
            server = make_sample_site("127.0.0.1", settings.sample_site_port).start()
        except OSError:
            server = make_sample_site("127.0.0.1", 0).start()
            print(f"sample site port {settings.sample_site_port} busy; using {server.base_url}", file=sys.stderr)
        sample_site_url = server.base_url
    try:
        resolved = [s.resolved(sample_site_url) for s in sources]
        with tempfile.TemporaryDirectory(dir=settings.crawl_dir) as tmp:
            src_path, stats_path = Path(tmp) / "sources.json", Path(tmp) / "stats.json"
            src_path.write_text(json.dumps([s.model_dump(mode="json") for s in resolved], ensure_ascii=False), "utf-8")
            cmd = [sys.executable, "-m", "crawler.run", "--child", str(src_path), "--stats-json", str(stats_path)]
            if progress:
                cmd.append("--progress")
            if refresh:
                cmd.append("--refresh")
            try:
                proc = subprocess.run(cmd, env=_child_env(settings), cwd=PROJECT_ROOT, timeout=timeout, check=False,
                                      stdout=subprocess.DEVNULL, stderr=None if progress else subprocess.PIPE)
            except subprocess.TimeoutExpired as exc:
                raise ZhaoshangError(f"crawl did not finish within {timeout:.0f}s") from exc
            if proc.returncode != 0 or not stats_path.exists():
                tail = (proc.stderr or b"").decode("utf-8", "replace")[-2000:] if proc.stderr else ""
                raise ZhaoshangError(f"crawl process failed with exit code {proc.returncode}: {tail}".strip())
            return CrawlStats.from_scrapy(json.loads(stats_path.read_text("utf-8")))
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()


def _crawl_here(sources: list[SourceConfig], stats_path: Path, *, progress: bool, refresh: bool) -> None:
    """Child process: run every source's spider in one Scrapy process and write per-source stats as JSON."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings as ScrapySettings

    from core.store import Store
    from crawler.dedup import canonical_url
    from crawler.pipelines import StoryIndex
    from crawler.spiders.portal import PortalSpider

    scrapy_settings = ScrapySettings()
    scrapy_settings.setmodule("crawler.settings", priority="project")
    scrapy_settings.set("ZHAOSHANG_PROGRESS", progress, priority="cmdline")
    store = Store.connect(scrapy_settings.get("ZHAOSHANG_DB_URL"))
    stories = StoryIndex(store, scrapy_settings.getfloat("ZHAOSHANG_STORY_THRESHOLD", 0.8))
    scrapy_settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(scrapy_settings)
    results: dict[str, dict[str, Any]] = {}
    receivers: list[Any] = []  # Scrapy holds signal receivers weakly: keep them alive
    for source in sources:
        store.upsert_source(source.name, region=source.region, region_code=source.region_code, kind=source.kind,
                            start_urls=source.start_urls)
        known = {canonical_url(u) for u in store.document_urls(source.name)}
        crawler = process.create_crawler(PortalSpider)
        crawler.zhaoshang_stories = stories  # type: ignore[attr-defined]  # shared: reposts across sources

        def _closed(spider: Any, reason: str, _crawler: Any = crawler, _name: str = source.name) -> None:
            stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in _crawler.stats.get_stats().items()}
            stats["finish_reason"] = reason
            results[_name] = stats

        receivers.append(_closed)
        crawler.signals.connect(_closed, signal=signals.spider_closed)
        process.crawl(crawler, source=source.model_dump_json(), known_urls=known, refresh=refresh)
    process.start()
    store.close()
    stats_path.write_text(json.dumps(results, ensure_ascii=False, default=str), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.run", description="Crawl configured sources into the store.")
    parser.add_argument("--source", action="append", default=[], help="source name (repeatable)")
    parser.add_argument("--all", action="store_true", help="crawl every source in crawler/sources")
    parser.add_argument("--sample-site-url", help="base URL of a running sample site (default: start one)")
    parser.add_argument("--refresh", action="store_true", help="re-fetch known detail pages")
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--stats-json", help=argparse.SUPPRESS)
    parser.add_argument("--progress", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.child:
            data = json.loads(Path(args.child).read_text("utf-8"))
            sources = [SourceConfig.model_validate(d) for d in data]
            _crawl_here(sources, Path(args.stats_json), progress=args.progress, refresh=args.refresh)
            return 0
        if args.all == bool(args.source):
            raise InputError("give --source NAME (repeatable) or --all")
        chosen = load_sources(names=None if args.all else args.source)
        stats = run_crawl(chosen, progress=not args.no_progress, sample_site_url=args.sample_site_url,
                          refresh=args.refresh)
    except (InputError, ConfigError, NotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ZhaoshangError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    summary = {k: v for k, v in stats.to_dict().items() if k != "sources"}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
