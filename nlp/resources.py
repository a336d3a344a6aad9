"""Resources: loaders for the versioned word lists and taxonomy in nlp/resources/ (read once, cached)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from core.errors import ConfigError

RESOURCES = Path(__file__).parent / "resources"
TAXONOMY_FILE = RESOURCES / "anhui_ten_emerging.csv"
NEUTRAL = "中性"
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
        if name in (OTHER_INDUSTRY, NEUTRAL) or name.startswith("!"):
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
def neutral_keywords() -> tuple[str, ...]:
    """Names that contain an industry word by accident (国家电投 holds 家电): they claim their span and count for
    nothing (the ``中性`` row of industry_keywords_extra.csv)."""
    return tuple(w for line in read_list("industry_keywords_extra.csv") if line.partition(",")[0] == NEUTRAL
                 for w in (x.strip() for x in line.partition(",")[2].split(";")) if w)


@lru_cache(maxsize=1)
def keyword_overrides() -> dict[str, str]:
    """Keywords whose industry the taxonomy files under another one, by the annotation guide (robots are
    高端装备制造, not 人工智能): rows ``!industry,word;word`` of industry_keywords_extra.csv."""
    known = industry_keywords()
    out: dict[str, str] = {}
    for line in read_list("industry_keywords_extra.csv"):
        name, _, joined = line.partition(",")
        if name.startswith("!"):
            if name[1:] not in known:
                raise ConfigError(f"industry_keywords_extra.csv names unknown industry {name[1:]!r}")
            out.update({w.strip(): name[1:] for w in joined.split(";") if w.strip()})
    return out


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
