"""Segment words: which words of a text are names (not function words), from jieba's dictionary tags."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

Cut = Callable[[str], list[str]]
_NAME_WORDS: set[str] = set()  # place, organisation and industry words of the project's dictionaries


def register_name_words(words: Iterable[str]) -> None:
    """Words that are names whatever jieba's own tag says (即墨 is tagged v): the segmenter's user dictionary."""
    _NAME_WORDS.update(w for w in words if len(w) > 1)
_ORDINAL = re.compile(r"[一二三四五六七八九十]是|其[一二三四五六七八九十]")  # 一是…, 其二…: list markers, not names


def name_word_spans(piece: str, cut: Cut | None, *, unknown: bool = True) -> list[tuple[int, int]]:
    """Spans of words in ``piece`` that are names, not function words (美的 nr, 同威 unknown), longer than one
    character: a one-character boundary word inside such a span is part of the name, not a cut. ``unknown``: words
    jieba's dictionary does not know count as names too (its HMM glues new names: 同威)."""
    if cut is None:
        return []
    spans, at = [], 0
    for word in cut(piece):
        if len(word) > 1:
            tag = _word_tags().get(word)
            if (tag is not None and tag.startswith("n")) or (tag is None and unknown and not _ORDINAL.fullmatch(word)) or (
                    word in _NAME_WORDS):
                spans.append((at, at + len(word)))
        at += len(word)
    return spans


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """jieba's dictionary part-of-speech tags (read-only; the global tokenizer's state is not used)."""
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab
