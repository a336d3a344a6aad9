"""Sample site, synthetic portal: a few hundred generated news pages (same templates) served from memory, for
throughput benchmarks and stop-and-resume tests. Text is recombined from the bundled seeds, deterministic."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from core.errors import InputError
from crawler.sample_site.content import HERE, SEEDS_DIR, Column, Item, page_name, pages_of
from crawler.sample_site.site import ROBOTS, Page, _html
from crawler.sources import SourceConfig

COLUMN = "sjxw"
SOURCE_NAME = "synthetic_news"


def _seed_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for line in path.read_text("utf-8").splitlines():
            sentences.extend(s + "。" for s in line.strip().split("。") if len(s) >= 12)
    if not sentences:
        raise InputError(f"no seed sentences under {SEEDS_DIR}")
    return sentences


def synthetic_items(n_items: int, *, seed: int = 7) -> list[Item]:
    """``n_items`` distinct news items, newest first, each 4-8 paragraphs of recombined seed sentences."""
    if n_items < 1:
        raise InputError("a synthetic portal needs at least one item")
    rng = random.Random(seed)
    sentences = _seed_sentences()
    start = dt.date(2024, 12, 31)
    items = []
    for n in range(n_items):
        paragraphs = tuple("".join(rng.sample(sentences, rng.randint(2, 4))) for _ in range(rng.randint(4, 8)))
        title = f"示例市招商引资动态第{n + 1}期：" + paragraphs[0][:18].rstrip("，,。")
        paragraphs = (f"（第{n + 1}期）" + paragraphs[0], *paragraphs[1:])
        items.append(Item(COLUMN, f"s{n:05d}", title, start - dt.timedelta(days=n // 3), "示例市融媒体中心", paragraphs))
    return items


def build_synthetic_site(n_items: int = 300, *, page_size: int = 20, seed: int = 7) -> dict[str, Page]:
    """Path → page for a portal with one column of ``n_items`` detail pages and ``page_size`` items per list page."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    env.globals["page_name"] = page_name
    column = Column(COLUMN, "示例新闻", "utf-8", "links", synthetic_items(n_items, seed=seed))
    site: dict[str, Page] = {"/robots.txt": Page(ROBOTS.encode(), "text/plain; charset=utf-8")}
    pages = pages_of(column.items, page_size)
    for n, items in enumerate(pages):
        ctx: dict[str, Any] = {"column": column, "items": items, "extras": [], "page": n, "total": len(pages)}
        site[f"/{COLUMN}/{page_name(n)}"] = _html(env.get_template("list.html").render(charset="utf-8", **ctx), column)
    detail = env.get_template("detail.html")
    for item in column.items:
        html = detail.render(column=column, item=item, attachment=None, charset="utf-8")
        site[item.path] = _html(html, column, item.date)
    return site


def synthetic_detail_paths(site: dict[str, Page]) -> list[str]:
    return sorted(p for p in site if p.startswith(f"/{COLUMN}/") and not p.rsplit("/", 1)[-1].startswith("index"))


def synthetic_source(base_url: str, name: str = SOURCE_NAME) -> SourceConfig:
    """The SourceConfig crawling the synthetic portal served at ``base_url``."""
    return SourceConfig(name=name, region="示例市", region_code="340100", kind="news",
                        start_urls=[f"{base_url}/{COLUMN}/index.html"], allowed_domains=[base_url.split("//", 1)[1].split("/")[0].split(":")[0]],
                        tags=["test"])
