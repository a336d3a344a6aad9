"""Crawl entry point: run_crawl() runs Scrapy in a subprocess (a Twisted reactor cannot restart) and returns CrawlStats.

    python -m crawler.run --source NAME [--source NAME ...] | --all [--sample-site-url URL] [--refresh]
                          [--scrapy-settings JSON]

With ZHAOSHANG_REDIS_URL set the crawl is distributed (crawler/distributed.py): start this same command on
several machines (same sources, same ZHAOSHANG_DATABASE_URL and ZHAOSHANG_REDIS_URL) and they share one queue.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.config import Settings, get_settings
from core.errors import ConfigError, InputError, NotFoundError, ZhaoshangError
from crawler.progress import ProgressFollower, wait_child
from crawler.sources import SourceConfig, load_sources
from crawler.state import CrawlState, FileCrawlState

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class CrawlStats:
    """What one crawl did, summed over its sources."""

    pages_fetched: int = 0
    documents_created: int = 0
    documents_updated: int = 0
    documents_unchanged: int = 0  # includes not_modified
    not_modified: int = 0  # conditional GET answered 304
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
            f"{self.documents_unchanged} unchanged ({self.not_modified} by 304)", f"{self.skipped_known} known skipped",
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
            out.not_modified += int(st.get("zhaoshang/not_modified", 0))
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


def write_child_sources(sources: list[SourceConfig], path: Path) -> None:
    """The resolved sources as the JSON file a child crawl (``--child PATH``) reads."""
    path.write_text(json.dumps([s.model_dump(mode="json") for s in sources], ensure_ascii=False), "utf-8")


def child_command(sources_path: Path, stats_path: Path, *, progress: bool = False, refresh: bool = False,
                  scrapy_settings: dict[str, Any] | None = None) -> list[str]:
    """The command line of one crawler worker process (what run_crawl starts; several may run at once with Redis).

    ``scrapy_settings`` override crawler/settings.py values (e.g. {"AUTOTHROTTLE_ENABLED": False}) for this run."""
    cmd = [sys.executable, "-m", "crawler.run", "--child", str(sources_path), "--stats-json", str(stats_path)]
    if scrapy_settings:
        cmd += ["--scrapy-settings", json.dumps(scrapy_settings)]
    if progress:
        cmd.append("--progress")
    if refresh:
        cmd.append("--refresh")
    return cmd


def run_crawl(sources: list[SourceConfig], *, settings: Settings | None = None, progress: bool = True,
              sample_site_url: str | None = None, refresh: bool = False, timeout: float = 3600,
              scrapy_settings: dict[str, Any] | None = None) -> CrawlStats:
    """Crawl ``sources`` into the store in a child process and return its stats.

    Sources using ``{sample_site}`` need ``sample_site_url``; if none is given the bundled sample site is
    started on a free port for the duration of the crawl. ``refresh`` re-fetches known detail pages (conditional
    GET when the last response carried an ETag or Last-Modified). ``scrapy_settings`` override Scrapy settings."""
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
            write_child_sources(resolved, src_path)
            cmd = child_command(src_path, stats_path, progress=progress, refresh=refresh, scrapy_settings=scrapy_settings)
            proc = subprocess.Popen(cmd, env=_child_env(settings), cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE)
            assert proc.stderr is not None
            follower = ProgressFollower(proc.stderr, show=progress, echo=progress).start()
            try:
                returncode = wait_child(proc, follower, timeout)
            except subprocess.TimeoutExpired as exc:
                raise ZhaoshangError(f"crawl did not finish within {timeout:.0f}s") from exc
            if returncode != 0 or not stats_path.exists():
                tail = "" if progress else follower.tail_text()
                raise ZhaoshangError(f"crawl process failed with exit code {returncode}: {tail}".strip())
            return CrawlStats.from_scrapy(json.loads(stats_path.read_text("utf-8")))
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()


def connect_store(url: str, *, tries: int = 5, wait_s: float = 1.0) -> Any:
    """Store.connect, retried: workers started together on a fresh database race to migrate it; the losers
    fail once and find it migrated on the next try."""
    from core.errors import StoreError
    from core.store import Store

    for attempt in range(1, tries + 1):
        try:
            return Store.connect(url)
        except StoreError:
            if attempt == tries:
                raise
            time.sleep(wait_s * attempt)
    raise AssertionError("unreachable")


def open_crawl_state(settings: Settings) -> CrawlState:
    """Redis-backed state when the crawl is distributed, else JSON files under ``settings.crawl_dir/state``."""
    if settings.redis_url:
        from crawler.distributed import RedisCrawlState

        return RedisCrawlState(settings.redis_url)
    return FileCrawlState(settings.crawl_dir / "state")


def _crawl_here(sources: list[SourceConfig], stats_path: Path, *, progress: bool, refresh: bool,
                overrides: dict[str, Any] | None = None) -> None:
    """Child process: run every source's spider in one Scrapy process and write per-source stats as JSON."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings as ScrapySettings

    from crawler.dedup import canonical_url
    from crawler.pipelines import StoryIndex
    from crawler.spiders.portal import PortalSpider

    scrapy_settings = ScrapySettings()
    scrapy_settings.setmodule("crawler.settings", priority="project")
    scrapy_settings.set("ZHAOSHANG_PROGRESS", progress, priority="cmdline")
    for key, value in (overrides or {}).items():
        if not key.isupper() or key.startswith("ZHAOSHANG_"):
            raise InputError(f"not an overridable Scrapy setting: {key!r}")
        scrapy_settings.set(key, value, priority="cmdline")
    store = connect_store(scrapy_settings.get("ZHAOSHANG_DB_URL"))
    stories = StoryIndex(store, scrapy_settings.getfloat("ZHAOSHANG_STORY_THRESHOLD", 0.8))
    scrapy_settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(scrapy_settings)
    shared = get_settings()
    state = open_crawl_state(shared)
    results: dict[str, dict[str, Any]] = {}
    receivers: list[Any] = []  # Scrapy holds signal receivers weakly: keep them alive
    for source in sources:
        store.upsert_source(source.name, region=source.region, region_code=source.region_code, kind=source.kind,
                            start_urls=source.start_urls)
        known = {canonical_url(u) for u in store.document_urls(source.name)}
        interrupted = state.begin(source.name)
        crawler = process.create_crawler(PortalSpider)
        crawler.zhaoshang_stories = stories  # type: ignore[attr-defined]  # shared: reposts across sources
        if shared.redis_url:  # this source's shared queue and dupefilter (see crawler/distributed.py)
            from crawler.distributed import scheduler_keys

            for key, value in scheduler_keys(source.name, state.generations[source.name]).items():  # type: ignore[attr-defined]
                crawler.settings.set(key, value, priority="cmdline")
            receivers.append(state.guard_idle(crawler, source.name))  # type: ignore[attr-defined]

        def _closed(spider: Any, reason: str, _crawler: Any = crawler, _name: str = source.name,
                    _interrupted: bool = interrupted) -> None:
            state.finish(_name, completed=reason == "finished" and not getattr(spider, "list_failures", 0))
            raw = _crawler.stats.get_stats()
            stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in raw.items()}
            stats["finish_reason"] = reason
            if isinstance(raw.get("start_time"), dt.datetime):  # Scrapy's own elapsed_time_seconds comes later
                stats["zhaoshang/elapsed_s"] = (dt.datetime.now(raw["start_time"].tzinfo) - raw["start_time"]).total_seconds()
            stats["zhaoshang/resumed_after_interruption"] = int(_interrupted)
            results[_name] = stats

        receivers.append(_closed)
        crawler.signals.connect(_closed, signal=signals.spider_closed)
        process.crawl(crawler, source=source.model_dump_json(), known_urls=known, refresh=refresh, state=state,
                      full_walk=interrupted, progress=progress)
    try:
        process.start()
    finally:
        state.close()
        store.close()
    stats_path.write_text(json.dumps(results, ensure_ascii=False, default=str), "utf-8")


def _overrides(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise InputError(f"--scrapy-settings is not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise InputError("--scrapy-settings must be a JSON object")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.run", description="Crawl configured sources into the store.")
    parser.add_argument("--source", action="append", default=[], help="source name (repeatable)")
    parser.add_argument("--all", action="store_true", help="crawl every source in crawler/sources")
    parser.add_argument("--sample-site-url", help="base URL of a running sample site (default: start one)")
    parser.add_argument("--refresh", action="store_true", help="re-fetch known detail pages (conditional GET)")
    parser.add_argument("--scrapy-settings", help="JSON object of Scrapy setting overrides, e.g. '{\"CONCURRENT_REQUESTS\": 32}'")
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--stats-json", help=argparse.SUPPRESS)
    parser.add_argument("--progress", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.child:
            data = json.loads(Path(args.child).read_text("utf-8"))
            sources = [SourceConfig.model_validate(d) for d in data]
            _crawl_here(sources, Path(args.stats_json), progress=args.progress, refresh=args.refresh,
                        overrides=_overrides(args.scrapy_settings))
            return 0
        if args.all == bool(args.source):
            raise InputError("give --source NAME (repeatable) or --all")
        chosen = load_sources(names=None if args.all else args.source)
        stats = run_crawl(chosen, progress=not args.no_progress, sample_site_url=args.sample_site_url,
                          refresh=args.refresh, scrapy_settings=_overrides(args.scrapy_settings))
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
