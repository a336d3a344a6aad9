"""Enumerations: named items listed before 等 in a batch sentence ("A、B以及C等重点项目10个已签约") are leads each."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK = "\u4e00-\u9fff"
# 等 closing a list of projects, funds or firms (not 等领域 / 等行业, which list industries).
_COUNT = r"[\d一二三四五六七八九十两百]+\s*[个家只项批]"
_CLOSE = re.compile(
    rf"等(?=\s*(?:{_COUNT})?\s*"
    r"(?:重点|重大|优质|龙头|在谈|签约|亿元以上|过亿元|大|新|产业|新兴|战略性新兴产业|招商)*\s*"
    rf"(?:项目|基金|{_COUNT}\s*(?:项目|基金|[,，。；;]|已|完成|签|落户|在谈)))"
    r"|(?P<bare>等)(?=\s*[,，。；;])"
)
# A bare "A、B等," closes a list only after a count of projects ("协议项目有4个,包括A和B等,").
_COUNTED_BEFORE = re.compile(rf"{_COUNT}(?:项目|基金)?\s*[,，]?\s*$")
_OPEN = re.compile(r"[，,。；;：:！？!?\n(（]|包括|包含|涵盖|比如|例如|诸如|引进了?|推进|其中有?|签约了|共有")
_SPLIT = re.compile(r"、|以及|和")
_ITEM = re.compile(rf"^[{_CJK}A-Za-z0-9·()（）\-—]+$")
_NOT_ITEM = re.compile(
    r"领域|行业|产业链|板块|方向|方面|[\d一二三四五六七八九十两百]+\s*[个家只项批]|我市|我省|全市|全省|政府|部门|"
    r"^(?:重点|重大|新兴|战略性|高端|先进|现代|传统)"
)


_ATTRIBUTE = re.compile(r"^(?:(?:总投资|计划投资|规划投资|投资)?[约近超逾]?\s*\d+(?:\.\d+)?\s*[亿万]元(?:以上)?的|(?:位于|在|落户)[^的，,、]{2,12}的)")


@dataclass(frozen=True)
class Item:
    """One named item of an enumeration, with its span and whether the list was introduced by 包括-like words."""

    name: str
    start: int
    end: int


def find_enumerated(text: str, *, generic: frozenset[str] = frozenset()) -> list[Item]:
    """Items listed before a closing 等 (at least two), left to right; ``generic`` names (industry words) are
    not items. Lists of industries (等领域) and counts (3个) are not enumerations of named projects."""
    out: list[Item] = []
    for close in _CLOSE.finditer(text):
        end = close.start()
        opens = list(_OPEN.finditer(text, 0, end))
        start = opens[-1].end() if opens else 0
        if close.group("bare") and not (opens and _COUNTED_BEFORE.search(text, 0, opens[-1].start())):
            continue
        if end - start < 4:
            continue
        items: list[Item] = []
        pos = start
        for piece in [*_SPLIT.split(text[start:end])]:
            name = piece.strip(" “”\"")
            name = _ATTRIBUTE.sub("", name)  # "总投资2亿元的A", "位于长丰县的B": what describes an item is not its name
            lead = piece.find(name) if name else 0
            if 2 <= len(name) <= 30 and _ITEM.match(name) and len(re.findall(rf"[{_CJK}]", name)) >= 2:
                if not _NOT_ITEM.search(name) and name not in generic:
                    items.append(Item(name, pos + lead, pos + lead + len(name)))
            pos += len(piece)
            sep = _SPLIT.match(text, pos)
            pos += len(sep.group(0)) if sep else 0
        if len(items) >= 2:
            out.extend(items)
    return out
