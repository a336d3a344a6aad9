"""Every benchmark module runs in quick mode and reports figures with a reference ratio (no timing asserts)."""

from __future__ import annotations

import importlib
import re

import pytest

from bench.run import MODULES

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.mark.parametrize("name", MODULES)
def test_benchmark_runs_quick_and_reports_a_ratio(name: str) -> None:
    section = importlib.import_module(f"bench.{name}").run(quick=True)
    assert section.lstrip().startswith("## ")
    assert re.search(r"\d", section)
    assert re.search(r"×|ratio|x faster|x slower|vs\.?", section, re.IGNORECASE), section
