"""Fixtures for nlp unit tests: one extractor / segmenter per session (jieba loads once)."""

from __future__ import annotations

import pytest

from nlp.leads import LeadExtractor
from nlp.segment import Segmenter, load_segmenter


@pytest.fixture(scope="session")
def segmenter() -> Segmenter:
    return load_segmenter()


@pytest.fixture(scope="session")
def extractor(segmenter: Segmenter) -> LeadExtractor:
    return LeadExtractor(segmenter=segmenter)
