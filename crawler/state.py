"""Crawl state between runs: conditional-GET validators per URL and whether a source's last crawl was interrupted.

The store stays the truth for *what* is crawled (known detail URLs are skipped); this state only says
*how*: a crawl that was killed, hit a page cap or failed leaves its source marked running, so the next crawl
walks every list page instead of stopping at the first page of known items (nothing is lost on resume).

Two implementations of :class:`CrawlState`: :class:`FileCrawlState` (one JSON file per source under
``settings.crawl_dir/state``; one crawler process at a time) and ``crawler.distributed.RedisCrawlState``
(shared by crawler processes on several machines).
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any, Protocol

from core.errors import StoreError

Validators = tuple[str | None, str | None]  # (ETag, Last-Modified) as the server sent them
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")
FLUSH_EVERY = 50


class CrawlState(Protocol):
    """What a crawl remembers between runs, per source."""

    def begin(self, source: str) -> bool:
        """Mark ``source`` as being crawled; True when its previous crawl did not complete."""

    def finish(self, source: str, *, completed: bool) -> None:
        """End this process's crawl of ``source``; ``completed`` only when the spider finished normally."""

    def validators(self, source: str, url: str) -> Validators:
        """(ETag, Last-Modified) last seen for ``url``, (None, None) when unknown."""

    def set_validators(self, source: str, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators a 200 response carried."""

    def close(self) -> None:
        """Write anything pending and release resources."""


def as_validators(pair: object) -> Validators:
    """A stored ``[etag, last_modified]`` pair as Validators; anything else (missing, corrupt) is (None, None)."""
    return (pair[0], pair[1]) if isinstance(pair, list) and len(pair) == 2 else (None, None)


def conditional_headers(validators: Validators) -> dict[str, str]:
    """Request headers for a conditional GET: If-None-Match from the ETag, If-Modified-Since from Last-Modified."""
    etag, last_modified = validators
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


class FileCrawlState:
    """JSON file per source: ``{"running": bool, "validators": {url: [etag, last_modified]}}``, written atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._data: dict[str, dict[str, Any]] = {}
        self._dirty: dict[str, int] = {}
        self._lock = threading.Lock()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create crawl state directory {self.directory}: {exc}") from exc

    def _path(self, source: str) -> Path:
        return self.directory / f"{_SAFE.sub('_', source)}.json"

    def _load(self, source: str) -> dict[str, Any]:
        if source not in self._data:
            path = self._path(source)
            data: dict[str, Any] = {}
            if path.exists():
                try:
                    data = json.loads(path.read_text("utf-8"))
                except (OSError, ValueError):
                    data = {"running": True}  # unreadable state: assume the worst (full walk), keep crawling
            if not isinstance(data, dict) or not isinstance(data.get("validators", {}), dict):
                data = {"running": True}
            data.setdefault("validators", {})
            data.setdefault("running", False)
            self._data[source] = data
        return self._data[source]

    def _write(self, source: str) -> None:
        path = self._path(source)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(self._data[source], ensure_ascii=False), "utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            raise StoreError(f"cannot write crawl state {path}: {exc}") from exc
        self._dirty[source] = 0

    def begin(self, source: str) -> bool:
        with self._lock:
            data = self._load(source)
            interrupted = bool(data.get("running"))
            data["running"] = True
            self._write(source)
            return interrupted

    def finish(self, source: str, *, completed: bool) -> None:
        with self._lock:
            data = self._load(source)
            data["running"] = data.get("running", False) and not completed
            self._write(source)

    def validators(self, source: str, url: str) -> Validators:
        with self._lock:
            pair = self._load(source)["validators"].get(url)
        return as_validators(pair)

    def set_validators(self, source: str, url: str, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            return
        with self._lock:
            self._load(source)["validators"][url] = [etag, last_modified]
            self._dirty[source] = self._dirty.get(source, 0) + 1
            if self._dirty[source] >= FLUSH_EVERY:
                self._write(source)

    def close(self) -> None:
        with self._lock:
            for source, pending in list(self._dirty.items()):
                if pending:
                    self._write(source)
