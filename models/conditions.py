"""Match step, conditions: eligibility thresholds in policy clauses (投资额不低于X亿元 …) checked against a query or lead."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from core.errors import InputError
from core.schemas import Lead, Policy
from models.text import to_simplified

if TYPE_CHECKING:
    from models.policy_match import PolicyMatch

ConditionKind = Literal[
    "investment",  # 总投资 / 投资额 / 投资规模 / 到位资金 (项目)
    "fixed_asset_investment",  # 固定资产投资 / 生产性固定资产投资 / 固定资产一次性投入
    "new_investment",  # 新增投资 / 增资
    "registered_capital",  # 注册资本 / 实缴资本
    "revenue",  # 营业收入 / 营收 / 主营业务收入 / 销售收入
    "output_value",  # 产值
    "tax_contribution",  # 地方贡献 / 纳税 / 税收
    "net_assets",  # 净资产
    "rd_ratio",  # 研发投入占比 (percent)
    "fortune_global_500",  # 世界500强
    "china_500",  # 中国(企业/民营企业)500强
]
Status = Literal["satisfied", "not_satisfied", "unknown"]
AMOUNT_KINDS: tuple[str, ...] = (
    "investment",
    "fixed_asset_investment",
    "new_investment",
    "registered_capital",
    "revenue",
    "output_value",
    "tax_contribution",
    "net_assets",
)


class Condition(BaseModel):
    """One eligibility threshold stated in a clause: ``kind operator value`` (value in yuan, or in the stated
    currency's units, or percent); membership kinds (世界500强) have operator ``in`` and no value."""

    kind: ConditionKind
    operator: Literal[">=", ">", "in"]
    value: float | None = None
    unit: Literal["CNY", "USD", "percent"] | None = None
    seq: int = Field(description="Clause seq in the policy (-1: the title).")
    text: str = Field(description="The words that state it, e.g. 总投资达到3000万元以上.")


class ConditionCheck(BaseModel):
    """A condition of a matched policy and whether the query's stated facts meet it."""

    condition: Condition
    status: Status
    stated: float | None = Field(default=None, description="The query's value compared with the threshold.")


# -- numbers ---------------------------------------------------------------------------------------
_CN = "零〇一二两三四五六七八九十百千"
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNITS = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4}
_NUMBER = rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN}]+)"
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_INCL = r"(?:[（(]含(?:本数)?[)）])?"
_PRE = r"(?P<pre>不低于|不少于|不小于|达到|达|超过|超|高于|大于|满|在|为)?"
_POST = rf"(?P<post>{_INCL}\s*(?:及以上|以上|或以上){_INCL})?"
_AMOUNT = re.compile(
    rf"{_PRE}\s*{_NUMBER}\s*(?P<unit>{_UNIT})?\s*(?P<cur>元人民币|元|人民币|美元|(?P<pct>[%％]))?{_POST}"
)
_QUERY_AMOUNT = re.compile(rf"{_NUMBER}\s*(?P<unit>{_UNIT})?\s*(?P<cur>元人民币|元|人民币|美元|(?P<pct>[%％]))?")


def _number(token: str) -> float | None:
    token = token.replace(",", "")
    if token[0].isdigit():
        return float(token)
    total, section, current = 0.0, 0.0, 0.0
    for ch in token:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in "十百千":
            section += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
        else:
            return None
    return total + section + current


def _value(m: re.Match[str]) -> tuple[float, str] | None:
    """(value, unit) of an amount match; None when it is a bare number (no 元/美元/% and no 万/亿)."""
    number = _number(m.group("num"))
    if number is None:
        return None
    if m.group("pct"):
        return number, "percent"
    cur = m.group("cur") or ""
    if not cur and not m.group("unit"):
        return None
    return number * _UNITS.get(m.group("unit") or "", 1.0), "USD" if cur == "美元" else "CNY"


# -- clause conditions ------------------------------------------------------------------------------
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("fixed_asset_investment", r"固定资产(?:投资|一次性投入|投入)(?:规模|总额|额)?"),
    ("new_investment", r"新增投资|增资"),
    ("registered_capital", r"(?:实缴)?注册资本|实缴资本"),
    ("revenue", r"营业收入|营收|主营业务收入|销售收入|销售额"),
    ("output_value", r"产值"),
    ("tax_contribution", r"贡献|纳税|税收"),
    ("net_assets", r"净资产"),
    ("investment", r"总投资|投资总额|投资额|投资规模|项目投资|计划投资|投资|到位资金|实到内资|实到外资|引进资金"),
)
_KIND_RE = [(kind, re.compile(words)) for kind, words in _KIND_WORDS]
# Targets of a plan (力争…达到, 到2025年…, 增速, 比重, 产业规模) and rewards are not eligibility thresholds.
_GOAL = re.compile(
    r"力争|到20\d\d年|年均|增速|增长|产业集群|总量|规模以上|目标|全市|全省|全区|全县|全社会|GDP|生产总值|增加|翻番|提高到|提升到"
)
_PLAN = re.compile(r"力争|目标|到20\d\d年|累计")
_COUNT_AFTER = re.compile(r"(?:的)?(?:企业|项目)?\s*[\d一二三四五六七八九十百千]+\s*(?:家|个)|[”\"]?\s*调整为")
_REWARD_AFTER = re.compile(r"\s*(?:的)?(?:奖励|补助|补贴|奖补|资助|扶持|贴息)")
_REWARD_BEFORE = re.compile(r"(?:奖励|补助|补贴|奖补|资助|贴息|最高|上限|给予|不超过|按)[^，,、]{0,6}$")
_RD = re.compile(r"研发|研究开发|R&D")
_MEMBERSHIP: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fortune_global_500", re.compile(r"世界\s*(?:500|五百)\s*强|财富\s*(?:500|五百)\s*强")),
    ("china_500", re.compile(r"中国(?:企业|民营企业)?\s*(?:500|五百)\s*强")),
)
_SEGMENT = re.compile(r"[^。；;\n]+")


def _kind_before(text: str, offset: int = 0) -> tuple[str, int] | None:
    """(kind, start + offset) of the keyword nearest the end of ``text`` (the words just before an amount);
    on a tie the more specific kind (earlier in _KIND_WORDS) wins."""
    best: tuple[int, str, int] | None = None
    for kind, pattern in _KIND_RE:
        for m in pattern.finditer(text):
            if best is None or m.end() > best[0]:
                best = (m.end(), kind, m.start() + offset)
    return (best[1], best[2]) if best else None


def clause_conditions(text: str, seq: int = 0) -> list[Condition]:
    """Minimum thresholds and 500强 memberships stated in one clause's text."""
    out: list[Condition] = []
    plain = to_simplified(text)
    for segment in _SEGMENT.finditer(plain):
        seg = segment.group(0)
        for kind, pattern in _MEMBERSHIP:
            m = pattern.search(seg)
            if m and not _PLAN.search(seg):
                out.append(Condition(kind=kind, operator="in", seq=seq, text=m.group(0)))  # type: ignore[arg-type]
        previous_end = 0
        for m in _AMOUNT.finditer(seg):
            value = _value(m)
            start = m.start("num")
            before = seg[max(0, start - 30) : start]
            if value is None:
                continue
            if not (m.group("post") or m.group("pre") not in (None, "在", "为")):
                previous_end = m.end()
                continue
            amount, unit = value
            if (
                _GOAL.search(seg[: m.end()])
                or _REWARD_AFTER.match(seg, m.end())
                or _COUNT_AFTER.match(seg, m.end())
                or _REWARD_BEFORE.search(before)
            ):
                previous_end = m.end()
                continue
            operator: Literal[">=", ">"] = (
                ">" if m.group("pre") in ("超过", "超", "高于", "大于") and not m.group("post") else ">="
            )
            if unit == "percent":
                if _RD.search(before) and re.search(r"占|比例|比重|之比", before):
                    out.append(
                        Condition(
                            kind="rd_ratio",
                            operator=operator,
                            value=amount,
                            unit="percent",
                            seq=seq,
                            text=seg[max(0, start - 20) : m.end()].strip(" ，,、"),
                        )
                    )
                previous_end = m.end()
                continue
            lo = max(0, start - 30)
            found = _kind_before(seg[max(previous_end, lo) : start], max(previous_end, lo)) or _kind_before(before, lo)
            if found is not None:
                kind, at = found
                words = seg[max(at, previous_end) : m.end()].strip(' ，,、(（)）“”"').removeprefix("调整为“")
                out.append(
                    Condition(
                        kind=kind,  # type: ignore[arg-type]
                        operator=operator,
                        value=round(amount, 2),
                        unit=unit,  # type: ignore[arg-type]
                        seq=seq,
                        text=words,
                    )
                )
            previous_end = m.end()
    return out


def policy_conditions(policy: Policy) -> list[Condition]:
    """Every condition in the policy's clauses (or its text when it has no clauses), in clause order."""
    if not isinstance(policy, Policy):
        raise InputError(f"policy_conditions takes a Policy, got {type(policy).__name__}")
    found = (
        clause_conditions(policy.text, 0)
        if not policy.clauses
        else [c for clause in policy.clauses for c in clause_conditions(clause.text, clause.seq)]
    )
    unique: dict[tuple[object, ...], Condition] = {}
    for c in found:
        unique.setdefault((c.kind, c.operator, c.value, c.unit, c.seq), c)
    return list(unique.values())


# -- query facts ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueryFacts:
    """What an investor (a query or a lead) states about itself: amounts in yuan (USD kept apart), R&D ratio
    in percent and 500强 memberships. Missing facts are unknown, never assumed."""

    amounts: dict[str, float] = field(default_factory=dict)
    usd: dict[str, float] = field(default_factory=dict)
    rd_ratio: float | None = None
    memberships: frozenset[str] = frozenset()

    def is_empty(self) -> bool:
        return not (self.amounts or self.usd or self.rd_ratio is not None or self.memberships)


_MEASURE_AFTER = re.compile(r"\s*(?:强|家|个|人|年|亩|平方|吨|台|辆|件|套|片|千瓦|瓦|户|张|头|只)")


def parse_facts(text: str) -> QueryFacts:
    """Facts stated in a query: 我们计划投资30亿元 → investment 3e9; 注册资本5000万 → registered_capital 5e7
    (万/亿 suffice in a query); 研发投入占比6% → rd_ratio 6; 世界500强企业 → fortune_global_500."""
    if not isinstance(text, str):
        raise InputError("query facts are read from text")
    plain = to_simplified(text)
    amounts: dict[str, float] = {}
    usd: dict[str, float] = {}
    rd: float | None = None
    memberships = frozenset(kind for kind, pattern in _MEMBERSHIP if pattern.search(plain))
    previous_end = 0
    for m in _QUERY_AMOUNT.finditer(plain):
        value = _value(m)
        start = m.start("num")
        if value is None or _MEASURE_AFTER.match(plain, m.end()):
            continue
        amount, unit = value
        before = plain[max(previous_end, start - 20) : start]
        previous_end = m.end()
        if unit == "percent":
            if _RD.search(before):
                rd = amount
            continue
        found = _kind_before(before)
        if found is None and not m.group("cur"):
            continue  # 年产10万 (no 元, no 投资/注册资本 …) is not money
        kind = found[0] if found else "investment"
        target = usd if unit == "USD" else amounts
        target.setdefault(kind, amount)
    return QueryFacts(amounts, usd, rd, memberships)


def facts_from_lead(lead: Lead) -> QueryFacts:
    """A lead's investment amount (amount_cny, or a USD amount) as facts, plus what its evidence states."""
    facts = parse_facts(lead.evidence or "")
    amounts, usd = dict(facts.amounts), dict(facts.usd)
    if lead.amount_cny is not None:
        amounts["investment"] = float(lead.amount_cny)
    elif lead.amount is not None and lead.currency == "USD":
        usd["investment"] = float(lead.amount)
    return QueryFacts(amounts, usd, facts.rd_ratio, facts.memberships)


# -- checking ---------------------------------------------------------------------------------------
def _meets(value: float, condition: Condition) -> bool:
    assert condition.value is not None
    return value > condition.value if condition.operator == ">" else value >= condition.value


def check(condition: Condition, facts: QueryFacts) -> ConditionCheck:
    """satisfied / not_satisfied when the facts decide the condition, else unknown. A total investment below
    a fixed-asset threshold fails it (fixed assets are part of the total); a fixed-asset investment at or above
    an investment threshold meets it; a new project's investment counts as 新增投资."""
    kind = condition.kind
    if condition.operator == "in":
        return ConditionCheck(condition=condition, status="satisfied" if kind in facts.memberships else "unknown")
    if kind == "rd_ratio":
        if facts.rd_ratio is None:
            return ConditionCheck(condition=condition, status="unknown")
        ok = _meets(facts.rd_ratio, condition)
        return ConditionCheck(condition=condition, status="satisfied" if ok else "not_satisfied", stated=facts.rd_ratio)
    pool = facts.usd if condition.unit == "USD" else facts.amounts
    if kind in pool:
        ok = _meets(pool[kind], condition)
        return ConditionCheck(condition=condition, status="satisfied" if ok else "not_satisfied", stated=pool[kind])
    total, fixed = pool.get("investment"), pool.get("fixed_asset_investment")
    if kind == "new_investment" and total is not None:
        ok = _meets(total, condition)
        return ConditionCheck(condition=condition, status="satisfied" if ok else "not_satisfied", stated=total)
    if kind == "fixed_asset_investment" and total is not None and not _meets(total, condition):
        return ConditionCheck(condition=condition, status="not_satisfied", stated=total)
    if kind == "investment" and fixed is not None and _meets(fixed, condition):
        return ConditionCheck(condition=condition, status="satisfied", stated=fixed)
    return ConditionCheck(condition=condition, status="unknown")


def check_all(conditions: Sequence[Condition], facts: QueryFacts) -> list[ConditionCheck]:
    return [check(c, facts) for c in conditions]


class ConditionAnnotator:
    """A MatchFilter: attaches each matched policy's conditions, checked against ``facts``, to the match.
    With ``drop_unmet`` a policy whose every amount condition the facts fail is dropped."""

    def __init__(
        self, facts: QueryFacts, cache: dict[str, list[Condition]] | None = None, drop_unmet: bool = False
    ) -> None:
        self.facts = facts
        self.cache = cache if cache is not None else {}
        self.drop_unmet = drop_unmet

    def conditions(self, policy: Policy) -> list[Condition]:
        if policy.id not in self.cache:
            self.cache[policy.id] = policy_conditions(policy)
        return self.cache[policy.id]

    def __call__(self, match: PolicyMatch, policy: Policy) -> PolicyMatch | None:
        checks = check_all(self.conditions(policy), self.facts)
        if self.drop_unmet and checks and all(c.status == "not_satisfied" for c in checks):
            return None
        return match.model_copy(update={"conditions": checks})
