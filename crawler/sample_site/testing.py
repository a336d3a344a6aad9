"""Sample site for tests: a page of the sample site as a Scrapy HtmlResponse, without a server."""

from __future__ import annotations

from scrapy.http import HtmlResponse

from crawler.sample_site.site import build_site

SAVED_BASE = "http://portal.example.gov.cn"


def saved_response(path: str, *, base: str = SAVED_BASE, encoding: str | None = None) -> HtmlResponse:
    """The page at ``path`` as Scrapy would receive it (GBK pages decoded as gb18030, like Scrapy's tests)."""
    page = build_site()[path]
    declared = page.content_type.split("charset=")[-1] if "charset=" in page.content_type else "utf-8"
    return HtmlResponse(f"{base}{path}", body=page.body, headers={"Content-Type": page.content_type},
                        encoding=encoding or ("gb18030" if declared == "gbk" else declared))
