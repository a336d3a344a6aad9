"""Sample site content: the bundled seeds and sample policies arranged as a government portal's columns and items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.errors import ConfigError

HERE = Path(__file__).resolve().parent
SEEDS_DIR = HERE / "seeds"
POLICIES_FILE = HERE / "policies.yaml"
PAGE_SIZE = 3


@dataclass(frozen=True)
class Item:
    """One detail page of the sample site."""

    column: str
    slug: str
    title: str
    date: dt.date
    source: str
    paragraphs: tuple[str, ...]
    issuer: str | None = None
    doc_number: str | None = None
    attachment: str | None = None  # "pdf" | "docx" | None
    sample_text: bool = False

    @property
    def path(self) -> str:
        return f"/{self.column}/{self.date:%Y%m}/t{self.date:%Y%m%d}_{self.slug}.html"


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    encoding: str
    pagination: str  # "links" (下一页 + index_N.html) | "script" (createPageHTML)
    items: list[Item] = field(default_factory=list)


def _seed_lines(prefix: str) -> list[str]:
    matches = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    if not matches:
        raise ConfigError(f"sample site seed {prefix}_*.txt missing from {SEEDS_DIR}")
    return [line.strip() for line in matches[0].read_text(encoding="utf-8").splitlines() if line.strip()]


def _news_items() -> list[Item]:
    s000, s002, s003, s004 = _seed_lines("000"), _seed_lines("002"), _seed_lines("003"), _seed_lines("004")
    items = [
        Item("xwdt", "000", "我省十大新興產業“雙招雙引”工作紮實推進", dt.date(2022, 12, 20), "安徽日報", tuple(s000)),
        Item("xwdt", "002", "高郵緣何第十次獲頒招商引資“擂臺賽”紅旗", dt.date(2023, 8, 2), "揚州日報", tuple(s002)),
        Item("xwdt", "003", "蕪湖市掀起招商引資項目攻堅熱潮", dt.date(2020, 6, 15), "蕪湖日報", tuple(s003)),
    ]
    # seed 004 collects four city case reports; each becomes one item, split at its heading line
    starts = [0, 12, 19, 33]
    titles = [
        "杭州产业链精准招商有哪些做法?",
        "绍兴市越城区:实施“三种”服务模式开辟集成电路产业人才引育新路径",
        "嵊州市:如何优化营商环境保障重大项目极速落地?",
        "遂昌县:推进企业投资项目审批改革,助力项目“快落地、快建设、快投产”",
    ]
    for n, (start, end) in enumerate(zip(starts, starts[1:] + [len(s004)], strict=True)):
        lines = s004[start:end]
        head = lines[0]
        if head.startswith(titles[n]):
            rest = head[len(titles[n]):].strip()
            lines = ([rest] if rest else []) + lines[1:]
        items.append(Item("xwdt", f"004{'abcd'[n]}", titles[n], dt.date(2022, 11, 10 + n), "浙江省商务厅", tuple(lines)))
    # a repost of 002 on another page: same story, slightly edited (near-duplicate for dedup)
    repost = list(s002)
    repost[0] = "（转载）" + repost[0]
    items.append(
        Item("xwdt", "002r", "转载：高郵招商引資“擂臺賽”再奪紅旗", dt.date(2023, 8, 5), "高郵市融媒體中心", tuple(repost))
    )
    return sorted(items, key=lambda i: (i.date, i.slug), reverse=True)


def _policy_items() -> list[Item]:
    s001 = _seed_lines("001")
    source = s001[-1].split(":", 1)[-1] if s001[-1].startswith("来源") else "淮南市人民政府办公室"
    items = [
        Item("zcwj", "001", "淮南市大力发展六大新兴产业“双招双引”工作方案", dt.date(2021, 9, 30), source,
             tuple(line for line in s001 if not line.startswith("来源")), issuer="淮南市人民政府办公室"),
    ]
    try:
        data = yaml.safe_load(POLICIES_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{POLICIES_FILE.name}: cannot read sample policies: {exc}") from exc
    for p in data:
        items.append(Item(
            "zcwj", p["slug"], p["title"], dt.date.fromisoformat(p["date"]), p["source"],
            tuple(line.strip() for line in p["body"].splitlines() if line.strip()),
            issuer=p["issuer"], doc_number=p["doc_number"], attachment=p.get("attachment"),
            sample_text=bool(p.get("sample")),
        ))
    return sorted(items, key=lambda i: (i.date, i.slug), reverse=True)


def columns() -> list[Column]:
    """The site's columns: 新闻动态 (UTF-8, 下一页 links) and 政策文件 (GBK, script pagination)."""
    return [
        Column("xwdt", "新闻动态", "utf-8", "links", _news_items()),
        Column("zcwj", "政策文件", "gbk", "script", _policy_items()),
    ]


def pages_of(items: list[Item], size: int = PAGE_SIZE) -> list[list[Item]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def page_name(n: int) -> str:
    return "index.html" if n == 0 else f"index_{n}.html"
