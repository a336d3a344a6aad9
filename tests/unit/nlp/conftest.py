"""Fixtures for nlp unit tests: one extractor / segmenter per session (jieba loads once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from nlp.leads import LeadExtractor
from nlp.segment import Segmenter, load_segmenter


@pytest.fixture(scope="session")
def segmenter() -> Segmenter:
    return load_segmenter()


@pytest.fixture(scope="session")
def extractor(segmenter: Segmenter) -> LeadExtractor:
    return LeadExtractor(segmenter=segmenter)


LeadsOf = Callable[[str], list[dict[str, Any]]]


@pytest.fixture(scope="session")
def leads_of(extractor: LeadExtractor) -> LeadsOf:
    """``leads_of(text)``: the leads the extractor finds in ``text``, as dicts."""
    return lambda text: [lead.model_dump() for lead in extractor.extract(text).leads]
