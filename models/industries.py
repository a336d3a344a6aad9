"""Match step, industries: the bundled taxonomies as data and a keyword + embedding industry classifier."""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.errors import ConfigError, InputError
from models.embedder import Embedder
from models.text import to_simplified

TAXONOMY_DIR = Path(__file__).resolve().parent / "resources" / "taxonomy"
TAXONOMIES: tuple[str, ...] = ("anhui_ten_emerging", "strategic_emerging_2018", "gbt4754_2017")
OTHER = "其他"
# Classified level per taxonomy: the level whose names a lead's industry field holds.
DEFAULT_LEVELS: dict[str, tuple[str, ...]] = {
    "anhui_ten_emerging": ("产业",),
    "strategic_emerging_2018": ("中类",),
    "gbt4754_2017": ("大类",),
}
_SUFFIXES = ("制造", "服务", "种植", "养殖", "开发", "生产", "加工", "产业", "行业", "业")
# Words that name no industry on their own (parts of official names such as 羽毛（绒）加工及制品制造).
_GENERIC = frozenset(
    {
        "加工",
        "制品",
        "制造",
        "生产",
        "服务",
        "设备",
        "产品",
        "材料",
        "用品",
        "开发",
        "管理",
        "销售",
        "批发",
        "零售",
        "工程",
        "技术",
        "建设",
        "利用",
        "种植",
        "养殖",
        "相关",
        "配套",
        "专用",
        "通用",
        "其他",
        "活动",
        "组件",
        "零部件",
        "器材",
        "装置",
        "机械",
        "原料",
        "制作",
        "修理",
        "维修",
        "辅助",
        "代理",
        "经纪",
    }
)
_GENERIC_RUN = re.compile("(?:" + "|".join(sorted(_GENERIC, key=len, reverse=True)) + ")+")
EXTRA_KEYWORDS = Path(__file__).resolve().parent / "resources" / "industry_keywords_extra.csv"
_NOISE = re.compile(r"[0-9０-９.．%％]+|[A-Za-z]{1,2}(?![A-Za-z])")


@dataclass(frozen=True)
class Industry:
    """One taxonomy entry."""

    taxonomy: str
    code: str
    name: str
    level: str
    parent: str | None = None
    description: str = ""
    keywords: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class IndustryScore:
    taxonomy: str
    code: str
    name: str
    score: float
    keyword_hits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    name: str
    entries: tuple[Industry, ...]

    def by_code(self, code: str) -> Industry:
        for entry in self.entries:
            if entry.code == code:
                return entry
        raise InputError(f"no industry {code!r} in taxonomy {self.name}")

    def level(self, *levels: str) -> list[Industry]:
        return [e for e in self.entries if e.level in levels]

    def children(self, code: str) -> list[Industry]:
        return [e for e in self.entries if e.parent == code]


def _strip_suffixes(word: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 2 and not stem.endswith(("相关", "其他")):
                word, changed = stem, True
                break
    return word


def _is_generic(word: str) -> bool:
    return word.startswith(("其", "相关")) or bool(_GENERIC_RUN.fullmatch(word))


def _name_keywords(name: str) -> tuple[str, ...]:
    """Matching words derived from an official name: the name, its parts, the parts without suffixes."""
    words = {name}
    for part in re.split(r"[、，,和及与（）()]", name):
        part = part.strip()
        if part.startswith("其他") or len(part) < 2:
            continue
        words.add(part)
        words.add(_strip_suffixes(part))
    return tuple(sorted(w for w in words if len(w) >= 2 and not _is_generic(w)))


def _extra_keywords(taxonomy: str) -> dict[str, tuple[str, ...]]:
    """zhaoshang's own additional keywords (models/resources/industry_keywords_extra.csv), by industry name."""
    if not EXTRA_KEYWORDS.is_file():
        return {}
    return {
        row["name"]: tuple(k.strip() for k in row["keywords"].split(";") if k.strip())
        for row in _read(EXTRA_KEYWORDS)
        if row["taxonomy"] == taxonomy
    }


def _read(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ConfigError(f"taxonomy file {path} is missing")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=8)
def load_taxonomy(name: str = "anhui_ten_emerging") -> Taxonomy:
    """One of ``TAXONOMIES`` from models/resources/taxonomy/ (cached, immutable)."""
    if name not in TAXONOMIES:
        raise InputError(f"unknown taxonomy {name!r}; expected one of {', '.join(TAXONOMIES)}")
    rows = _read(TAXONOMY_DIR / f"{name}.csv")
    entries: list[Industry] = []
    extra = _extra_keywords(name)
    if name == "anhui_ten_emerging":
        for row in rows:
            keywords = tuple(k.strip() for k in row["keywords (compiled)"].split(";") if k.strip())
            keywords += extra.get(row["name"], ())
            entries.append(
                Industry(
                    name,
                    row["seq"],
                    row["name"],
                    "产业",
                    None,
                    row["official_facts (from cited public reports)"],
                    tuple(sorted({*keywords, *_name_keywords(row["name"])})),
                )
            )
    elif name == "strategic_emerging_2018":
        unnumbered: dict[str, int] = {}
        for row in rows:
            if row["level"] not in ("大类", "中类", "小类"):
                continue
            code = row["code"]
            if not code:  # 小类 without an official number: parent + running letter-free index
                unnumbered[row["parent_code"]] = unnumbered.get(row["parent_code"], 0) + 1
                code = f"{row['parent_code']}.x{unnumbered[row['parent_code']]}"
            entries.append(
                Industry(
                    name,
                    code,
                    row["name"],
                    row["level"],
                    row["parent_code"] or None,
                    row.get("note", "") if row["code"] else "",
                    _name_keywords(row["name"]),
                )
            )
    else:
        for row in rows:
            entries.append(
                Industry(
                    name,
                    row["code"],
                    row["name"],
                    row["level"],
                    row["parent_code"] or None,
                    row["description"],
                    _name_keywords(row["name"]),
                )
            )
    if not entries:
        raise ConfigError(f"taxonomy {name} is empty")
    return Taxonomy(name, tuple(entries))


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    escaped = re.escape(keyword)
    if re.fullmatch(r"[A-Za-z0-9]+", keyword):  # AI, 5G, VR: whole Latin words only
        return re.compile(rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])", re.IGNORECASE)
    return re.compile(escaped, re.IGNORECASE)


class IndustryMatcher:
    """Classify text into one taxonomy by keyword hits and embedding similarity.

    Each label is represented by its name and its keywords, each embedded once at construction; the
    semantic part is the best cosine between the text and any of them (numbers and one- or two-letter
    Latin fragments are removed first). ``score = keyword_weight * h/(h+1) + (1 - keyword_weight) *
    max(cosine, 0)`` where ``h`` sums min(len, 4)/2 over distinct keywords found; ``best`` returns 其他
    when the top score is below ``threshold``.
    """

    def __init__(
        self,
        embedder: Embedder,
        taxonomy_name: str = "anhui_ten_emerging",
        levels: tuple[str, ...] | None = None,
        keyword_weight: float = 0.5,
        threshold: float = 0.35,
    ) -> None:
        self.taxonomy = load_taxonomy(taxonomy_name)
        self.labels = self.taxonomy.level(*(levels or DEFAULT_LEVELS[taxonomy_name]))
        if not self.labels:
            raise ConfigError(f"taxonomy {taxonomy_name} has no entries at levels {levels}")
        self.embedder = embedder
        self.keyword_weight = keyword_weight
        self.threshold = threshold
        self._patterns = [[(k, _keyword_pattern(k)) for k in self._label_keywords(e)] for e in self.labels]
        phrases: list[str] = []
        owners: list[int] = []
        for i, entry in enumerate(self.labels):
            for phrase in dict.fromkeys([entry.name, *self._label_keywords(entry)]):
                phrases.append(phrase)
                owners.append(i)
        self._owners = np.asarray(owners, dtype=np.int64)
        self._vectors = embedder.encode(phrases)

    def _label_keywords(self, entry: Industry) -> list[str]:
        words = set(entry.keywords)
        for child in self.taxonomy.children(entry.code):  # 大类/中类 also match their children's names
            words.update(child.keywords)
        return sorted(words, key=lambda w: (-len(w), w))

    def _similarities(self, text: str) -> np.ndarray:
        cleaned = _NOISE.sub(" ", text)
        if not cleaned.strip():
            return np.zeros(len(self.labels), dtype=np.float32)
        sims = (self.embedder.encode([cleaned]) @ self._vectors.T)[0]
        best = np.full(len(self.labels), -1.0, dtype=np.float32)
        np.maximum.at(best, self._owners, sims.astype(np.float32))
        return best

    def _keyword_hits(self, plain: str) -> list[tuple[str, ...]]:
        """Distinct keywords found per label; a match inside a longer match of any label does not count
        (汽车 inside 新能源汽车 counts only for the label owning 新能源汽车)."""
        spans: list[tuple[int, int, int, str]] = []  # start, end, label, keyword
        for label, patterns in enumerate(self._patterns):
            for keyword, pattern in patterns:
                spans.extend((m.start(), m.end(), label, keyword) for m in pattern.finditer(plain))
        spans.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int, int, str]] = []
        reach = -1  # furthest end of the spans before the current (start, end) group
        group_reach = -1
        previous: tuple[int, int] | None = None
        for start, end, label, keyword in spans:
            if (start, end) != previous:
                reach = max(reach, group_reach)
                previous = (start, end)
                group_reach = end
            if reach < end:  # not inside an earlier, longer span
                kept.append((start, end, label, keyword))
        hits: list[dict[str, None]] = [{} for _ in self.labels]
        for _, _, label, keyword in sorted(kept):
            hits[label][keyword] = None
        return [tuple(h) for h in hits]

    def classify(self, text: str, top: int | None = None) -> list[IndustryScore]:
        """All labels scored for ``text``, best first (``top`` limits the list)."""
        if not isinstance(text, str) or not text.strip():
            raise InputError("industry classification needs non-empty text")
        plain = to_simplified(text)
        sims = self._similarities(plain)
        label_hits = self._keyword_hits(plain)
        scored: list[IndustryScore] = []
        for entry, hits, sim in zip(self.labels, label_hits, sims, strict=True):
            weighted = sum(min(len(k), 4) / 2 for k in hits)
            kw = weighted / (weighted + 1.0)
            score = self.keyword_weight * kw + (1 - self.keyword_weight) * max(float(sim), 0.0)
            scored.append(IndustryScore(self.taxonomy.name, entry.code, entry.name, round(score, 4), hits))
        scored.sort(key=lambda s: (-s.score, s.code))
        return scored[:top] if top else scored

    def best_score(self, text: str) -> IndustryScore | None:
        """The top label, or None when its score is below the threshold."""
        top = self.classify(text, top=1)[0]
        return top if top.score >= self.threshold and not math.isnan(top.score) else None

    def best(self, text: str) -> str:
        """The best label's name, or 其他 below the threshold."""
        found = self.best_score(text)
        return found.name if found else OTHER


def classify_all(text: str, matchers: list[IndustryMatcher]) -> dict[str, IndustryScore | None]:
    """Best label per taxonomy (None where below threshold) for prebuilt matchers, one per taxonomy."""
    return {m.taxonomy.name: m.best_score(text) for m in matchers}


def all_matchers(embedder: Embedder) -> list[IndustryMatcher]:
    """One matcher per bundled taxonomy (GB/T 4754 at 大类, SEI-2018 at 中类), built once and injected."""
    return [IndustryMatcher(embedder, name) for name in TAXONOMIES]
