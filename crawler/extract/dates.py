"""Extract: publish dates in the formats Chinese portals use (2023-11-19, 2023年11月19日, 发布时间：...)."""

from __future__ import annotations

import datetime as dt
import re

_DATE = r"((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
DATE_RE = re.compile(_DATE)
LABELLED_RE = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|日期|时间|發布時間|發佈時間|日期)\s*[:：]?\s*" + _DATE)
_COMPACT_URL = re.compile(r"(?:/|t|_)((?:19|20)\d{2})(\d{2})(\d{2})(?:_|/|\.)")


def parse_date(text: str) -> dt.date | None:
    """The first valid date in ``text`` (any of the supported formats), or None."""
    return _first_valid(DATE_RE, text)


def _first_valid(pattern: re.Pattern[str], text: str | None) -> dt.date | None:
    """The first match of ``pattern`` (groups year, month, day) that is a valid date, or None."""
    for match in pattern.finditer(text or ""):
        date = _valid(*match.groups())
        if date:
            return date
    return None


def _valid(y: str, m: str, d: str) -> dt.date | None:
    try:
        date = dt.date(int(y), int(m), int(d))
    except ValueError:
        return None
    return date if dt.date(1990, 1, 1) <= date <= dt.date(2100, 1, 1) else None


def find_publish_date(meta_text: str, url: str | None = None) -> dt.date | None:
    """Publish date from page metadata text: a labelled date (发布时间：...) first, else the first date,
    else a compact date in the URL (``t20231119_123.html``)."""
    priority = ("发布时间", "發布時間", "發佈時間", "发布日期", "日期", "时间", "成文日期", "发文日期")
    labelled = [(m.group(0), _valid(*m.groups())) for m in LABELLED_RE.finditer(meta_text or "")]
    for label in priority:
        for whole, date in labelled:
            if date and whole.startswith(label):
                return date
    date = parse_date(meta_text)
    if date:
        return date
    return _first_valid(_COMPACT_URL, url)
