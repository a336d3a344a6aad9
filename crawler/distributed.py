"""Distributed crawl: crawler processes on several machines share one crawl per source through Redis.

Scheduling and the dupefilter are scrapy-redis's (settings.py switches them on when ZHAOSHANG_REDIS_URL is set);
this module decides *which* queue: every source has a generation number, and the scrapy-redis keys are
``zs:crawl:{source}:{generation}:requests`` / ``:dupefilter``. A worker that starts while other workers of the
source are alive (heartbeat keys with a TTL) joins their generation, so start and list pages are fetched once
for the whole cluster; a worker that finds none alive starts a new generation (fresh dupefilter: list pages are
re-read on every crawl). A worker that dies (SIGKILL, lost machine) leaves its entry behind; the next worker
sees its heartbeat expired and marks the source interrupted, so the next crawl walks every list page and the
store (known URLs) decides what is still missing. Validators for conditional GET live in a Redis hash.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from typing import Any

from core.errors import ConfigError, StoreError
from crawler.state import Validators, as_validators

HEARTBEAT_TTL_S = 15
HEARTBEAT_EVERY_S = 3.0
LOCK_TTL_MS = 10_000
IDLE_POLL_S = 1.0  # how often an idle worker looks for requests other workers pushed (Scrapy's default: 5 s)


def _prefix(source: str) -> str:
    return f"zs:crawl:{source}"


def scheduler_keys(source: str, generation: int) -> dict[str, str]:
    """scrapy-redis settings naming this source's queue and dupefilter for one generation."""
    base = f"{_prefix(source)}:{generation}"
    return {"SCHEDULER_QUEUE_KEY": f"{base}:requests", "SCHEDULER_DUPEFILTER_KEY": f"{base}:dupefilter"}


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class RedisCrawlState:
    """CrawlState shared by all workers through Redis; also hands out generations and keeps heartbeats."""

    def __init__(self, url: str, worker_id: str | None = None, *, client: Any = None) -> None:
        import redis

        self.worker_id = worker_id or new_worker_id()
        try:
            self.redis: Any = client or redis.Redis.from_url(url, decode_responses=True)
            self.redis.ping()
        except (redis.RedisError, ValueError) as exc:
            raise ConfigError(f"cannot reach Redis at {url}: {exc}") from exc
        self._error = redis.RedisError
        self.generations: dict[str, int] = {}
        self._stop = threading.Event()
        self._beating: set[str] = set()
        self._thread: threading.Thread | None = None

    # -- coordination -------------------------------------------------------
    def _locked(self, source: str) -> _RedisLock:
        return _RedisLock(self.redis, f"{_prefix(source)}:lock", self.worker_id)

    def _alive(self, source: str, worker: str) -> bool:
        return bool(self.redis.exists(f"{_prefix(source)}:hb:{worker}"))

    def _beat(self, source: str) -> None:
        self.redis.set(f"{_prefix(source)}:hb:{self.worker_id}", "1", ex=HEARTBEAT_TTL_S)

    def begin(self, source: str) -> bool:
        p = _prefix(source)
        try:
            with self._locked(source):
                workers = self.redis.hkeys(f"{p}:workers")
                live = [w for w in workers if self._alive(source, w)]
                dead = [w for w in workers if w not in live]
                if dead:  # a worker vanished without finishing: its in-flight requests may be lost
                    self.redis.set(f"{p}:interrupted", "1")
                    self.redis.hdel(f"{p}:workers", *dead)
                if live:
                    generation = int(self.redis.get(f"{p}:gen") or 0)
                else:
                    old = int(self.redis.get(f"{p}:gen") or 0)
                    self.redis.delete(*scheduler_keys(source, old).values())
                    generation = int(self.redis.incr(f"{p}:gen"))
                self.redis.hset(f"{p}:workers", self.worker_id, json.dumps({"since": time.time()}))
                self._beat(source)
                interrupted = bool(self.redis.exists(f"{p}:interrupted"))
        except self._error as exc:
            raise StoreError(f"Redis crawl state for {source}: {exc}") from exc
        self.generations[source] = generation
        self._beating.add(source)
        self._start_heartbeat()
        return interrupted

    def finish(self, source: str, *, completed: bool) -> None:
        p = _prefix(source)
        self._beating.discard(source)
        try:
            with self._locked(source):
                self.redis.hdel(f"{p}:workers", self.worker_id)
                self.redis.delete(f"{p}:hb:{self.worker_id}")
                others = [w for w in self.redis.hkeys(f"{p}:workers") if self._alive(source, w)]
                if not completed:
                    self.redis.set(f"{p}:interrupted", "1")
                elif not others and not self.redis.hkeys(f"{p}:workers"):
                    self.redis.delete(f"{p}:interrupted")  # the last worker finished cleanly: crawl complete
                if not others and source in self.generations:
                    self.redis.delete(scheduler_keys(source, self.generations[source])["SCHEDULER_DUPEFILTER_KEY"])
        except self._error as exc:
            raise StoreError(f"Redis crawl state for {source}: {exc}") from exc

    def _start_heartbeat(self) -> None:
        if self._thread is not None:
            return

        def run() -> None:
            while not self._stop.wait(HEARTBEAT_EVERY_S):
                for source in list(self._beating):
                    try:
                        self._beat(source)
                    except self._error:
                        pass  # Redis briefly unreachable: the next beat retries; the TTL covers the gap

        self._thread = threading.Thread(target=run, name="zs-heartbeat", daemon=True)
        self._thread.start()

    # -- closing only when the whole crawl is done ------------------------------
    def queue_length(self, source: str) -> int:
        key = scheduler_keys(source, self.generations.get(source, 0))["SCHEDULER_QUEUE_KEY"]
        kind = self.redis.type(key)
        if kind == "zset":
            return int(self.redis.zcard(key))
        if kind == "list":
            return int(self.redis.llen(key))
        return 0

    def set_idle(self, source: str, idle: bool) -> None:
        key = f"{_prefix(source)}:idle:{self.worker_id}"
        if idle:
            self.redis.set(key, "1", ex=HEARTBEAT_TTL_S * 4)
        else:
            self.redis.delete(key)

    def crawl_done(self, source: str) -> bool:
        """True when the shared queue is empty and every live worker of ``source`` is idle."""
        if self.queue_length(source):
            return False
        p = _prefix(source)
        live = [w for w in self.redis.hkeys(f"{p}:workers") if self._alive(source, w)]
        return all(self.redis.exists(f"{p}:idle:{w}") for w in live)

    def guard_idle(self, crawler: Any, source: str) -> IdleGuard:
        """Keep this worker's spider open while other workers may still push requests (see IdleGuard)."""
        return IdleGuard(self, crawler, source)

    # -- validators ---------------------------------------------------------
    def validators(self, source: str, url: str) -> Validators:
        try:
            raw = self.redis.hget(f"{_prefix(source)}:validators", url)
        except self._error as exc:
            raise StoreError(f"Redis crawl state for {source}: {exc}") from exc
        try:
            pair = json.loads(raw) if raw else None
        except ValueError:
            pair = None
        return as_validators(pair)

    def set_validators(self, source: str, url: str, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            return
        try:
            self.redis.hset(f"{_prefix(source)}:validators", url, json.dumps([etag, last_modified]))
        except self._error as exc:
            raise StoreError(f"Redis crawl state for {source}: {exc}") from exc

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=HEARTBEAT_EVERY_S + 1)
        self.redis.close()


class _RedisLock:
    """A short mutual-exclusion lock (SET NX PX) around a worker's join/leave decision."""

    def __init__(self, client: Any, key: str, owner: str) -> None:
        self.client, self.key, self.owner = client, key, owner

    def __enter__(self) -> _RedisLock:
        deadline = time.monotonic() + LOCK_TTL_MS / 1000 * 2
        while not self.client.set(self.key, self.owner, nx=True, px=LOCK_TTL_MS):
            if time.monotonic() > deadline:
                raise StoreError(f"Redis lock {self.key} held too long by {self.client.get(self.key)}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client.get(self.key) == self.owner:
            self.client.delete(self.key)


class IdleGuard:
    """spider_idle handler: an idle worker stays open (DontCloseSpider) until the shared queue is empty and all
    live workers are idle, so a worker that started a moment late (its start page already taken) still helps,
    and no worker leaves requests behind that nobody pops. An idle worker re-checks every IDLE_POLL_S."""

    def __init__(self, state: RedisCrawlState, crawler: Any, source: str) -> None:
        from scrapy import signals
        from scrapy.core.engine import ExecutionEngine

        self.state, self.source, self.idle = state, source, False
        self.waited = 0
        if getattr(ExecutionEngine, "_SLOT_HEARTBEAT_INTERVAL", 0) > IDLE_POLL_S:  # private in Scrapy 2.19
            ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = IDLE_POLL_S
        crawler.signals.connect(self.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.on_busy, signal=signals.request_reached_downloader)

    def on_busy(self, *args: Any, **kwargs: Any) -> None:
        if self.idle:
            self.idle = False
            try:
                self.state.set_idle(self.source, False)
            except self.state._error:
                pass  # the idle flag expires by itself

    def on_idle(self, *args: Any, **kwargs: Any) -> None:
        from scrapy.exceptions import DontCloseSpider

        try:
            self.idle = True
            self.state.set_idle(self.source, True)
            done = self.state.crawl_done(self.source)
        except self.state._error:
            done = True  # Redis gone: nothing more can be shared; close and let the store tell what is missing
        if not done:
            self.waited += 1
            raise DontCloseSpider
