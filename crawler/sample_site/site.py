"""Sample site: render every page of the bundled portal (Jinja2) and serve it with a stdlib ThreadingHTTPServer."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from crawler.sample_site.content import HERE, Column, Item, columns, page_name, pages_of
from crawler.sample_site.files import DOCX_TITLE, PDF_TITLE, build_docx, build_pdf
from crawler.sample_site.hostile import HostileBehaviour

ROBOTS = "User-agent: *\nDisallow: /private/\n"
PRIVATE_PATH = "/private/t20230105_notice.html"
CSS = "body{font-family:sans-serif}.sidebar{float:right;width:200px}.main{float:left;width:700px}\n"


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str
    status: int = 200
    last_modified: dt.datetime | None = None  # detail pages: their publish date (sent as Last-Modified)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'


def not_modified(page: Page, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins; else If-Modified-Since against Last-Modified."""
    if if_none_match:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or page.etag in tags
    if if_modified_since and page.last_modified is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        return page.last_modified <= since
    return False


def _attachment(item: Item) -> dict[str, str] | None:
    if item.attachment == "pdf":
        return {"href": f"/{item.column}/files/{item.slug}_guide.pdf", "title": PDF_TITLE + ".pdf"}
    if item.attachment == "docx":
        return {"href": f"/{item.column}/files/{item.slug}_form.docx", "title": DOCX_TITLE + ".docx"}
    return None


def _html(text: str, column: Column | None = None, published: dt.date | None = None) -> Page:
    encoding = column.encoding if column else "utf-8"
    modified = dt.datetime.combine(published, dt.time(8, 0), dt.UTC) if published else None
    return Page(text.encode(encoding), f"text/html; charset={encoding}", last_modified=modified)


@lru_cache(maxsize=1)
def build_site() -> dict[str, Page]:
    """Every path of the sample site mapped to its response; deterministic (fixed dates, fixed file metadata)."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    env.globals["page_name"] = page_name
    cols = columns()
    site: dict[str, Page] = {
        "/robots.txt": Page(ROBOTS.encode(), "text/plain; charset=utf-8"),
        "/static/site.css": Page(CSS.encode(), "text/css"),
        "/": _html(env.get_template("home.html").render(columns=cols, charset="utf-8")),
        PRIVATE_PATH: _html(env.get_template("private.html").render(charset="utf-8")),
    }
    site["/index.html"] = site["/"]
    for column in cols:
        pages = pages_of(column.items)
        for n, items in enumerate(pages):
            extras: list[dict[str, Any]] = []
            if column.key == "xwdt" and n == 1:
                extras.append({"href": PRIVATE_PATH, "title": "内部工作通知（仅限内网）", "date": "2023-01-05"})
            html = env.get_template("list.html").render(
                column=column, items=items, extras=extras, page=n, total=len(pages), charset=column.encoding
            )
            site[f"/{column.key}/{page_name(n)}"] = _html(html, column)
        for item in column.items:
            attachment = _attachment(item)
            html = env.get_template("detail.html").render(
                column=column, item=item, attachment=attachment, charset=column.encoding
            )
            site[item.path] = _html(html, column, item.date)
            if attachment and item.attachment == "pdf":
                site[attachment["href"]] = Page(build_pdf(), "application/pdf")
            elif attachment and item.attachment == "docx":
                site[attachment["href"]] = Page(
                    build_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                )
    return site


def detail_paths() -> list[str]:
    """Paths of every public detail page (what a crawl must store exactly once)."""
    return [item.path for column in columns() for item in column.items]


class _Handler(BaseHTTPRequestHandler):
    server: SampleSiteServer

    def do_GET(self) -> None:  # noqa: N802 - stdlib API
        path, query = urlsplit(self.path).path, urlsplit(self.path).query
        self.server.record(path)
        hostile = self.server.hostile.respond(path, query) if path.startswith("/hostile/") else None
        if hostile is not None:
            status, headers, body = hostile
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        page = self.server.site.get(path)
        if page is None:
            page = Page("<html><body><h1>404 页面不存在</h1></body></html>".encode(), "text/html; charset=utf-8", 404)
        elif path != "/robots.txt":
            delay = self.server.page_delay(path) if callable(self.server.page_delay) else self.server.page_delay
            if delay:
                time.sleep(delay)
        if page.status == 200 and not_modified(page, self.headers.get("If-None-Match"),
                                               self.headers.get("If-Modified-Since")):
            self.server.record_status(path, 304)
            self.send_response(304)
            self.send_header("ETag", page.etag)
            self.end_headers()
            return
        self.server.record_status(path, page.status)
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        if page.status == 200:
            self.send_header("ETag", page.etag)
            if page.last_modified is not None:
                self.send_header("Last-Modified", format_datetime(page.last_modified, usegmt=True))
        self.end_headers()
        self.wfile.write(page.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return


class SampleSiteServer(ThreadingHTTPServer):
    """The sample portal; ``base_url`` is where it listens, ``requested`` lists every path asked for and
    ``statuses`` the (path, status) of every non-hostile answer. ``site`` replaces the bundled pages (e.g. a
    synthetic portal); ``page_delay`` slows pages down: seconds, or a function of the path (for stop-and-resume
    tests and benchmarks)."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, host: str, port: int, *, site: dict[str, Page] | None = None,
                 page_delay: float | Callable[[str], float] = 0.0) -> None:
        self.site = build_site() if site is None else site
        self.hostile = HostileBehaviour()
        self.page_delay = page_delay
        self.requested: list[str] = []
        self.statuses: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        super().__init__((host, port), _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up (a crawler refusing a huge page) are normal here; other errors are printed."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def record(self, path: str) -> None:
        with self._lock:
            self.requested.append(path)

    def record_status(self, path: str, status: int) -> None:
        with self._lock:
            self.statuses.append((path, status))

    def start(self) -> SampleSiteServer:
        """Serve in a daemon thread and return self (call ``shutdown()`` then ``server_close()`` to stop)."""
        threading.Thread(target=self.serve_forever, name="sample-site", daemon=True).start()
        return self


def make_sample_site(host: str = "127.0.0.1", port: int = 0, *, site: dict[str, Page] | None = None,
                     page_delay: float | Callable[[str], float] = 0.0) -> SampleSiteServer:
    """A sample site server bound to host:port (port 0 picks a free port), not yet serving; call ``.start()``."""
    return SampleSiteServer(host, port, site=site, page_delay=page_delay)


def serve_sample_site(host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve the sample site until interrupted (blocking)."""
    server = make_sample_site(host, port)
    try:
        server.serve_forever()
    finally:
        server.server_close()
