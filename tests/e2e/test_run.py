"""`zhaoshang run` end to end: sample site → crawl → mine → index → API and review page over real HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port, wait_healthy

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def test_run_brings_up_api_and_review_page_with_mined_leads(tmp_path: Path) -> None:
    api_port, site_port = free_port(), free_port()
    env = os.environ | {"ZHAOSHANG_HOME": str(tmp_path / "home"), "ZHAOSHANG_SAMPLE_SITE_PORT": str(site_port),
                        "ZHAOSHANG_EMBEDDER": os.environ.get("ZHAOSHANG_TEST_EMBEDDER", "fake"), "HF_HUB_OFFLINE": "1"}
    env.pop("ZHAOSHANG_DATABASE_URL", None)
    log = (tmp_path / "run.log").open("w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "run", "--port", str(api_port), "--no-progress"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{api_port}"
    try:
        wait_healthy(base, proc, timeout=420, log=tmp_path / "run.log")
        output = (tmp_path / "run.log").read_text()
        assert "/review" in output and "/v1/leads" in output

        leads = httpx.get(f"{base}/v1/leads", params={"limit": 100}, timeout=30).json()
        items = leads["items"]
        assert len(items) >= 3, leads
        assert all(item["evidence"] for item in items)
        assert any(item["stage"] == "签约" and item["region_code"] for item in items)

        assert httpx.get(f"{base}/review", timeout=30).status_code == 303  # analysts sign in first
        with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as analyst:
            page = analyst.post("/signin", data={"name": "王分析", "next": "/review"})
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert items[0]["evidence"][:10] in page.text or str(items[0]["id"]) in page.text

        found = httpx.get(f"{base}/v1/policies/search", params={"q": "固定资产投资 奖励", "region": "安庆市"}, timeout=30)
        assert found.status_code == 200, found.text
        assert found.json()["results"], found.json()
        assert httpx.get(f"{base}/readyz", timeout=30).status_code == 200
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
