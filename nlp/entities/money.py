"""Money: amounts with unit, currency, qualifier and role (总投资 / 首期 / 基金规模 / 补贴 / 产值) in normalised text."""

from __future__ import annotations

import re
from dataclasses import dataclass

CURRENCIES: dict[str, str] = {
    "人民币": "CNY",
    "元": "CNY",
    "美元": "USD",
    "欧元": "EUR",
    "港元": "HKD",
    "港币": "HKD",
    "日元": "JPY",
    "英镑": "GBP",
    "新加坡元": "SGD",
    "新加坡币": "SGD",
    "新币": "SGD",
    "新台币": "TWD",
    "台币": "TWD",
    "韩元": "KRW",
    "澳门元": "MOP",
    "澳门币": "MOP",
    "澳元": "AUD",
    "加元": "CAD",
    "瑞士法郎": "CHF",
    "卢布": "RUB",
}
_UNITS = {
    "万亿": 1e12,
    "億": 1e8,
    "兆": 1e12,
    "千亿": 1e11,
    "百亿": 1e10,
    "亿": 1e8,
    "千万": 1e7,
    "百万": 1e6,
    "万": 1e4,
    "千": 1e3,
}
_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?|[一二两三四五六七八九十]+"
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_CUR = "|".join(sorted((c for c in CURRENCIES if c != "元"), key=len, reverse=True))
_MONEY = re.compile(
    rf"(?P<pre>约|近|超过|超|逾|达到|达|多达|高达|不低于|不少于|不超过|最高|最多)?"
    rf"(?P<num>{_NUM})(?:\s*(?P<unit1>{_UNIT})?\s*(?:[-—~～至到]|－)\s*(?P<hi>{_NUM}))?\s*"
    rf"(?P<unit>{_UNIT})?\s*(?P<cur>(?:{_CUR})|元|(?<=[亿億万兆])(?=以上|左右|规模|投资|资金|[,，。；;、)）]|级[^，,。；;]{{0,8}}基金))"
    rf"(?P<post>以上|左右|多|余)?"
)
_PREFIX_CUR = re.compile(rf"({_CUR})\s*$")
_FUND_CLASS = re.compile(r"级[^，,。；;]{0,8}基金")  # "2000亿级产业投资母基金": the size class of a fund
_ROLE_WINDOW = 14
_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "output",
        re.compile(r"产值|销售|收入|营收|营业|税收|纳税|利税|利润|出口|进出口|交易额|成交|年产|贸易额|GDP|增加值"),
    ),
    ("subsidy", re.compile(r"奖励|补贴|补助|资助|奖补|扶持资金|贴息|最高|给予|可获得?|可享受|支持")),
    ("fund", re.compile(r"基金规模|总规模|规模为|规模达|母基金|子基金|基金|募集|出资|认缴")),
    (
        "first_phase",
        re.compile(
            r"(?:首期|一期|首批|二期|三期)(?:工程)?(?:总?投资|投入|规模)?|年度投资|年度计划投资|当年计划|今年计划|完成投资|已完成|到位|到资|实际使用"
        ),
    ),
    (
        "investment",
        re.compile(r"总投资|投资总额|投资额|计划投资|拟投资|协议投资|投资|引资|资金|注册资本|外资|增资|投入|斥资"),
    ),
    # contract / utilised foreign capital is a statistic of foreign money, not a project's investment (the guide)
    ("foreign_capital", re.compile(r"合同外资|实际使用外资|实际利用外资|利用外资|实到外资")),
)


@dataclass(frozen=True)
class Money:
    """An amount in its own currency. value in currency units (5亿美元 → 5e8, USD); role as described above."""

    value: float
    currency: str
    role: str
    qualifier: str | None
    start: int
    end: int
    text: str
    high: float | None = None

    @property
    def amount_cny(self) -> float | None:
        return self.value if self.currency == "CNY" else None


def _number(token: str) -> float | None:
    token = token.replace(",", "")
    if token and token[0].isdigit():
        try:
            return float(token)
        except ValueError:
            return None
    if token in _CN_DIGITS:
        return float(_CN_DIGITS[token])
    if len(token) == 2 and token[0] == "十" and token[1] in _CN_DIGITS:
        return 10.0 + _CN_DIGITS[token[1]]
    if len(token) == 2 and token[1] == "十" and token[0] in _CN_DIGITS:
        return 10.0 * _CN_DIGITS[token[0]]
    if len(token) == 3 and token[1] == "十":
        return 10.0 * _CN_DIGITS.get(token[0], 0) + _CN_DIGITS.get(token[2], 0)
    return None


_SUBSIDY_AFTER = re.compile(r"(?:的)?(?:奖励|补助|补贴|支持|资助|奖补|扶持|贴息)")


# A size class of projects, not one project's amount: "投资超过50亿元的项目", "50亿元及以上的有6个".
_THRESHOLD_AFTER = re.compile(r"(?:及|或)?以[上下](?:的)?|的(?:项目|企业|有)")
_THRESHOLD_BEFORE = re.compile(r"(?:超过|超|逾|不低于|不少于|达到)$")


def _role(text: str, start: int, end: int) -> str:
    if _SUBSIDY_AFTER.match(text, end):
        return "subsidy"
    after = _THRESHOLD_AFTER.match(text, end)
    if after and (after.group(0).startswith(("以", "及", "或")) or _THRESHOLD_BEFORE.search(text, 0, start)
                  or (text[end - 2 : end] in ("以上", "以下") and after.group(0).startswith("的"))):
        return "threshold"
    window = text[max(0, start - _ROLE_WINDOW) : start]
    for sep in "。；;":
        window = window.rsplit(sep, 1)[-1]
    best, best_pos = "other", -1
    for role, pattern in _ROLES:
        for m in pattern.finditer(window):
            if m.end() > best_pos or (m.end() == best_pos and role != "investment"):
                best, best_pos = role, m.end()
    return best


def find_money(text: str) -> list[Money]:
    """All amounts in ``text``; bare numbers (no 元/currency, or 亿/万 without money context) are skipped."""
    out: list[Money] = []
    for m in _MONEY.finditer(text):
        value = _number(m.group("num"))
        if value is None:
            continue
        unit = _UNITS.get(m.group("unit") or "", 1.0)
        cur_word = m.group("cur") or ""
        if not cur_word and not m.group("unit"):
            continue
        if (not cur_word and not re.search(r"投资|资金|基金|规模|引资", text[max(0, m.start() - 10) : m.start()])
                and not _FUND_CLASS.match(text, m.end())):
            continue
        currency = CURRENCIES.get(cur_word, "CNY")
        prefix = _PREFIX_CUR.search(text, max(0, m.start() - 4), m.start())
        if cur_word in ("", "元") and prefix is not None:  # 新台币45亿元, 港币3亿元: the currency is written first
            currency = CURRENCIES[prefix.group(1)]
        high = _number(m.group("hi")) if m.group("hi") else None
        if high is not None:
            high = round(high * unit, 2)
            value *= _UNITS.get(m.group("unit1") or "", unit) / unit
            if high < value * unit:
                high = None
        qualifier = m.group("pre") or m.group("post")
        out.append(
            Money(
                value=round(value * unit, 2),
                currency=currency,
                role=_role(text, m.start("num"), m.end()),
                qualifier=qualifier,
                start=m.start(),
                end=m.end(),
                text=m.group(0),
                high=high,
            )
        )
    return out
