"""Crawl items: what the spider hands to the store pipeline for each detail page."""

from __future__ import annotations

import scrapy


class DocumentItem(scrapy.Item):
    """One detail page (news item or policy document) with its attachments."""

    url = scrapy.Field()
    title = scrapy.Field()
    text = scrapy.Field()
    publish_date = scrapy.Field()  # datetime.date | None
    source = scrapy.Field()
    kind = scrapy.Field()  # news | policy
    issuer = scrapy.Field()
    doc_number = scrapy.Field()
    attachments = scrapy.Field()  # list[core.schemas.Attachment]
