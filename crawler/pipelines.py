"""Crawl pipeline: validate items, deduplicate (URL, content hash, MinHash reposts) and save Documents to the Store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from core.errors import InputError, ZhaoshangError
from core.schemas import Document
from core.store import Store
from crawler.dedup import StoryGrouper, canonical_url, content_hash
from crawler.items import DocumentItem
from crawler.progress import report_progress

MIN_TEXT_CHARS = 20


class StoryIndex:
    """Near-duplicate index over every stored document; one per crawl process, shared by all its spiders
    (the child process attaches it to each crawler as ``crawler.zhaoshang_stories``)."""

    def __init__(self, store: Store, threshold: float = 0.8) -> None:
        self.store = store
        self.grouper = StoryGrouper(threshold)
        self.story_of: dict[int, int | None] = {}
        self.loaded = False

    def load(self) -> None:
        """Index the documents already stored (once)."""
        if self.loaded:
            return
        offset = 0
        while True:
            docs = self.store.list_documents(limit=500, offset=offset)
            for doc in docs:
                if doc.id is not None:
                    self.grouper.add(doc.id, doc.text)
                    self.story_of[doc.id] = doc.story_id
            if len(docs) < 500:
                break
            offset += 500
        self.loaded = True

    def group(self, doc_id: int, doc: Document) -> tuple[bool, bool]:
        """Put a near-duplicate (or an exact repost at another URL) into its original's story.

        Returns (grouped, story_created)."""
        match = self.grouper.add(doc_id, doc.text)
        self.story_of.setdefault(doc_id, None)
        if match is None or match == doc_id:
            return False, False
        story = self.story_of.get(match) or self.story_of.get(doc_id)
        created = story is None
        if story is None:
            story = self.store.create_story(doc.title)
        self.store.set_story([match, doc_id], story)
        self.story_of[match] = self.story_of[doc_id] = story
        return True, created


class StorePipeline:
    """Writes each DocumentItem through Store.save_document and groups reposts into stories."""

    def __init__(self, crawler: Crawler, store: Store, *, stories: StoryIndex, progress: bool) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = store
        self.stories = stories
        self.progress = progress

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        store = Store.connect(settings.get("ZHAOSHANG_DB_URL"))
        stories = getattr(crawler, "zhaoshang_stories", None) or StoryIndex(
            store, settings.getfloat("ZHAOSHANG_STORY_THRESHOLD", 0.8)
        )
        return cls(crawler, store, stories=stories, progress=settings.getbool("ZHAOSHANG_PROGRESS"))

    def open_spider(self) -> None:
        self.stories.load()

    def close_spider(self) -> None:
        self.store.close()

    def _drop(self, reason: str, url: Any) -> DropItem:
        self.stats.inc_value(f"zhaoshang/dropped/{reason}")
        return DropItem(f"{reason}: {url}")

    def process_item(self, item: DocumentItem) -> DocumentItem:
        url = item.get("url")
        text = (item.get("text") or "").strip()
        title = (item.get("title") or "").strip()
        if not title:
            raise self._drop("no_title", url)
        if len(text) < MIN_TEXT_CHARS:
            raise self._drop("text_too_short", url)
        try:
            canonical = canonical_url(str(url))
            doc = Document(
                url=canonical, canonical_url=canonical, title=title[:500], publish_date=item.get("publish_date"),
                source=item["source"], kind=item["kind"], text=text, content_hash=content_hash(text),
                fetched_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), issuer=item.get("issuer"),
                doc_number=item.get("doc_number"), attachments=item.get("attachments") or [],
            )
        except (InputError, ValidationError) as exc:
            raise self._drop("invalid_document", f"{url} ({str(exc).splitlines()[0]})") from exc
        try:
            doc_id, outcome = self.store.save_document(doc)
            self.stats.inc_value(f"zhaoshang/documents_{outcome}")
            if outcome != "unchanged":
                grouped, story_created = self.stories.group(doc_id, doc)
                if grouped:
                    self.stats.inc_value("zhaoshang/grouped_into_stories")
                if story_created:
                    self.stats.inc_value("zhaoshang/stories_created")
        except ZhaoshangError as exc:
            self.stats.inc_value("zhaoshang/errors")
            raise self._drop("store_error", f"{url} ({exc})") from exc
        if self.progress:
            report_progress(self.crawler, str(item["source"]), title)
        return item
