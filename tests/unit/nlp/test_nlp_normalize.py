"""normalize(): Traditional→Simplified, pinyin readings, width, spaces and garbage flags."""

from __future__ import annotations

import time

import pytest

from core.errors import InputError
from nlp.normalize import GARBAGE_MARK, normalize


def test_traditional_to_simplified_with_zhe_override() -> None:
    out = normalize("著力推進產業項目,隨著發展")
    assert out.text == "着力推进产业项目,随着发展"
    assert "traditional" in out.flags


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("搭建招商平臺(tái)", "搭建招商平台"),
        ("項(xiàng)目", "项目"),
        ("項(xiang4)目", "项目"),
        ("平臺(tai)建設", "平台建设"),
    ],
)
def test_pinyin_readings_removed(raw: str, expected: str) -> None:
    out = normalize(raw)
    assert out.text == expected
    assert "pinyin-readings" in out.flags


@pytest.mark.parametrize(
    "raw",
    ["中建材(安徽)新材料产业投资基金", "(以下简称“执行小组”)", "市县(区)", "新竹(AI)园区", "(ID:pedaily2012)"],
)
def test_real_parentheses_kept(raw: str) -> None:
    assert normalize(raw).text == raw


def test_byline_parentheses_kept_and_converted() -> None:
    assert normalize("(記者 田婷)").text == "(记者 田婷)"


def test_width_and_spaces() -> None:
    assert normalize("ＡＢＣ１２３，。（）").text == "ABC123，。（）"
    assert normalize("总投资 25 亿元").text == "总投资25亿元"
    assert normalize("1-3 月份").text == "1-3月份"
    assert normalize("建设 200 万千瓦").text == "建设200万千瓦"
    assert normalize("  第一行  \n\n\n\n  第二行").text == "第一行\n\n第二行"


def test_real_question_mark_kept() -> None:
    out = normalize("高郵緣何能取得如此傲人的成績?高郵市商務局")
    assert out.text == "高邮缘何能取得如此傲人的成绩?高邮市商务局"
    assert not [f for f in out.flags if f.startswith("garbage")]


def test_mojibake_flagged_and_marked(shared_dir) -> None:  # type: ignore[no-untyped-def]
    seed = next((shared_dir / "seeds").glob("000_*.txt")).read_text(encoding="utf-8")
    out = normalize(seed)
    garbage = [f for f in out.flags if f.startswith("garbage:")]
    assert len(garbage) >= 4
    assert "?!" not in out.text and "笔⌒" not in out.text
    assert GARBAGE_MARK in out.text
    assert "(tái)" not in out.text and "平台" in out.text


@pytest.mark.parametrize("raw", ["数据??????丢失", "替换\ufffd\ufffd字符"])
def test_question_runs_and_replacement_chars_flagged(raw: str) -> None:
    out = normalize(raw)
    assert any(f.startswith("garbage:") for f in out.flags)
    assert "?" not in out.text and "\ufffd" not in out.text


def test_empty_and_non_str() -> None:
    assert normalize("").text == ""
    with pytest.raises(InputError):
        normalize(b"bytes")  # type: ignore[arg-type]


def test_fast_on_a_megabyte() -> None:
    text = "今年8月,安庆市與北大未來技術學院簽約,總投資 25 億元。" * 40000
    start = time.perf_counter()
    out = normalize(text)
    assert time.perf_counter() - start < 3.0
    assert out.text.startswith("今年8月,安庆市与北大未来技术学院签约,总投资25亿元。")
