"""Extract: turn fetched bytes (HTML pages, attachments) into text and metadata."""

from crawler.extract.attachments import extract_attachment, kind_of
from crawler.extract.dates import find_publish_date, parse_date
from crawler.extract.encoding import decode_html
from crawler.extract.html import PageContent, extract_page, parse_html
from crawler.extract.listing import article_links, looks_like_article_url, looks_like_title, next_pages

__all__ = [
    "PageContent", "article_links", "decode_html", "extract_attachment", "extract_page", "find_publish_date",
    "kind_of", "looks_like_article_url", "looks_like_title", "next_pages", "parse_date", "parse_html",
]
