"""The extraction evaluation: its metrics on hand-made cases, its generated pages, its Markdown section."""

from __future__ import annotations

import pytest

from evaluation.extraction_eval import (
    TEMPLATES,
    bag_pr,
    corpus_cases,
    f1,
    sample_site_cases,
    score,
    section,
    seq_pr,
)


def test_metrics_count_characters_not_words():
    assert bag_pr("合肥市签约项目", "合肥市签约项目") == (1.0, 1.0)
    p, r = bag_pr("合肥市签约", "合肥市签约项目导航")  # 4 extra characters predicted
    assert (round(p, 3), r) == (round(5 / 9, 3), 1.0)
    assert seq_pr("甲乙丙丁", "丁丙乙甲")[1] < bag_pr("甲乙丙丁", "丁丙乙甲")[1] == 1.0  # order matters for seq only
    assert bag_pr("正文", "") == (0.0, 0.0) and f1((0.0, 0.0)) == 0.0
    assert bag_pr("正 文\n", "正文") == (1.0, 1.0)  # whitespace ignored


def test_generated_pages_hold_the_passage_and_noise(shared_dir):
    cases = corpus_cases(shared_dir, limit=3)
    assert {c.family for c in cases} == set(TEMPLATES) and len(cases) == 3 * len(TEMPLATES)
    for case in cases:
        first_line = case.text.split("\n")[0]
        assert first_line[:10] in case.html.replace("&quot;", '"').replace("&#x27;", "'")
        assert "相关阅读" in case.html or "楼" in case.html or "要闻摘要" in case.html or "版权所有" in case.html


def test_scores_are_real_measurements(shared_dir):
    sample = score(sample_site_cases())
    assert sum(s.pages for s in sample.values()) >= 15
    cases = corpus_cases(shared_dir, limit=4)
    for case in cases[:3]:
        case.text = "完全不同的文字" * 20  # a wrong truth must score low
    scores = score(cases)
    worst = min(min(f1(x) for x in s.bag) for s in scores.values())
    assert worst < 0.3


@pytest.mark.slow
def test_section_is_markdown_with_every_family():
    text = section(quick=True)
    assert text.startswith("## ")
    for family in TEMPLATES:
        assert f"| {family} |" in text
