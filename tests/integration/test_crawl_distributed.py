"""Distributed crawl: two crawler processes share one scrapy-redis queue and dupefilter, storing into PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections import Counter
from pathlib import Path

import pytest

from core.store import Store
from crawler.run import PROJECT_ROOT, child_command, write_child_sources
from crawler.sample_site import SampleSiteServer, make_sample_site
from crawler.sample_site.synthetic import build_synthetic_site, synthetic_detail_paths, synthetic_source
from crawler.sources import SourceConfig
from tests.servers import pg_schema_url

pytestmark = [pytest.mark.integration, pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]


def _run_two_workers(sources: list[SourceConfig], tmp_path: Path, *, home: Path, db_url: str, redis_url: str,
                     server: SampleSiteServer) -> None:
    """Two crawler child processes on one Redis queue and one store; the sample site is shut down afterwards."""
    write_child_sources(sources, tmp_path / "sources.json")
    env = dict(os.environ, ZHAOSHANG_HOME=str(home), ZHAOSHANG_DATABASE_URL=db_url, ZHAOSHANG_REDIS_URL=redis_url,
               PYTHONPATH=str(PROJECT_ROOT), HF_HUB_OFFLINE="1")
    try:
        workers = [subprocess.Popen(child_command(tmp_path / "sources.json", tmp_path / f"stats{n}.json"), env=env,
                                    cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                   for n in range(2)]
        errors = [w.communicate(timeout=240)[1].decode("utf-8", "replace")[-1500:] for w in workers]
        assert [w.returncode for w in workers] == [0, 0], errors
    finally:
        server.shutdown()
        server.server_close()


def test_two_workers_share_one_crawl(zs_home: Path, redis_url: str, pg_server: str, tmp_path: Path) -> None:
    db_url = pg_schema_url(pg_server)
    # no migration beforehand: both workers start on an empty schema and race to migrate it
    site = build_synthetic_site(120, page_size=10)
    server = make_sample_site(site=site, page_delay=0.05).start()
    source = synthetic_source(server.base_url, name=f"dist_{uuid.uuid4().hex[:6]}")
    _run_two_workers([source], tmp_path, home=zs_home, db_url=db_url, redis_url=redis_url, server=server)
    stats = [json.loads((tmp_path / f"stats{n}.json").read_text("utf-8"))[source.name] for n in range(2)]
    store = Store.connect(db_url)
    try:
        urls = [d.url for d in store.list_documents(limit=1000)]
    finally:
        store.close()
    expected = [server.base_url + p for p in synthetic_detail_paths(site)]
    # every detail page stored exactly once, nothing lost, nothing else stored
    assert Counter(urls) == Counter(expected)
    # the shared dupefilter: each detail page fetched once by the whole cluster, not once per worker
    fetched = Counter(p for p in server.requested if p in set(synthetic_detail_paths(site)))
    assert set(fetched.values()) == {1} and len(fetched) == len(expected)
    created = [s.get("zhaoshang/documents_created", 0) for s in stats]
    assert sum(created) == len(expected)
    assert all(n > 0 for n in created), f"both workers stored documents: {created}"
    assert {s["finish_reason"] for s in stats} == {"finished"}


def test_two_workers_on_the_sample_site_keep_attachments(zs_home: Path, redis_url: str, pg_server: str,
                                                         tmp_path: Path) -> None:
    """Attachment requests carry the half-built item through Redis (pickled) to whichever worker pops them."""
    from crawler.sample_site import detail_paths
    from crawler.sources import get_source

    db_url = pg_schema_url(pg_server)
    server = make_sample_site(page_delay=0.05).start()
    tag = uuid.uuid4().hex[:6]
    sources = [get_source(name).resolved(server.base_url).model_copy(update={"name": f"{name}_{tag}"})
               for name in ("sample_news", "sample_policy")]
    _run_two_workers(sources, tmp_path, home=zs_home, db_url=db_url, redis_url=redis_url, server=server)
    store = Store.connect(db_url)
    try:
        docs = store.list_documents(limit=1000)
    finally:
        store.close()
    assert Counter(d.url for d in docs) == Counter(server.base_url + p for p in detail_paths())
    attachments = [a for d in docs for a in d.attachments]
    assert {a.kind for a in attachments} == {"pdf", "docx"} and all(a.text for a in attachments)
