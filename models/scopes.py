"""Match step, regions of policies: issuer names to region codes and named regional scopes (西部地区 ...)."""

from __future__ import annotations

import re

from core.errors import InputError
from nlp.regions import RegionIndex

NATIONAL = "000000"
NATIONAL_NAMES = ("全国", "国家", "中央", "国务院", "中华人民共和国", "中国")

_WEST = (
    "500000",
    "510000",
    "520000",
    "530000",
    "540000",
    "610000",
    "620000",
    "630000",
    "640000",
    "650000",
    "150000",
    "450000",
)
_CENTRAL = ("140000", "340000", "360000", "410000", "420000", "430000")
_NORTHEAST = ("210000", "220000", "230000")
_EAST = ("110000", "120000", "130000", "310000", "320000", "330000", "350000", "370000", "440000", "460000")
_GBA = ("440100", "440300", "440400", "440600", "441300", "441900", "442000", "440700", "441200", "810000", "820000")

# Named scopes of national policies → the region codes they cover (provinces, or cities for 大湾区).
SCOPES: dict[str, tuple[str, ...]] = {
    "西部地区": _WEST,
    "中部地区": _CENTRAL,
    "中西部": _CENTRAL + _WEST,
    "东北地区": _NORTHEAST,
    "东部地区": _EAST,
    "长三角": ("310000", "320000", "330000", "340000"),
    "京津冀": ("110000", "120000", "130000"),
    "海南自由贸易港": ("460000",),
    "粤港澳大湾区": _GBA,
}
# Phrases in text → canonical scope names.
_SCOPE_PHRASES: tuple[tuple[str, str], ...] = (
    ("中西部地区", "中西部"),
    ("中西部", "中西部"),
    ("西部大开发", "西部地区"),
    ("西部地区", "西部地区"),
    ("中部地区", "中部地区"),
    ("东北地区", "东北地区"),
    ("东北振兴", "东北地区"),
    ("东部地区", "东部地区"),
    ("长江三角洲", "长三角"),
    ("长三角", "长三角"),
    ("京津冀", "京津冀"),
    ("海南自由贸易港", "海南自由贸易港"),
    ("海南自贸港", "海南自由贸易港"),
    ("粤港澳大湾区", "粤港澳大湾区"),
)
# Renamed or informal issuer names the region table does not hold.
RENAMED: dict[str, str] = {
    "盘县": "盘州市",
    "山南地区": "山南市",
    "林芝地区": "林芝市",
    "日喀则地区": "日喀则市",
    "昌都地区": "昌都市",
    "那曲地区": "那曲市",
    "铜仁地区": "铜仁市",
    "毕节地区": "毕节市",
}
_CITATION = re.compile(r"《[^》]{0,80}》")
_PAREN = re.compile(r"[（(][^）)]*[)）]")

# Place names that are also ordinary words in queries (合作 is 合作市, 新区 is not a place).
FALSE_PLACES = frozenset(
    {
        "合作",
        "城区",
        "新区",
        "郊区",
        "矿区",
        "市区",
        "东区",
        "西区",
        "南区",
        "北区",
        "中区",
        "开发区",
        "高新区",
        "园区",
        "工业园",
        "长安",
        "太平",
        "和平",
        "永安",
        "新华",
        "人民",
        "民主",
        "胜利",
    }
)


def _lookup(regions: RegionIndex, name: str, within: str | None = None) -> str | None:
    name = RENAMED.get(name, name)
    if re.fullmatch(r"\d{6}", name):
        return name if name in regions.by_code else None
    found = regions.lookup(name, within=within)
    if found is None and name.endswith("地区") and len(name) > 3:
        found = regions.lookup(name[:-2] + "市", within=within)
    if found is None or (within and not regions.is_within(found.code, within)):
        return None
    return found.code


def _resolve_compound(regions: RegionIndex, name: str) -> str | None:
    """'广州市黄埔区' → the longest resolvable prefix, then the rest looked up inside it, repeatedly."""
    code = _lookup(regions, name)
    if code:
        return code
    current: str | None = None
    rest = name
    while rest:
        for end in range(len(rest), 1, -1):
            found = _lookup(regions, rest[:end], within=current)
            if found is not None:
                current, rest = found, rest[end:]
                break
        else:
            break
    return current


def resolve_issuer_region(name: str, regions: RegionIndex) -> str:
    """Issuing government's region code: 全国 → 000000; '广州市黄埔区(广州开发区)' → 440112; InputError if none."""
    text = name.strip()
    if not text:
        raise InputError("issuer_region is empty")
    if text in NATIONAL_NAMES or text.startswith(("国务院", "国家")):
        return NATIONAL
    main = _PAREN.sub("", text).strip()
    for candidate in (main, *(_PAREN.findall(text))):
        candidate = candidate.strip("()（） ")
        if candidate.startswith("区级") or not candidate:
            continue
        code = _resolve_compound(regions, candidate)
        if code:
            return code
    raise InputError(f"issuer_region {name!r} is not a known region")


def detect_scopes(title: str, text: str) -> list[str]:
    """Named scopes a national policy is restricted to: any named in the title, else those named at least
    twice in the text outside 《》 citations. Empty list means nationwide."""

    def found(s: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for phrase, scope in _SCOPE_PHRASES:
            n = s.count(phrase)
            if n:
                s = s.replace(phrase, "·")
                counts[scope] = counts.get(scope, 0) + n
        return counts

    in_title = found(_CITATION.sub("", title))
    if in_title:
        return sorted(in_title)
    in_text = found(_CITATION.sub("", text))
    return sorted(scope for scope, n in in_text.items() if n >= 2)


_ADDRESSEE = re.compile(r"^[ \t\u3000]*([^\n:：。]{4,200})[:：][ \t\u3000]*$", re.MULTILINE)
_ADDRESSEE_TAIL = re.compile(r"(各省.*|省.*|发展改革委.*|人民政府.*|党委.*)$")


def addressee_provinces(text: str, regions: RegionIndex, head_chars: int = 400) -> list[str]:
    """Provinces listed as the addressees of a national document (山西、内蒙古、…各省(自治区)发展改革委:),
    which limits where it applies; [] when the addressees are generic (各省、自治区、直辖市人民政府)."""
    for m in _ADDRESSEE.finditer(text[:head_chars]):
        parts = [p.strip() for p in _PAREN.sub("", m.group(1)).split("、") if p.strip()]
        if len(parts) < 3:
            continue
        parts[-1] = _ADDRESSEE_TAIL.sub("", parts[-1]) or parts[-1]
        found = [regions.lookup(p) for p in parts]
        provinces = [r.name for r in found if r is not None and r.level == "province"]
        if len(provinces) >= 3 and len(provinces) >= 0.8 * len(parts):
            return list(dict.fromkeys(provinces))
    return []


def scope_codes(applicable_region: str, regions: RegionIndex) -> tuple[str, ...]:
    """Region codes of an ``applicable_region`` string: scope names and/or region names or codes, separated
    by 、,;；. InputError for a part that is neither."""
    codes: list[str] = []
    for part in re.split(r"[、,，;；/]+", applicable_region):
        part = part.strip()
        if not part:
            continue
        if part in SCOPES:
            codes.extend(SCOPES[part])
            continue
        alias = dict(_SCOPE_PHRASES).get(part)
        if alias:
            codes.extend(SCOPES[alias])
            continue
        codes.append(resolve_issuer_region(part, regions))
    if not codes:
        raise InputError(f"applicable_region {applicable_region!r} names no region")
    return tuple(dict.fromkeys(codes))
