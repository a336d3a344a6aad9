"""Crawl progress: the child process prints one ``ZS-PROGRESS {json}`` line per stored page; the parent draws a tqdm bar."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import deque
from typing import IO, Any

PREFIX = "ZS-PROGRESS "
TAIL_LINES = 60


def report_progress(crawler: Any, source: str, last: str) -> None:
    """Child side: one machine-readable line on stderr with this source's page and document counts."""
    stats = crawler.stats.get_stats() if crawler is not None and crawler.stats is not None else {}
    docs = sum(int(v) for k, v in stats.items() if k.startswith("zhaoshang/documents_"))
    line = {"source": source, "pages": int(stats.get("response_received_count", 0)), "documents": docs,
            "last": last[:40]}
    print(PREFIX + json.dumps(line, ensure_ascii=False), file=sys.stderr, flush=True)


def parse_progress(line: str) -> dict[str, Any] | None:
    """The payload of a progress line, or None for any other line (or a garbled one)."""
    if not line.startswith(PREFIX):
        return None
    try:
        data = json.loads(line[len(PREFIX):])
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("source"), str):
        return None
    return data


class ProgressFollower:
    """Parent side: reads the child's stderr in a thread, feeds a tqdm bar (pages and documents summed over
    sources), echoes other lines (warnings) when ``echo`` and keeps the last lines for error messages."""

    def __init__(self, stream: IO[bytes], *, show: bool, echo: bool, out: IO[str] | None = None) -> None:
        self.stream = stream
        self.show = show
        self.echo = echo
        self.out = out or sys.stderr
        self.tail: deque[str] = deque(maxlen=TAIL_LINES)
        self.per_source: dict[str, tuple[int, int]] = {}
        self.updates = 0
        self._thread = threading.Thread(target=self._run, name="crawl-progress", daemon=True)

    def start(self) -> ProgressFollower:
        self._thread.start()
        return self

    @property
    def pages(self) -> int:
        return sum(p for p, _ in self.per_source.values())

    @property
    def documents(self) -> int:
        return sum(d for _, d in self.per_source.values())

    def _run(self) -> None:
        bar = None
        if self.show:
            from tqdm import tqdm

            bar = tqdm(desc="crawl", unit="page", file=self.out, dynamic_ncols=True, leave=True)
        try:
            for raw in self.stream:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                data = parse_progress(line)
                if data is None:
                    self.tail.append(line)
                    if self.echo:
                        (bar.write if bar is not None else print)(line, file=self.out)
                    continue
                before = self.pages
                self.per_source[data["source"]] = (int(data.get("pages", 0)), int(data.get("documents", 0)))
                self.updates += 1
                if bar is not None:
                    bar.update(max(0, self.pages - before))
                    bar.set_postfix_str(f"documents={self.documents} {data.get('source')}: {data.get('last', '')}")
        finally:
            if bar is not None:
                bar.close()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def tail_text(self, chars: int = 2000) -> str:
        return "\n".join(self.tail)[-chars:]


def wait_child(proc: subprocess.Popen[bytes], follower: ProgressFollower, timeout: float) -> int:
    """Wait for the child, killing it after ``timeout`` seconds (raises subprocess.TimeoutExpired)."""
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        follower.join(5)
        raise
    follower.join(10)
    return rc
