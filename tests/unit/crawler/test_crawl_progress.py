"""Crawl progress: child progress lines are parsed into the parent's bar; other lines are kept for errors."""

from __future__ import annotations

import io

from crawler.progress import PREFIX, ProgressFollower, parse_progress, report_progress
from crawler.sample_site.testing import FakeCrawler, FakeStats


def _crawler() -> FakeCrawler:
    return FakeCrawler(FakeStats({"response_received_count": 7, "zhaoshang/documents_created": 3,
                                  "zhaoshang/documents_unchanged": 1}))


def test_child_line_round_trips(capsys):
    report_progress(_crawler(), "sample_news", "标题" * 40)
    line = capsys.readouterr().err.strip()
    assert line.startswith(PREFIX)
    data = parse_progress(line)
    assert data is not None and (data["source"], data["pages"], data["documents"]) == ("sample_news", 7, 4)
    assert len(data["last"]) == 40
    assert parse_progress("2024 WARNING something") is None
    assert parse_progress(PREFIX + "{broken") is None
    assert parse_progress(PREFIX + '{"pages": 1}') is None


def test_follower_sums_sources_draws_a_bar_and_keeps_other_lines():
    lines = [
        PREFIX + '{"source": "a", "pages": 2, "documents": 1, "last": "x"}',
        "WARNING: request failed http://a/1",
        PREFIX + '{"source": "b", "pages": 5, "documents": 2, "last": "y"}',
        PREFIX + '{"source": "a", "pages": 4, "documents": 3, "last": "z"}',
    ]
    out = io.StringIO()
    follower = ProgressFollower(io.BytesIO("\n".join(lines).encode() + b"\n"), show=True, echo=True, out=out).start()
    follower.join(10)
    assert (follower.pages, follower.documents, follower.updates) == (9, 5, 3)
    assert follower.tail_text() == "WARNING: request failed http://a/1"
    text = out.getvalue()
    assert "crawl" in text and "9page" in text.replace(" ", "") and "WARNING: request failed" in text
    quiet = io.StringIO()
    silent = ProgressFollower(io.BytesIO(lines[1].encode()), show=False, echo=False, out=quiet).start()
    silent.join(10)
    assert quiet.getvalue() == "" and silent.tail_text() == lines[1]
