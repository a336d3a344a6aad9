"""make bench: run every benchmark module and write BENCHMARKS.md (absolute figures and ratios to in-run references)."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("mining", "search", "crawl", "api_load")


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            kb = int(fh.readline().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.machine()}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run), do not write BENCHMARKS.md")
    parser.add_argument("--only", choices=MODULES, action="append", help="run only these modules")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    sections: list[str] = []
    failed = 0
    for name in args.only or MODULES:
        started = time.perf_counter()
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            sections.append(module.run(quick=args.quick).strip() + "\n")
        except Exception:  # one broken benchmark must not hide the others' figures
            failed += 1
            sections.append(f"## {name}\n\nFAILED:\n\n```\n{traceback.format_exc()}```\n")
        print(f"bench: {name} done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    command = "python -m bench.run --quick" if args.quick else "make bench"
    text = "\n".join([
        "# Benchmarks",
        "",
        f"Produced by `{command}` on {dt.date.today().isoformat()} ({machine()}). Every ratio compares against a "
        "reference measured in the same run on the same data, so figures from different machines are comparable by "
        "ratio; absolute figures are for this machine only. Timings are wall-clock; no test asserts on them.",
        "",
        *sections,
    ])
    if args.quick:
        print(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
