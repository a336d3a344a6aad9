"""Fixtures for crawler unit tests: the sample site's pages as bytes, no server."""

from __future__ import annotations

import pytest

from crawler.sample_site import build_site
from crawler.sample_site.site import Page


@pytest.fixture(scope="session")
def site() -> dict[str, Page]:
    return build_site()
