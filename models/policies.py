"""Match step, policy parsing: region code, 文号, issuer, validity dates and numbered clauses of a policy."""

from __future__ import annotations

import datetime as dt
import re

from core.errors import InputError
from core.schemas import Clause, Policy, PolicyInput
from models.scopes import NATIONAL, addressee_provinces, detect_scopes, resolve_issuer_region, scope_codes
from models.text import to_simplified
from nlp.regions import RegionIndex

_CN_NUM = "一二三四五六七八九十百零〇两"
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}

# -- 文号 -----------------------------------------------------------------------------------------
_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*第?\s*(\d{1,5})\s*号"
)
_LEAD_WORDS = re.compile(
    r"^.*(?:依据|根据|按照|参照|贯彻|落实|印发|转发|详见|执行|对照|结合|通知|意见|办法|措施|方案|规定|细则|号|和|与|及|的)"
)
_CITING = re.compile(r"(?:依据|根据|按照|参照|贯彻|落实|对照|结合|执行|精神|《[^》]*$|》\s*[（(]?\s*[\u4e00-\u9fff]*$)")


def _clean_prefix(prefix: str) -> str:
    trimmed = _LEAD_WORDS.sub("", prefix)
    return trimmed if len(trimmed) >= 1 else prefix


def find_doc_numbers(text: str) -> list[str]:
    """Every 文号 in ``text`` as written in canonical form, e.g. 皖政〔2022〕60号 (brackets normalised to 〔〕)."""
    out: list[str] = []
    for m in _DOC_NUMBER.finditer(text):
        out.append(f"{_clean_prefix(m.group(1))}〔{m.group(2)}〕{int(m.group(3))}号")
    return list(dict.fromkeys(out))


def _own_doc_number(text: str) -> str | None:
    """The first 文号 in ``text`` that does not cite another document."""
    for m in _DOC_NUMBER.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()].rsplit("。", 1)[-1]
        if _CITING.search(before + m.group(1)):
            continue
        return f"{_clean_prefix(m.group(1))}〔{m.group(2)}〕{int(m.group(3))}号"
    return None


def parse_doc_number(title: str, text: str) -> str | None:
    """The policy's own 文号: one in the title, else the first in the text, skipping citations of other
    documents (inside or just after 《…》, after 依据/根据/贯彻…)."""
    return _own_doc_number(to_simplified(title)) or _own_doc_number(to_simplified(text))


# -- dates ----------------------------------------------------------------------------------------
_DATE = r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_EFFECTIVE_DATE = re.compile(rf"(?:自|于|从)?\s*{_DATE}\s*(?:起|开始)\s*(?:正式)?(?:施行|实施|执行|生效)")
_EFFECTIVE_PUBLISH = re.compile(r"自\s*(?:发布|印发|公布|颁布|下发|发文)(?:之)?日起\s*(?:正式)?(?:施行|实施|执行|生效)")
_EXPIRY_DATE = re.compile(
    rf"(?:有效期|执行期|实施期)(?:限)?(?:为|自[^。；;]{{0,20}})?\s*(?:至|截至|截止到|截止|到)\s*{_DATE}"
)
_EXPIRY_UNTIL = re.compile(rf"(?:施行|实施|执行)(?:至|到)\s*{_DATE}(?:止)?")
_VALID_YEARS = re.compile(r"有效期\s*(?:为|暂定)?\s*([0-9一二三四五六七八九十两]+)\s*年")


def _date(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def cn_to_int(text: str) -> int | None:
    """'12' → 12, '十二' → 12, '二十' → 20, '三' → 3, '一百零五' → 105; None when not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_NUM for c in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def _add_years(start: dt.date, years: int) -> dt.date:
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - dt.timedelta(days=1)


def parse_validity(text: str, publish_date: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """(effective_date, expiry_date) where the text states them: 自X起施行, 自发布之日起施行, 有效期N年, 有效期至X."""
    plain = to_simplified(text)
    effective: dt.date | None = None
    m = _EFFECTIVE_DATE.search(plain)
    if m:
        effective = _date(*m.groups())
    elif _EFFECTIVE_PUBLISH.search(plain):
        effective = publish_date
    expiry: dt.date | None = None
    m = _EXPIRY_DATE.search(plain) or _EXPIRY_UNTIL.search(plain)
    if m:
        expiry = _date(*m.groups()[-3:])
    else:
        years = _VALID_YEARS.search(plain)
        start = effective or publish_date
        n = cn_to_int(years.group(1)) if years else None
        if n and start:
            expiry = _add_years(start, n)
    return effective, expiry


# -- issuer ---------------------------------------------------------------------------------------
_ISSUER_SUFFIX = r"(?:人民政府办公厅|人民政府办公室|人民政府|管理委员会|管委会|办公厅|办公室|委员会|[厅局委办])"
_ISSUER_BODY = rf"(?:中共)?[\u4e00-\u9fff]{{2,30}}?{_ISSUER_SUFFIX}"
_ISSUER_LINE = re.compile(rf"^[ \t\u3000]*({_ISSUER_BODY}(?:[ \t\u3000]+{_ISSUER_BODY})*)[ \t\u3000]*$", re.MULTILINE)
_ISSUER_TITLE = re.compile(rf"^((?:中共)?[\u4e00-\u9fff]{{2,30}}?{_ISSUER_SUFFIX})(?:关于|印发)")


def parse_issuer(title: str, text: str) -> str | None:
    """The issuing body: a line holding only body names (the signature), else the start of the title."""
    plain = to_simplified(text)
    lines = _ISSUER_LINE.findall(plain)
    if lines:
        return re.sub(r"[ \t\u3000]+", " ", lines[0])
    simple_title = to_simplified(title).strip()
    for national in ("国务院办公厅", "国务院"):
        if simple_title.startswith(national):
            return national
    m = _ISSUER_TITLE.match(simple_title)
    if m:
        return m.group(1)
    return None


# -- clauses --------------------------------------------------------------------------------------
_BOUNDARY = r"(?:(?<=^)|(?<=[\n\r。；;：:！!？?]))[ \t\u3000]*"
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"(?:(?<=^)|(?<=[\n\r。；;：:\s]))[ \t\u3000]*(第[{_CN_NUM}\d]{{1,4}}章)")),
    (1, re.compile(rf"(?:(?<=^)|(?<=[\n\r。；;：:\s]))[ \t\u3000]*(第[{_CN_NUM}\d]{{1,4}}[条條])")),
    (2, re.compile(rf"{_BOUNDARY}([{_CN_NUM}]{{1,3}}[、．.])")),
    (3, re.compile(rf"{_BOUNDARY}([（(][{_CN_NUM}]{{1,3}}[)）])")),
    (4, re.compile(rf"{_BOUNDARY}(\d{{1,2}}(?:[、．]|\.(?!\d)))")),
    (5, re.compile(rf"{_BOUNDARY}([（(]\d{{1,2}}[)）])")),
)
_HEADING_MAX = 30


def _split_heading(body: str) -> tuple[str | None, str]:
    """A short first line, or a short first sentence ending in 。, is the clause heading."""
    first, _, rest = body.partition("\n")
    first = first.strip()
    if first and len(first) <= _HEADING_MAX and not re.search(r"[。；;，,]$", first) and rest.strip():
        return first, body
    m = re.match(rf"^([^。；;，,\n]{{2,{_HEADING_MAX}}})[。．]", body)
    if m and len(body) > m.end() + 4:
        return m.group(1).strip(), body
    return (first if len(body) <= _HEADING_MAX and first else None), body


def _paragraphs(text: str, min_chars: int = 60) -> list[str]:
    """Unnumbered text as paragraphs; short lines (addressees, signatures) join the next paragraph."""
    out: list[str] = []
    pending = ""
    for line in re.split(r"\n+", text):
        line = line.strip()
        if not line:
            continue
        pending = f"{pending}\n{line}" if pending else line
        if len(pending) >= min_chars:
            out.append(pending)
            pending = ""
    if pending:
        if out and len(pending) < min_chars:
            out[-1] = f"{out[-1]}\n{pending}"
        else:
            out.append(pending)
    return out


def split_clauses(policy_id: str, text: str) -> list[Clause]:
    """Numbered clauses: 第X章/第X条, 一、, （一）/(一), 1./1、, （1）; text before the first marker becomes
    unnumbered paragraph clauses (number None). Clause text includes its heading; markers inside a sentence
    are not boundaries."""
    if not text.strip():
        raise InputError(f"policy {policy_id}: empty text has no clauses")
    hits: list[tuple[int, int, int, str]] = []  # start, end, level, marker
    for level, pattern in _MARKERS:
        for m in pattern.finditer(text):
            hits.append((m.start(1), m.end(1), level, m.group(1)))
    hits.sort()
    starts: list[tuple[int, int, int, str]] = []
    for hit in hits:
        if starts and hit[0] < starts[-1][1]:
            continue  # overlapping marker, e.g. 1. inside （1）
        starts.append(hit)
    clauses: list[Clause] = []
    preamble = text[: starts[0][0]] if starts else text
    for paragraph in _paragraphs(preamble):
        clauses.append(Clause(policy_id=policy_id, seq=len(clauses), number=None, heading=None, text=paragraph))
    for i, (_start, end, _level, marker) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        body = text[end:stop].strip(" \t\u3000\n\r")
        marker = marker.rstrip("、．.")
        heading, body = _split_heading(body) if body else (None, body)
        clauses.append(
            Clause(policy_id=policy_id, seq=len(clauses), number=marker, heading=heading, text=body or marker)
        )
    return clauses


# -- whole policy ---------------------------------------------------------------------------------
def parse_policy(p: PolicyInput, regions: RegionIndex) -> Policy:
    """A Policy with region_code, doc_number, issuer, effective/expiry dates, clauses and, for national
    policies, the regional scope read from the text (unless ``applicable_region`` is given)."""
    if not p.text.strip():
        raise InputError(f"policy {p.id}: empty text")
    region_code = resolve_issuer_region(p.issuer_region, regions)
    applicable = p.applicable_region
    if applicable:
        scope_codes(applicable, regions)  # validates; InputError when unknown
    elif region_code == NATIONAL:
        plain = to_simplified(p.text)
        scopes = addressee_provinces(plain, regions) or detect_scopes(to_simplified(p.title), plain)
        applicable = "、".join(scopes) or None
    effective, expiry = parse_validity(p.text, p.publish_date)
    data = p.model_dump()
    data.update(
        applicable_region=applicable,
        region_code=region_code,
        doc_number=parse_doc_number(p.title, p.text),
        issuer=parse_issuer(p.title, p.text),
        effective_date=effective,
        expiry_date=expiry,
        clauses=split_clauses(p.id, p.text),
    )
    return Policy.model_validate(data)
