"""The CLI contracts end to end: extract, policies import/search and bad-input handling, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]


def zs(home: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"ZHAOSHANG_HOME": str(home), "ZHAOSHANG_EMBEDDER": os.environ.get("ZHAOSHANG_TEST_EMBEDDER", "fake"),
                        "HF_HUB_OFFLINE": "1"}
    env.pop("ZHAOSHANG_DATABASE_URL", None)
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=timeout)


def test_extract_contract_on_corpus_news(tmp_path: Path, shared_dir: Path) -> None:
    lines = (shared_dir / "corpus" / "news.jsonl").read_text(encoding="utf-8").splitlines()[:12]
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(json.dumps({k: json.loads(line)[k] for k in ("id", "text", "publish_date")}, ensure_ascii=False)
                             for line in lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = zs(tmp_path / "home", "extract", "--input", str(inp), "--output", str(out), "--no-progress")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(row) for row in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [json.loads(line)["id"] for line in lines]
    leads = [lead for r in rows for lead in r["leads"]]
    assert len(leads) >= 5
    fields = {"org", "project", "location", "region_code", "amount_cny", "amount", "currency", "industry", "stage",
              "evidence", "confidence"}
    for lead in leads:
        assert set(lead) == fields
        assert lead["stage"] in {"在谈", "签约", "开工", "投产", "其他"}
        assert 0.0 <= lead["confidence"] <= 1.0 and lead["evidence"]
    n001 = next(r for r in rows if r["id"] == "N001")
    assert any(lead["amount_cny"] == pytest.approx(1.5e9) and lead["region_code"] == "340522" for lead in n001["leads"]), n001


def test_extract_rejects_bad_lines_without_writing(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "a", "text": "合肥签约", "publish_date": null}\n{"id": "b", "text": 5}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = zs(tmp_path / "home", "extract", "--input", str(inp), "--output", str(out))
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error:") and "line 2" in proc.stderr and "line 3" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_policies_import_is_upsert_and_all_or_nothing_then_search(tmp_path: Path, shared_dir: Path) -> None:
    home = tmp_path / "home"
    src = shared_dir / "corpus" / "policies.jsonl"
    proc = zs(home, "policies", "import", str(src), "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert "83 new, 0 updated" in proc.stderr
    proc = zs(home, "policies", "import", str(src), "--no-progress")
    assert "0 new, 83 updated" in proc.stderr

    broken = tmp_path / "broken.jsonl"
    good = json.loads(src.read_text(encoding="utf-8").splitlines()[0])
    good |= {"id": "NEW1", "title": "新政策"}
    broken.write_text(json.dumps(good, ensure_ascii=False) + "\n" + json.dumps({"id": "NEW2", "title": ""}) + "\n",
                      encoding="utf-8")
    proc = zs(home, "policies", "import", str(broken))
    assert proc.returncode == 2 and "line 2" in proc.stderr

    queries = tmp_path / "q.jsonl"
    queries.write_text(
        json.dumps({"id": "q1", "query": "生物医药产业 扶持 奖励", "region": "广州市"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "q2", "query": "集成电路 企业所得税", "region": None}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    out = tmp_path / "r.jsonl"
    proc = zs(home, "policies", "search", "--input", str(queries), "--output", str(out), "--top", "5")
    assert proc.returncode == 0, proc.stderr
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(rows) == {"q1", "q2"}
    ids = [hit["policy_id"] for hit in rows["q1"]["results"]]
    assert "NEW1" not in ids and 0 < len(ids) <= 5
    assert set(rows["q1"]["results"][0]) == {"policy_id", "score", "title", "matched_clause"}
    policies = {p["id"]: p for p in map(json.loads, src.read_text(encoding="utf-8").splitlines())}
    for pid in ids:  # region hierarchy: only national, 广东省, 广州市 and its districts
        assert policies[pid]["region_path"][0] in ("全国", "广东省"), (pid, policies[pid]["region_path"])

    proc = zs(home, "policies", "search", "集成电路 流片 奖励", "--region", "火星市")
    assert proc.returncode == 2 and "火星市" in proc.stderr


def test_bad_configuration_is_one_clear_line(tmp_path: Path) -> None:
    env_home = tmp_path / "home"
    proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "mine"], cwd=ROOT, text=True, capture_output=True,
                          env=os.environ | {"ZHAOSHANG_HOME": str(env_home), "ZHAOSHANG_EMBEDDER": "quantum"}, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error:") and "ZHAOSHANG_" in proc.stderr
