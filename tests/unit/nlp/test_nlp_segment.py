"""Segmenter: a private jieba Tokenizer with industry, place and organisation words."""

from __future__ import annotations

import jieba
import pytest

from core.errors import InputError
from nlp.resources import read_list
from nlp.segment import Segmenter


def test_user_words_kept_whole(segmenter: Segmenter) -> None:
    words = segmenter.cut("推动在马鞍山市的中联重科智能装备制造产业园签约,发展新型显示和集成电路")
    for word in ("马鞍山市", "中联重科", "新型显示", "集成电路"):
        assert word in words


def test_global_jieba_untouched(segmenter: Segmenter) -> None:
    assert segmenter.tokenizer is not jieba.dt
    # words only our segmenter knows (jieba's own dictionary already has some, e.g. 中联重科) never reach jieba.dt,
    # whether or not something else in the process has initialised it
    with jieba.dt.get_dict_file() as fh:
        default = {line.split(maxsplit=1)[0].decode("utf-8") for line in fh if line.strip()}
    ours = [w for w in read_list("orgs.txt") if w not in default]
    assert ours and all(segmenter.tokenizer.FREQ.get(w) for w in ours)
    assert not any(jieba.dt.FREQ.get(w) for w in ours)  # 0 marks a mere prefix of a longer dictionary word


def test_cut_rejects_non_str(segmenter: Segmenter) -> None:
    assert segmenter.cut("") == []
    with pytest.raises(InputError):
        segmenter.cut(None)  # type: ignore[arg-type]
