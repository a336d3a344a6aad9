"""Service highlighting: mark evidence and query terms inside hostile text — escape every piece, then add <mark>."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

_SPLIT = re.compile(r"[\s,，。;；:：、!！?？()（）\"'“”‘’《》<>【】\[\]/|]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def query_terms(query: str, *, max_terms: int = 40) -> list[str]:
    """Words of a query worth highlighting: whole tokens, plus two-character pieces of long Chinese runs."""
    terms: list[str] = []
    for token in _SPLIT.split(query or ""):
        token = token.strip()
        if not token or (len(token) < 2 and not _CJK.search(token)):
            continue
        terms.append(token)
        if _CJK.search(token) and len(token) > 2:
            terms.extend(token[i : i + 2] for i in range(len(token) - 1))
    seen: dict[str, None] = {}
    for term in terms:
        if len(term) >= 2:
            seen.setdefault(term, None)
    return list(seen)[:max_terms]


def _spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for term in terms:
        needle = term.lower()
        if not needle:
            continue
        start = lowered.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = lowered.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str | None, terms: Iterable[str], *, css_class: str = "hit") -> Markup:
    """``text`` escaped, with every occurrence of a term wrapped in ``<mark class=...>``."""
    text = text or ""
    out: list[str] = []
    pos = 0
    for start, end in _spans(text, terms):
        out.append(str(escape(text[pos:start])))
        out.append(f'<mark class="{escape(css_class)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def evidence_in_context(document_text: str | None, evidence: str, *, window: int = 400) -> tuple[Markup, bool]:
    """The part of the document around the evidence sentence, the sentence marked; (markup, found)."""
    evidence = (evidence or "").strip()
    text = document_text or ""
    at = text.find(evidence) if evidence else -1
    if at == -1 and len(evidence) > 30:
        at = text.find(evidence[:30])
    if at == -1:
        return highlight(evidence, [evidence], css_class="evidence"), False
    start, end = max(0, at - window), min(len(text), at + len(evidence) + window)
    snippet = text[start:end]
    marked = highlight(snippet, [text[at : at + len(evidence)]], css_class="evidence")
    prefix = Markup("…") if start > 0 else Markup("")
    suffix = Markup("…") if end < len(text) else Markup("")
    return prefix + marked + suffix, True
