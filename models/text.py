"""Match step, text helpers: Traditional→Simplified for matching fields and a private jieba tokenizer."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence

from nlp.normalize import t2s_converter

# A pinyin reading inserted after a character by machine conversion, e.g. 平臺(tái).
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[（(][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[0-9]?[)）]")
_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")

Tokenize = Callable[[str], list[str]]


def to_simplified(text: str) -> str:
    """Traditional → Simplified (OpenCC t2s) and pinyin readings removed; Simplified text is unchanged."""
    return t2s_converter().convert(_PINYIN.sub("", text))


class JiebaTokenizer:
    """Callable tokenizer over a private ``jieba.Tokenizer`` (jieba.dt is never touched).

    Returns lower-cased words with punctuation and whitespace dropped; ``extra_words`` are added to the
    private dictionary (e.g. taxonomy keywords).
    """

    def __init__(self, extra_words: Sequence[str] = (), stopwords: Sequence[str] = ()) -> None:
        import jieba

        self._tok = jieba.Tokenizer()
        self._lock = threading.Lock()
        self._extra = list(extra_words)
        self._initialised = False
        self.stopwords = frozenset(stopwords)

    def _ensure(self) -> None:
        with self._lock:
            if not self._initialised:
                self._tok.initialize()
                for word in self._extra:
                    if word.strip():
                        self._tok.add_word(word.strip())
                self._initialised = True

    def __call__(self, text: str) -> list[str]:
        self._ensure()
        words = self._tok.lcut(to_simplified(text), HMM=False)
        return [w.lower() for w in (w.strip() for w in words) if w and _TOKEN_OK.search(w) and w not in self.stopwords]


STOPWORDS: tuple[str, ...] = (
    "的",
    "和",
    "与",
    "及",
    "或",
    "等",
    "在",
    "对",
    "为",
    "了",
    "是",
    "按",
    "给予",
    "以上",
    "关于",
    "有关",
    "进行",
    "年",
    "月",
    "日",
    "万元",
    "亿元",
    "元",
    "不",
    "其",
    "可",
    "由",
    "将",
    "并",
    "被",
    "以",
    "于",
    "中",
    "上",
    "下",
)
