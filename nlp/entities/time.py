"""Time: date expressions (今年8月, 11月19日, 1-5月份, 截至11月底, 2023年上半年) resolved against publish_date."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_DATE = re.compile(
    r"(?P<rel>截至|截止到?|到)?"
    r"(?:(?P<y>(?:19|20)\d{2})年|(?P<ry>今年|去年|明年|前年))?"
    r"(?:(?P<half>上半年|下半年)"
    r"|(?P<q>第?[一二三四1-4])季度"
    r"|(?P<m1>\d{1,2})\s*(?:月?\s*[-—~至到]\s*)(?P<m2>\d{1,2})\s*月份?(?P<end2>底|末)?"
    r"|(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号]|(?P<end>底|末|份)|(?P<mid>中旬|上旬|下旬))?)"
    r"|(?P<yonly>(?:19|20)\d{2})年(?!\d)"
    r"|(?P<word>昨天|昨日|今天|今日|前天)"
)
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class DateMention:
    """A date found in text: ``date`` is the resolved day (period ends resolve to their first day)."""

    text: str
    start: int
    end: int
    date: dt.date | None
    precision: str  # day | month | period | year


def _year(m: re.Match[str], publish: dt.date | None) -> int | None:
    if m.group("y"):
        return int(m.group("y"))
    if publish is None:
        return None
    rel = m.group("ry")
    return publish.year + {"去年": -1, "明年": 1, "前年": -2}.get(rel or "", 0)


def _safe(year: int | None, month: int, day: int = 1) -> dt.date | None:
    if year is None or not 1 <= month <= 12:
        return None
    day = min(max(day, 1), calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def resolve(m: re.Match[str], publish: dt.date | None) -> tuple[dt.date | None, str]:
    """Resolve one match of the date pattern."""
    if m.group("word"):
        if publish is None:
            return None, "day"
        shift = {"昨天": 1, "昨日": 1, "前天": 2}.get(m.group("word"), 0)
        return publish - dt.timedelta(days=shift), "day"
    if m.group("yonly"):
        return dt.date(int(m.group("yonly")), 1, 1), "year"
    year = _year(m, publish)
    explicit = bool(m.group("y") or m.group("ry"))
    if m.group("half"):
        return _safe(year, 1 if m.group("half") == "上半年" else 7), "period"
    if m.group("q"):
        quarter = _QUARTER[m.group("q")[-1]]
        return _safe(year, 3 * quarter - 2), "period"
    if m.group("m1"):
        month = int(m.group("m2")) if m.group("rel") or m.group("end2") else int(m.group("m1"))
        return _safe(year, month), "period"
    month = int(m.group("m"))
    if not 1 <= month <= 12:
        return None, "month"
    if (
        not explicit
        and publish is not None
        and year is not None
        and (month, int(m.group("d") or 1)) > (publish.month, publish.day)
        and month - publish.month > 1
    ):
        year -= 1  # "11月19日" in a paper dated in February means last November
    if m.group("d"):
        day = int(m.group("d"))
        if not 1 <= day <= 31:
            return None, "day"
        return _safe(year, month, day), "day"
    if m.group("end") in ("底", "末"):
        return _safe(year, month, 31), "day"
    return _safe(year, month), "month"


def find_dates(text: str, publish_date: dt.date | None = None) -> list[DateMention]:
    """Date mentions in ``text``; relative ones (今年, 11月19日) need ``publish_date`` for their year."""
    out: list[DateMention] = []
    for m in _DATE.finditer(text):
        if not m.group(0) or m.group(0) in ("到", "截至", "截止"):
            continue
        date, precision = resolve(m, publish_date)
        out.append(DateMention(m.group(0), m.start(), m.end(), date, precision))
    return out


def first_date(text: str, publish_date: dt.date | None = None) -> dt.date | None:
    """The first resolvable date in ``text`` (day or month precision preferred over periods)."""
    mentions = [d for d in find_dates(text, publish_date) if d.date is not None]
    precise = [d for d in mentions if d.precision in ("day", "month")]
    chosen = precise or mentions
    return chosen[0].date if chosen else None
