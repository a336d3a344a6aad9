"""Crawl spider: list pages → detail pages → attachments for one source, with pagination and incremental stops."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from core.errors import DocumentError, InputError, ZhaoshangError
from core.schemas import Attachment
from crawler.dedup import canonical_url
from crawler.extract import article_links, decode_html, extract_attachment, extract_page, next_pages, parse_html
from crawler.extract.html import attachment_links, clean_text
from crawler.items import DocumentItem
from crawler.progress import report_progress
from crawler.sources import SourceConfig
from crawler.state import CrawlState, conditional_headers

MAX_ATTACHMENTS = 10


class PortalSpider(scrapy.Spider):
    """Generic spider: ``source`` is a SourceConfig (or its JSON); ``known_urls`` are canonical URLs already stored.

    ``state`` (optional) supplies conditional-GET validators for ``refresh``; ``full_walk`` follows every list
    page even past pages of known items (set after an interrupted crawl, so a resumed crawl loses nothing)."""

    name = "portal"

    def __init__(self, source: SourceConfig | str | dict[str, Any], known_urls: set[str] | None = None,
                 refresh: bool = False, state: CrawlState | None = None, full_walk: bool = False,
                 progress: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(source, str):
            source = SourceConfig.model_validate_json(source)
        elif isinstance(source, dict):
            source = SourceConfig.model_validate(source)
        if source.uses_sample_site:
            raise InputError(f"source {source.name!r} still has the {{sample_site}} placeholder; resolve it first")
        self.source = source
        self.allowed_domains = [d.split(":")[0] for d in source.allowed_domains]
        self.known_urls = set(known_urls or ())
        self.refresh = refresh
        self.state = state
        self.full_walk = full_walk
        self.progress = progress
        self._list_pages = 0
        self.list_failures = 0  # list pages that could not be read: the crawl is then not complete

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.start_urls:
            yield scrapy.Request(url, callback=self.parse_list, errback=self.on_error)

    # -- helpers ------------------------------------------------------------
    def _decode(self, response: Response) -> str:
        declared = None
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        if "charset=" in ctype:
            declared = ctype.split("charset=", 1)[1].split(";")[0].strip()
        return decode_html(response.body, declared)[0]

    def _is_html(self, response: Response) -> bool:
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        head = response.body[:512].lstrip().lower()
        if head.startswith((b"%pdf", b"pk\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89png", b"\xff\xd8")):
            return False
        return "html" in ctype or "xml" in ctype or head.startswith((b"<!doctype", b"<html", b"<"))

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"zhaoshang/{key}")

    # -- list pages ---------------------------------------------------------
    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        if not self._is_html(response):
            self._count("errors/list_not_html")
            self.list_failures += 1
            return
        html = self._decode(response)
        try:
            tree = parse_html(html)
        except DocumentError:
            self._count("errors/list_unparsable")
            self.list_failures += 1
            return
        self._list_pages += 1
        self._count("list_pages")
        sel = self.source.selectors
        if sel.list_links:
            links = [(urljoin(response.url, a.get("href", "")), clean_text(a.text_content()))
                     for a in tree.cssselect(sel.list_links) if a.get("href")]
        else:
            links = article_links(tree, response.url, self.allowed_domains)
        if not links:
            self._count("list_pages_without_links")
        new = 0
        for url, _title in links:
            try:
                canon = canonical_url(url)
            except InputError:
                continue
            if canon in self.known_urls and not self.refresh:
                self._count("skipped_known")
                continue
            new += 1
            yield self._detail_request(url, canon)
        if links and new == 0 and not self.refresh and not self.full_walk:
            self._count("pagination_stopped_at_known")
            return  # incremental: everything on this page is known, older pages are too
        if self.source.max_pages and self._list_pages >= self.source.max_pages:
            return
        if sel.next_page:
            pages = [urljoin(response.url, a.get("href", "")) for a in tree.cssselect(sel.next_page) if a.get("href")]
        else:
            pages = next_pages(tree, html, response.url)
        for url in pages:
            yield scrapy.Request(url, callback=self.parse_list, errback=self.on_error)

    # -- detail pages -------------------------------------------------------
    def _detail_request(self, url: str, canon: str) -> scrapy.Request:
        """A detail request; known pages on refresh are asked conditionally (If-None-Match / If-Modified-Since)."""
        headers: dict[str, str] = {}
        if self.refresh and self.state is not None and canon in self.known_urls:
            headers = conditional_headers(self.state.validators(self.source.name, canon))
        return scrapy.Request(url, callback=self.parse_detail, errback=self.on_error, headers=headers or None,
                              meta={"handle_httpstatus_list": [304]} if headers else {})

    def _remember_validators(self, response: Response) -> None:
        if self.state is None:
            return
        etag = (response.headers.get(b"ETag") or b"").decode("latin-1").strip() or None
        modified = (response.headers.get(b"Last-Modified") or b"").decode("latin-1").strip() or None
        if etag or modified:
            try:
                self.state.set_validators(self.source.name, canonical_url(response.url), etag, modified)
            except (InputError, ZhaoshangError) as exc:
                self._count("errors/crawl_state")
                self.logger.warning("cannot remember validators of %s: %s", response.url, exc)

    def parse_detail(self, response: Response) -> Iterator[scrapy.Request | DocumentItem]:
        if response.status == 304:  # conditional GET: the stored document is current
            self._count("not_modified")
            self._count("documents_unchanged")
            if self.progress:
                report_progress(self.crawler, self.source.name, "304 " + response.url[-40:])
            return
        self._remember_validators(response)
        if not self._is_html(response):
            self._count("dropped/detail_not_html")
            return
        try:
            page = extract_page(self._decode(response), response.url)
        except DocumentError as exc:
            self._count("dropped/unreadable_page")
            self.logger.warning("cannot extract %s: %s", response.url, exc)
            return
        item = DocumentItem(
            url=response.url, title=page.title, text=page.text, publish_date=page.publish_date,
            source=self.source.name, kind=self.source.kind, issuer=page.issuer, doc_number=page.doc_number,
            attachments=[],
        )
        links = page.attachment_links[:MAX_ATTACHMENTS]
        if self.source.selectors.content:
            tree = parse_html(self._decode(response))
            nodes = tree.cssselect(self.source.selectors.content)
            if nodes:
                item["text"] = "\n".join(clean_text(n.text_content()) for n in nodes)
                links = attachment_links(tree, response.url)[:MAX_ATTACHMENTS]
        yield from self._next_attachment(item, links)

    def _next_attachment(self, item: DocumentItem, pending: list[tuple[str, str, str]]) -> Iterator[Any]:
        if not pending:
            yield item
            return
        url, label, _kind = pending[0]
        yield scrapy.Request(
            url, callback=self.parse_attachment, errback=self.attachment_failed, dont_filter=True,
            cb_kwargs={"item": item, "pending": pending[1:], "label": label},
            meta={"allow_offsite": True, "zs_item": item, "zs_pending": pending[1:], "zs_label": label},
        )

    def parse_attachment(self, response: Response, item: DocumentItem, pending: list[tuple[str, str, str]],
                         label: str) -> Iterator[Any]:
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        attachment = extract_attachment(response.url, response.body, content_type=ctype, label=label)
        self._count("attachments/text" if attachment.text else "attachments/no_text")
        item["attachments"].append(attachment)
        yield from self._next_attachment(item, pending)

    def attachment_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        item, pending, label = request.meta["zs_item"], request.meta["zs_pending"], request.meta["zs_label"]
        reason = failure.getErrorMessage() or type(failure.value).__name__
        item["attachments"].append(Attachment(url=request.url, filename=label or None, kind="other",
                                              error=f"download failed: {reason}"[:300]))
        self._count("attachments/failed")
        yield from self._next_attachment(item, pending)

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        message = failure.getErrorMessage().lower()
        if failure.check(IgnoreRequest) and "robots" in message:  # honoured on purpose; Scrapy counts robotstxt/forbidden
            self._count("ignored/robots")
            return
        if request is not None and getattr(request.callback, "__func__", None) is PortalSpider.parse_list:
            self.list_failures += 1  # older items may sit behind this page: the next crawl walks every page
            self._count("errors/list_page_failed")
        if failure.check(IgnoreRequest):
            if "redirect" in message:
                self._count("errors/too_many_redirects")
                self.logger.warning("redirect loop at %s", getattr(request, "url", "?"))
                return
            self._count("ignored/other")
            return
        self._count(f"errors/{type(failure.value).__name__}")
        self.logger.warning("request failed %s: %s", getattr(request, "url", "?"), failure.getErrorMessage())
