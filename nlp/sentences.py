"""Sentences: split normalised text into paragraphs → sentences → clauses, cutting unpunctuated runs."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CLAUSE = 300
_SENT_END = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’\"」』]?|\n|$)")
_CLAUSE_END = re.compile(r"[^；;]*(?:[；;]|$)")
_SOFT = re.compile(r"[，,、]")


@dataclass(frozen=True)
class Clause:
    """A clause with its offset in the normalised text, its sentence's index and its paragraph's index."""

    text: str
    start: int
    sentence: int
    paragraph: int


def _hard_split(text: str, start: int) -> list[tuple[str, int]]:
    """Cut a run longer than MAX_CLAUSE at commas, else every MAX_CLAUSE characters."""
    if len(text) <= MAX_CLAUSE:
        return [(text, start)]
    out: list[tuple[str, int]] = []
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + MAX_CLAUSE)
        if end < len(text):
            soft = [m.end() for m in _SOFT.finditer(text, pos + MAX_CLAUSE // 3, end)]
            if soft:
                end = soft[-1]
        out.append((text[pos:end], start + pos))
        pos = end
    return out


def split_clauses(text: str) -> list[Clause]:
    """Clauses (split at ；/;) of sentences (split at 。！？ and line breaks) of paragraphs (blank-line separated)."""
    clauses: list[Clause] = []
    sentence = paragraph = 0
    for sm in _SENT_END.finditer(text):
        raw = sm.group(0)
        if not raw:
            continue
        if raw == "\n" or not raw.strip():
            if raw.count("\n"):
                paragraph += 1
            continue
        for cm in _CLAUSE_END.finditer(raw):
            piece = cm.group(0)
            if not piece.strip():
                continue
            for chunk, at in _hard_split(piece, sm.start() + cm.start()):
                stripped = chunk.strip()
                if stripped:
                    clauses.append(Clause(stripped, at + chunk.index(stripped[0]), sentence, paragraph))
        sentence += 1
        if raw.endswith("\n"):
            paragraph += 1
    return clauses
