"""The store repository split into aggregates: one Store facade, the old import paths, one not-found rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.errors import NotFoundError
from core.schemas import Document, Lead
from core.store import LeadFilter, Store, region_prefix
from core.store import repo as repo_module
from core.store.base import get_row
from core.store.documents import DocumentRepository
from core.store.leads import LeadRepository
from core.store.policies import PolicyRepository
from core.store.review import ReviewRepository
from core.store.tables import DocumentRow, LeadRow


@pytest.fixture
def store(tmp_path: Path):
    s = Store.connect(f"sqlite:///{tmp_path / 'layout.db'}")
    yield s
    s.close()


def test_store_is_every_aggregate_and_old_imports_still_work() -> None:
    for aggregate in (DocumentRepository, LeadRepository, ReviewRepository, PolicyRepository):
        assert issubclass(Store, aggregate)
    assert repo_module.Store is Store and repo_module.LeadFilter is LeadFilter
    assert repo_module.region_prefix is region_prefix
    assert region_prefix("340800") == "3408" and region_prefix("000000") == ""


def test_get_row_returns_the_row_or_names_what_is_missing(store: Store) -> None:
    doc_id, _ = store.save_document(Document(url="http://a.gov.cn/1.html", canonical_url="http://a.gov.cn/1.html",
                                             title="标题", source="t", text="合肥市签约项目", content_hash="h1",
                                             fetched_at=dt.datetime(2024, 1, 1)))
    with store.db.session() as s:
        assert get_row(s, DocumentRow, doc_id, f"document {doc_id}").url == "http://a.gov.cn/1.html"
        with pytest.raises(NotFoundError, match="lead 99 does not exist"):
            get_row(s, LeadRow, 99, "lead 99 does not exist")


def test_each_aggregate_reports_missing_rows_the_same_way(store: Store) -> None:
    with pytest.raises(NotFoundError, match="document 5 does not exist"):
        store.get_document(5)
    with pytest.raises(NotFoundError, match="document 5 does not exist"):
        store.replace_document_leads(5, [Lead(evidence="合肥市签约。", stage="签约", confidence=0.5)])
    with pytest.raises(NotFoundError, match="lead 7 does not exist"):
        store.set_lead_status(7, "approved", actor="王分析", expected_version=None)
    with pytest.raises(NotFoundError, match="policy 'P9' does not exist"):
        store.get_policy("P9")
