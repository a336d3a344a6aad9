"""Location: place names in text with 6-digit region codes, hierarchy context and a stoplist of false places."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from nlp.regions import NATIONAL_CODE, RegionIndex, default_regions
from nlp.resources import read_list
from nlp.trie import trie_pattern

_TITLE_BEFORE_ZHANG = set("市县区省镇乡州局部院会行社校事组厅处科队所站")
# what may stand before a guarded county name (和县): the start of a clause, 在, 于, 落户, 位于
_GUARD_OK = re.compile(r"(?:^|[，,。；;：:、\s（(“\"]|[在于]|落户|位于)$")
_LEVEL_RANK = {"country": 0, "province": 1, "city": 2, "park": 3, "county": 4}


@dataclass(frozen=True)
class Place:
    """A place mention: the text as written, the region's official name and code, its level and span."""

    text: str
    name: str
    code: str
    level: str
    start: int
    end: int

    @property
    def rank(self) -> int:
        return _LEVEL_RANK.get(self.level, 0)


class PlaceFinder:
    """Finds places in text; built once from a RegionIndex (one trie regex over all names)."""

    def __init__(self, regions: RegionIndex | None = None, cut: Callable[[str], list[str]] | None = None) -> None:
        self.regions = regions or default_regions()
        self._cut = cut
        stop = set(read_list("place_stoplist.txt"))
        self._guarded = frozenset(read_list("place_guarded.txt"))
        names = [n for n in self.regions.names() if len(n) >= 2 and n not in stop and n not in ("国家", "国务院")]
        blockers = read_list("place_blockers.txt")
        self._pattern = re.compile(f"(?:{trie_pattern(names)})(?!{trie_pattern(blockers)})")
        self._national = set(self.regions.by_code[NATIONAL_CODE].aliases) | {"全国"}

    def find(self, text: str, *, within: str | None = None, skip: list[tuple[int, int]] | None = None) -> list[Place]:
        """Places in ``text``; ``within`` (a code) settles ambiguous names; spans in ``skip`` (orgs) are ignored."""
        out: list[Place] = []
        for m in self._pattern.finditer(text):
            if skip and any(s <= m.start() < e for s, e in skip):
                continue
            name = m.group(0)
            if name in self._national or (name in self._guarded and (
                    not _GUARD_OK.search(text, 0, m.start()) or text[m.end() : m.end() + 1] in ("城", "级"))):
                continue
            region = self.regions.lookup(name, within=within)
            if region is None:
                continue
            end = m.end()
            # an older county name written in full (孟津县 for today's 孟津区): the suffix belongs to the place
            if name != region.name and region.level == "county" and text[end : end + 1] in ("县", "区", "市", "旗"):
                end += 1
            if (name != region.name or len(name) == 2) and not self._plausible(text, m.start(), end):
                continue
            out.append(Place(text[m.start() : end], region.name, region.code, region.level, m.start(), end))
        return out

    def _plausible(self, text: str, start: int, end: int) -> bool:
        """A short name (安庆, 高邮) must not be part of a title or word (市长武…, 热火朝天)."""
        if start and text[start] == "长" and text[start - 1] in _TITLE_BEFORE_ZHANG:
            return False
        if self._cut is None:
            return True
        left = max(0, start - 4)
        bounds = {left}
        pos = left
        for token in self._cut(text[left : end + 4]):
            pos += len(token)
            bounds.add(pos)
        return start in bounds and end in bounds

    def context_code(self, places: list[Place]) -> str | None:
        """The document's dominant place: the most mentioned, preferring the more specific on ties."""
        if not places:
            return None
        weight: Counter[str] = Counter()
        first: dict[str, int] = {}
        for place in places:
            for anc in self.regions.ancestors(place.code):
                if anc.code != NATIONAL_CODE:
                    weight[anc.code] += 1
                    first.setdefault(anc.code, place.start)
        # the dominant province first (ties: the one mentioned first), then the best place inside it
        provinces = [c for c in weight if c.endswith("0000")]
        if provinces:
            lead = max(provinces, key=lambda c: (weight[c], -first[c]))
            weight = Counter({c: w for c, w in weight.items() if c[:2] == lead[:2]})
        top = max(weight.values())
        best = [c for c, w in weight.items() if w * 2 >= top]
        return max(best, key=lambda c: (_LEVEL_RANK.get(self.regions.by_code[c].level, 0), -len(c)))

    def refine(self, places: list[Place], within: str | None) -> list[Place]:
        """Re-resolve ambiguous names inside the document's province (鼓楼 → the one in context)."""
        if within is None:
            return places
        province = self.regions.province_of(within)
        scope = province.code if province else within
        out = []
        for place in places:
            if len(self.regions.candidates(place.text)) > 1:
                region = self.regions.lookup(place.text, within=scope)
                if region is not None and region.code != place.code:
                    place = Place(place.text, region.name, region.code, region.level, place.start, place.end)
            out.append(place)
        return out

    def most_specific(self, places: list[Place]) -> Place | None:
        """The deepest place among ``places`` (county beats city beats province), earliest on ties."""
        if not places:
            return None
        return max(places, key=lambda p: (p.rank, -p.start))
