"""Bench, API load: requests/s and p50/p99 latency of policy search and lead listing under uvicorn, vs /healthz.

The server is the real app (``uvicorn --factory service.app:app_factory``) on loopback, over a SQLite store
holding a few thousand synthetic leads and the bundled sample policies (crawler/sample_site/policies.yaml,
corpus-free), with API keys on (the lead listing sends a platform key, so auth is measured). The load
generator is a second process: Python asyncio + httpx with N concurrent connections, closed loop (each
connection sends its next request when the previous answer arrived). Both share the machine's cores.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Literal

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
POLICIES_YAML = ROOT / "crawler" / "sample_site" / "policies.yaml"
QUERIES = [("新能源汽车 整车 工厂 固定资产投资", "合肥市"), ("集成电路 设计 企业 研发补助", "合肥市"),
           ("外资企业 总部 落户 奖励", "安徽省"), ("动力电池 项目 设备投资 补助", "安庆市"),
           ("招商引资 项目 落地 奖励", "宜秀区")]
STAGES: tuple[Literal["在谈", "签约", "开工", "投产", "其他"], ...] = ("在谈", "签约", "开工", "投产", "其他")
INDUSTRIES = ("新能源汽车和智能网联汽车", "新一代信息技术", "生物医药", "新材料", "新能源和节能环保", "其他")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the data --------------------------------------------------------------------------------------
def seed_store(home: Path, embedder: str, n_leads: int) -> tuple[str, int]:
    """Synthetic leads, the sample policies and their index in ``home``; returns (platform key, policies)."""
    import yaml

    import jobs
    from core.config import Settings
    from core.schemas import Document, Lead
    from core.store import ApiKeys, Store
    from models.embedder import load_embedder
    from nlp.regions import default_regions

    settings = Settings(home=home, embedder=embedder)  # type: ignore[arg-type]
    settings.ensure_dirs()
    regions = default_regions()
    counties = sorted(code for code, r in regions.by_code.items() if r.level not in ("province", "city", "national"))
    rng = random.Random(7)
    store = Store.connect(settings.db_url)
    try:
        per_doc = 100
        for d in range(0, n_leads, per_doc):
            text = f"合成文档 {d}。"
            doc_id, _ = store.save_document(Document(
                url=f"http://bench.invalid/{d}", canonical_url=f"http://bench.invalid/{d}", title=text, source="bench",
                text=text, content_hash=f"{d:064d}", fetched_at=dt.datetime(2026, 1, 1)))
            leads = []
            for i in range(min(per_doc, n_leads - d)):
                region = regions.get(rng.choice(counties))
                industry, stage = rng.choice(INDUSTRIES), rng.choice(STAGES)
                amount = rng.randint(1, 200)
                leads.append(Lead(org=f"合成科技{d + i}有限公司", project=f"{industry}项目", location=region.name,
                                  region_code=region.code, amount_cny=amount * 1e8, amount=amount * 1e8, currency="CNY",
                                  industry=industry, stage=stage, confidence=0.7,
                                  evidence=f"合成科技{d + i}有限公司在{region.name}{stage}{industry}项目，总投资{amount}亿元。"))
            store.replace_document_leads(doc_id, leads)
        policies = yaml.safe_load(POLICIES_YAML.read_text(encoding="utf-8"))
        lines = [json.dumps({"id": p["slug"], "title": p["title"], "issuer_region": p["issuer"],
                             "publish_date": p["date"], "text": p["body"]}, ensure_ascii=False) for p in policies]
        path = home / "policies.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        jobs.import_policies(store, path, regions)
        jobs.build_policy_index(settings, store, load_embedder(settings), regions)
        key = ApiKeys(store.db).create("bench platform", "platform")[1]
        return key, len(policies)
    finally:
        store.close()


# -- the load generator (runs in its own process) --------------------------------------------------
async def _load(base: str, paths: list[str], headers: dict[str, str], concurrency: int, seconds: float) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:
        for path in paths[:concurrency]:  # warm-up: open the connections
            await client.get(path)

        async def worker(offset: int) -> None:
            nonlocal errors
            i = offset
            while time.perf_counter() < stop:
                started = time.perf_counter()
                response = await client.get(paths[i % len(paths)])
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors += 1
                i += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(concurrency)))
        elapsed = time.perf_counter() - began
    return {"n": len(latencies), "errors": errors, "elapsed": elapsed, "latencies": latencies}


def client_main(argv: list[str]) -> None:
    spec = json.loads(argv[0])
    out = asyncio.run(_load(spec["base"], spec["paths"], spec["headers"], spec["concurrency"], spec["seconds"]))
    lat = sorted(out.pop("latencies"))
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) >= 2 else [lat[0] * 1.0] * 99
    print(json.dumps(out | {"rps": out["n"] / out["elapsed"], "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000}))


def _drive(base: str, paths: list[str], headers: dict[str, str], concurrency: int, seconds: float) -> dict[str, Any]:
    spec = json.dumps({"base": base, "paths": paths, "headers": headers, "concurrency": concurrency,
                       "seconds": seconds})
    done = subprocess.run([sys.executable, "-m", "bench.api_load", spec], cwd=ROOT, capture_output=True, text=True,
                          timeout=seconds + 120, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- the run ----------------------------------------------------------------------------------------
def _static_available() -> Path | None:
    found = sorted((ROOT / "var" / "models").glob("zhaoshang-static-*"))
    return found[0].parent if found else None


def run(quick: bool = False) -> str:
    n_leads, seconds, concurrency = (500, 2.0, 8) if quick else (3000, 10.0, 16)
    models = None if quick else _static_available()
    embedder = "static" if models else "fake"
    tmp = Path(tempfile.mkdtemp(prefix="zs-bench-api-"))
    home = tmp / "home"
    home.mkdir()
    if models:
        (home / "models").symlink_to(models, target_is_directory=True)
    proc = None
    try:
        key, n_policies = seed_store(home, embedder, n_leads)
        port = _free_port()
        env = dict(os.environ, ZHAOSHANG_HOME=str(home), ZHAOSHANG_EMBEDDER=embedder, HF_HUB_OFFLINE="1",
                   ZHAOSHANG_RATE_LIMIT_PER_MINUTE="100000000", ZHAOSHANG_RATE_LIMIT_BURST="100000000",
                   ZHAOSHANG_WEBHOOK_POLL_SECONDS="0")
        env.pop("ZHAOSHANG_DATABASE_URL", None)
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "service.app:app_factory", "--host",
                                 "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        import httpx

        while True:
            if proc.poll() is not None:
                raise RuntimeError("uvicorn exited during start-up")
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
            if time.perf_counter() - started > 120:
                raise RuntimeError("uvicorn did not start within 120 s")
        startup = time.perf_counter() - started
        from urllib.parse import urlencode

        auth = {"Authorization": f"Bearer {key}"}
        cases = [
            ("GET /healthz (reference)", ["/healthz"], {}),
            ("GET /v1/leads?limit=50 (platform key)", ["/v1/leads?limit=50"], auth),
            ("GET /v1/leads?region_code=340000&stage=签约&limit=50", ["/v1/leads?" + urlencode(
                {"region_code": "340000", "stage": "签约", "limit": 50})], auth),
            ("GET /v1/policies/search (public, rate limiter on)", ["/v1/policies/search?" + urlencode(
                {"q": q, "region": r, "top": 10}) for q, r in QUERIES], {}),
        ]
        rows = []
        reference = None
        for label, paths, headers in cases:
            result = _drive(base, paths, headers, concurrency, seconds)
            if reference is None:
                reference = result
            rows.append((label, result))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    assert reference is not None
    lines = [
        "## API load (uvicorn, loopback)",
        "",
        f"Machine: {os.cpu_count()} cores shared by the server (1 uvicorn worker) and the load generator (a second "
        f"Python process, asyncio + httpx, {concurrency} keep-alive connections, closed loop, {seconds:.0f} s per "
        f"endpoint, one repetition each). Store: SQLite with {n_leads} synthetic leads; {n_policies} sample "
        f"policies indexed with the `{embedder}` embedder; API keys on; server start-up {startup:.1f} s.",
        "",
        "| endpoint | requests | errors | req/s | p50 ms | p99 ms | req/s vs /healthz | p50 vs /healthz |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, r in rows:
        lines.append(f"| {label} | {r['n']} | {r['errors']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
                     f"{r['rps'] / reference['rps']:.2f}× | {r['p50_ms'] / reference['p50_ms']:.1f}× |")
    lines += ["", "The /healthz row is the ceiling of this setup (client and server share the cores); lower ratios "
              "mean the endpoint's own work (store queries, key check, search) dominates.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    client_main(sys.argv[1:])
