"""Segment: word segmentation with a private jieba Tokenizer plus zhaoshang's user dictionaries."""

from __future__ import annotations

import logging
from functools import lru_cache

import jieba

from core.errors import InputError
from nlp.regions import RegionIndex, default_regions
from nlp.resources import industry_keywords, read_list
from nlp.segment_words import register_name_words

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    """``cut(text)`` over its own ``jieba.Tokenizer`` (never the global ``jieba.dt``)."""

    def __init__(self, regions: RegionIndex | None = None, *, extra_words: list[str] | None = None) -> None:
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        regions = regions or default_regions()
        stop = set(read_list("place_stoplist.txt"))
        words: dict[str, int] = {}
        for name in regions.names():
            if len(name) >= 2 and name not in stop:
                words[name] = 2000
        for terms in industry_keywords().values():
            for term in terms:
                words[term] = 3000
        for suffix in read_list("org_suffixes.txt"):
            words.setdefault(suffix, 3000)
        for org in read_list("orgs.txt"):
            words[org] = 5000
        for word in extra_words or []:
            words[word] = 5000
        for word, freq in words.items():
            self.tokenizer.add_word(word, freq)
        register_name_words(words)
        self.vocabulary_added = len(words)

    def cut(self, text: str) -> list[str]:
        """Words of ``text`` (whitespace tokens dropped)."""
        if not isinstance(text, str):
            raise InputError(f"cut expects str, got {type(text).__name__}")
        return [w for w in self.tokenizer.lcut(text) if w.strip()]


@lru_cache(maxsize=1)
def load_segmenter() -> Segmenter:
    """The shared segmenter, built once per process (jieba dictionary + user words, about a second)."""
    return Segmenter()
