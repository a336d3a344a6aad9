"""Resources: loaders for the versioned word lists and taxonomy in nlp/resources/ (read once, cached)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from core.errors import ConfigError

RESOURCES = Path(__file__).parent / "resources"
TAXONOMY_FILE = RESOURCES / "anhui_ten_emerging.csv"
OTHER_INDUSTRY = "其他"


def read_list(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of ``resources/<name>``."""
    path = RESOURCES / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"nlp resource {path} cannot be read: {exc}") from exc
    return tuple(s for s in (line.split("#", 1)[0].strip() for line in lines) if s)


@lru_cache(maxsize=1)
def industry_keywords() -> dict[str, tuple[str, ...]]:
    """Industry name → keywords, from the Anhui ten emerging industries taxonomy (新一代信息技术: 集成电路;芯片...)."""
    try:
        with TAXONOMY_FILE.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ConfigError(f"taxonomy {TAXONOMY_FILE} cannot be read: {exc}") from exc
    out: dict[str, tuple[str, ...]] = {}
    for row in rows:
        words = [w.strip() for w in (row.get("keywords (compiled)") or "").split(";") if w.strip()]
        out[row["name"]] = (row["name"], *words)
    for line in read_list("industry_keywords_extra.csv"):
        name, _, joined = line.partition(",")
        if name == OTHER_INDUSTRY:
            continue
        if name not in out:
            raise ConfigError(f"industry_keywords_extra.csv names unknown industry {name!r}")
        extra = [w.strip() for w in joined.split(";") if w.strip()]
        out[name] = tuple(dict.fromkeys([*out[name], *extra]))
    return out


@lru_cache(maxsize=1)
def other_keywords() -> tuple[str, ...]:
    """Words of fields outside the ten industries (物流, 纺织, 酒店 …): the ``其他`` row of industry_keywords_extra.csv."""
    words: list[str] = []
    for line in read_list("industry_keywords_extra.csv"):
        name, _, joined = line.partition(",")
        if name == OTHER_INDUSTRY:
            words.extend(w.strip() for w in joined.split(";") if w.strip())
    return tuple(dict.fromkeys(words))


@lru_cache(maxsize=1)
def org_industries() -> dict[str, str]:
    """Well-known company name → industry (resources/org_industries.csv), for names that carry no keyword."""
    known = industry_keywords()
    out: dict[str, str] = {}
    for line in read_list("org_industries.csv"):
        name, _, industry = (part.strip() for part in line.partition(","))
        if industry not in known:
            raise ConfigError(f"org_industries.csv: {name!r} has unknown industry {industry!r}")
        out[name] = industry
    return out
