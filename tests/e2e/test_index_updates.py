"""Policies imported while the API runs are searchable without a restart (incremental index update + reload)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port, wait_healthy

pytestmark = [pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]


def _policy(pid: str, title: str, region: str, text: str) -> str:
    return json.dumps({"id": pid, "title": title, "issuer_region": region, "publish_date": "2025-01-01",
                       "text": text, "source_url": None}, ensure_ascii=False)


def test_import_while_serving_updates_search(tmp_path: Path) -> None:
    env = os.environ | {"ZHAOSHANG_HOME": str(tmp_path / "home"), "ZHAOSHANG_EMBEDDER": "fake", "HF_HUB_OFFLINE": "1"}
    env.pop("ZHAOSHANG_DATABASE_URL", None)
    cli = [sys.executable, str(ROOT / "cli.py")]
    first = tmp_path / "first.jsonl"
    first.write_text(_policy("P1", "芜湖市机器人产业扶持办法", "芜湖市",
                             "一、对新落户的机器人整机企业给予一次性奖励200万元。") + "\n", encoding="utf-8")
    assert subprocess.run([*cli, "policies", "import", str(first), "--no-progress"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300).returncode == 0
    port = free_port()
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server, timeout=120)

        def ids(query: str) -> list[str]:
            found = httpx.get(f"{base}/v1/policies/search", params={"q": query, "region": "芜湖市"}, timeout=30)
            assert found.status_code == 200, found.text
            return [hit["policy_id"] for hit in found.json()["results"]]

        assert ids("机器人 奖励") == ["P1"]
        second = tmp_path / "second.jsonl"
        second.write_text(_policy("P2", "安徽省新能源汽车零部件支持措施", "安徽省",
                                  "一、对动力电池项目按设备投资额的10%给予补助。") + "\n", encoding="utf-8")
        done = subprocess.run([*cli, "policies", "import", str(second), "--no-progress"], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and "1 new" in done.stderr, done.stderr
        assert "P2" in ids("动力电池 补助"), "the running API did not pick up the updated index"
        assert "P1" in ids("机器人 奖励")
    finally:
        server.terminate()
        server.wait(timeout=20)
