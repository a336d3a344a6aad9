"""Normalise: raw document text → Simplified, de-pinyinised, width- and space-normalised text with garbage flags."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import opencc

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# A toneless pinyin syllable (initial + final), used to recognise converter readings like 平台(tai).
_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|uai|ian|iao|uan|van|ai|ei|ao|ou|an|en|in|un|vn|ia|ie|iu|ua|uo|ui|ue|ve|er|a|o|e|i|u|v)"
)
_PINYIN = re.compile(rf"(?<=[{_CJK}])[(（]\s*(?:[a-z{_TONED}]*[{_TONED}][a-z{_TONED}]*|{_SYLLABLE}[1-5]?)\s*[)）]")
# Words where OpenCC t2s keeps 著 but mainland usage writes 着.
_ZHE = re.compile(r"著(?=[力重眼手落陆实想迷急凉火])|(?<=[随沿接顺味朝向绕带跟本紧看试靠])著")
_OVERRIDES = {"积体电路": "集成电路", "人工智慧": "人工智能", "晶圆": "晶圆"}
_OVERRIDE_RE = re.compile("|".join(map(re.escape, _OVERRIDES)))

# Full-width ASCII letters/digits and a few symbols become ASCII; Chinese punctuation (，。：；（）！？) stays.
_WIDTH: dict[int, int | None] = {0xFF10 + i: 0x30 + i for i in range(10)}
_WIDTH.update({0xFF21 + i: 0x41 + i for i in range(26)})
_WIDTH.update({0xFF41 + i: 0x61 + i for i in range(26)})
_WIDTH.update({ord(c): ord(a) for c, a in zip("％＋－．／＠＃＆＊＝＜＞～＿", "%+-./@#&*=<>~_", strict=True)})
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: None, 0xFEFF: None})

_HSPACE = re.compile(r"[ \t\f\v]+")
_LINE_EDGE = re.compile(r"^ +| +$", re.M)
_BLANK_LINES = re.compile(r"\n{3,}")
# Spaces that only split a number from its unit or a CJK word from a number: 总投资 25 亿元, 1-3 月份.
_NUM_SPACE = re.compile(rf"(?<=[\d{_CJK}%]) (?=[\d])|(?<=[\d]) (?=[{_CJK}%])|(?<=\d) (?=[-—~.,]\d)|(?<=\d[-—~]) (?=\d)")

# Mojibake (UTF-8 read as GBK and back), lost characters and replacement characters.
_GARBAGE = re.compile(
    r"\?{2,}|\ufffd+"
    rf"|\?[!“”\"]?[^\s，。,；;：:、？?！]{{0,12}}?(?=[，。,；;]|$)(?<=[a-z{_TONED}⌒δεζηθλμξπ搮兎屡])"
    rf"|\?[!“”\"][{_CJK}a-z⌒]{{0,6}}"
    rf"|\?[a-z{_TONED}]+\)?[{_CJK}a-z]{{0,2}}\??"
    rf"|[{_CJK}][\u2300-\u23ff\u2500-\u257f\u0370-\u03ff\u0400-\u04ff]+[{_CJK}a-z]{{0,3}}"
    rf"|(?<=[{_CJK}])[a-z](?=[{_CJK}(])"
)
GARBAGE_MARK = "\u25a1"  # □ where unrecoverable characters were
_GARBAGE_TAIL = re.compile(rf"□(?:\(?[a-z{_TONED}]+\)|[\u0370-\u03ff]|\?)+")


@dataclass
class Normalized:
    """Normalised text and what was noticed on the way (``garbage:<snippet>``, ``traditional``...)."""

    text: str
    flags: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def t2s_converter() -> opencc.OpenCC:
    """The one shared OpenCC Traditional→Simplified converter (loading it costs ~50 ms)."""
    return opencc.OpenCC("t2s")


def _collapse_garbage(match: re.Match[str], found: list[str]) -> str:
    found.append(match.group(0))
    return GARBAGE_MARK


def normalize(text: str) -> Normalized:
    """Traditional→Simplified, drop pinyin readings, width/space cleanup, flag mojibake (never silently)."""
    if not isinstance(text, str):
        from core.errors import InputError

        raise InputError(f"normalize expects str, got {type(text).__name__}")
    flags: list[str] = []
    if not text:
        return Normalized("", flags)
    out = text.replace("\r\n", "\n").replace("\r", "\n").translate(_WIDTH)
    if "\x00" in out or any(ord(c) < 32 and c not in "\n\t" for c in out[:4096]):
        out = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", out)
        flags.append("control-chars")
    before = out
    out = _PINYIN.sub("", out)
    if out != before:
        flags.append("pinyin-readings")
    converted = t2s_converter().convert(out)
    if converted != out:
        flags.append("traditional")
    converted = _ZHE.sub("着", converted)
    out = _OVERRIDE_RE.sub(lambda m: _OVERRIDES[m.group(0)], converted)
    found: list[str] = []
    out = _GARBAGE.sub(lambda m: _collapse_garbage(m, found), out)
    if found:
        out = _GARBAGE_TAIL.sub(GARBAGE_MARK, out)
    flags.extend(f"garbage:{g[:20]}" for g in dict.fromkeys(found))
    out = _HSPACE.sub(" ", out)
    out = _NUM_SPACE.sub("", out)
    out = _LINE_EDGE.sub("", out)
    out = _BLANK_LINES.sub("\n\n", out).strip()
    return Normalized(out, flags)
