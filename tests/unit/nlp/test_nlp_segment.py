"""Segmenter: a private jieba Tokenizer with industry, place and organisation words."""

from __future__ import annotations

import jieba
import pytest

from core.errors import InputError
from nlp.segment import Segmenter


def test_user_words_kept_whole(segmenter: Segmenter) -> None:
    words = segmenter.cut("推动在马鞍山市的中联重科智能装备制造产业园签约,发展新型显示和集成电路")
    for word in ("马鞍山市", "中联重科", "新型显示", "集成电路"):
        assert word in words


def test_global_jieba_untouched(segmenter: Segmenter) -> None:
    assert segmenter.tokenizer is not jieba.dt
    assert "中联重科" not in jieba.dt.FREQ


def test_cut_rejects_non_str(segmenter: Segmenter) -> None:
    assert segmenter.cut("") == []
    with pytest.raises(InputError):
        segmenter.cut(None)  # type: ignore[arg-type]
