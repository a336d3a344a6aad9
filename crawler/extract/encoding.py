"""Extract: decode fetched HTML bytes, trusting nothing (GBK pages with wrong headers are common on portals)."""

from __future__ import annotations

import re

from core.errors import DocumentError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CN_ALIASES = {"gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk", "cp936", "euc-cn"}
REPLACEMENT_LIMIT = 0.005


def normalise_encoding(name: str | None) -> str | None:
    """Map declared charsets to the codec to use: every GB variant → gb18030 (a superset)."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _CN_ALIASES:
        return "gb18030"
    if name in ("utf8", "utf-8"):
        return "utf-8"
    return name


def meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return normalise_encoding(match.group(1).decode("ascii", "ignore")) if match else None


def bad_ratio(text: str) -> float:
    """Share of U+FFFD replacement characters: a sign of a wrong decode."""
    return text.count("\ufffd") / max(len(text), 1)


def _try(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:
        return None


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``body``; returns (text, encoding used).

    Order: BOM, the declared (header) charset, the ``<meta>`` charset, UTF-8, GB18030. A candidate is accepted
    when fewer than 0.5% of its characters are U+FFFD; otherwise the least damaged decode wins.
    """
    if not isinstance(body, bytes | bytearray):
        raise DocumentError("HTML body must be bytes")
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace"), "utf-8"
    candidates: list[str] = []
    for enc in (normalise_encoding(declared), meta_charset(body), "utf-8", "gb18030"):
        if enc and enc not in candidates:
            candidates.append(enc)
    best: tuple[float, str, str] | None = None
    for enc in candidates:
        text = _try(body, enc)
        if text is None:
            continue
        ratio = bad_ratio(text)
        if ratio < REPLACEMENT_LIMIT and not (enc != "utf-8" and _looks_mojibake(text)):
            return text, enc
        if best is None or ratio < best[0]:
            best = (ratio, text, enc)
    if best is None:
        raise DocumentError(f"cannot decode page with any of {candidates}")
    return best[1], best[2]


def _looks_mojibake(text: str) -> bool:
    """UTF-8 Chinese decoded as Latin-1 shows runs like 'å\x8f\x91'; that decode must lose."""
    sample = text[:4000]
    latin = sum(1 for ch in sample if "\x80" <= ch <= "\xff")
    return latin > 20 and latin > len(sample) * 0.05
