"""Sample site for tests: a page of the sample site as a Scrapy HtmlResponse, without a server; a stand-in crawler."""

from __future__ import annotations

from collections.abc import Mapping

from scrapy.http import HtmlResponse

from crawler.sample_site.site import build_site

SAVED_BASE = "http://portal.example.gov.cn"


def saved_response(path: str, *, base: str = SAVED_BASE, encoding: str | None = None) -> HtmlResponse:
    """The page at ``path`` as Scrapy would receive it (GBK pages decoded as gb18030, like Scrapy's tests)."""
    page = build_site()[path]
    declared = page.content_type.split("charset=")[-1] if "charset=" in page.content_type else "utf-8"
    return HtmlResponse(f"{base}{path}", body=page.body, headers={"Content-Type": page.content_type},
                        encoding=encoding or ("gb18030" if declared == "gbk" else declared))


class FakeStats:
    """Scrapy's stats collector in memory: what spiders and pipelines count, readable as ``values``."""

    def __init__(self, values: Mapping[str, int] | None = None) -> None:
        self.values: dict[str, int] = dict(values or {})

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count

    def get_stats(self) -> dict[str, int]:
        return self.values


class FakeCrawler:
    """The part of a Scrapy ``Crawler`` that spiders and pipelines touch: its own ``stats``."""

    def __init__(self, stats: FakeStats | None = None) -> None:
        self.stats = stats if stats is not None else FakeStats()
