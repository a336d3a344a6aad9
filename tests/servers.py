"""Real servers for tests: free ports, waiting for a server to answer, a throwaway PostgreSQL cluster (and fresh
schemas in it) and a Redis server on loopback, started from Debian's binaries."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def wait_healthy(base_url: str, proc: subprocess.Popen[Any] | None = None, timeout: float = 90.0,
                 log: Path | None = None) -> None:
    """Poll ``base_url/healthz`` until it answers 200; fail early if ``proc`` exits (its ``log`` is quoted)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            detail = log.read_text(errors="replace") if log is not None and log.exists() else ""
            if not detail and proc.stdout is not None:
                out = proc.stdout.read()
                detail = out.decode(errors="replace") if isinstance(out, bytes) else str(out)
            raise RuntimeError(f"server exited with {proc.returncode} before answering {base_url}/healthz\n{detail}")
        try:
            if httpx.get(base_url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            detail = log.read_text(errors="replace") if log is not None and log.exists() else ""
            raise TimeoutError(f"{base_url}/healthz did not answer within {timeout:.0f} s\n{detail}")
        time.sleep(0.2)


def pg_schema_url(base: str) -> str:
    """A fresh, empty schema in the PostgreSQL database at ``base``; returns a URL whose search_path points at it."""
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    return f"{base}?options=-csearch_path%3D{schema}"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _as_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the 'postgres' system user then."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@contextmanager
def postgres_server(workdir: Path) -> Iterator[str]:
    """Start a PostgreSQL cluster in ``workdir`` on a free loopback port; yield its SQLAlchemy URL."""
    bindir = _pg_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed: run 'make test' (installs Debian's postgresql) or apt-get install postgresql")
    if os.geteuid() == 0:
        # pytest's tmp dirs are private to root; the postgres user needs a directory of its own.
        workdir = Path(tempfile.mkdtemp(prefix="zs-pg-"))
        os.chown(workdir, pwd.getpwnam("postgres").pw_uid, -1)
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / "pgdata"
    subprocess.run(_as_user([str(bindir / "initdb"), "-D", str(data), "-U", "zs", "--auth=trust", "-E", "UTF8",
                             "--locale=C.UTF-8"]), check=True, capture_output=True)
    port = free_port()
    log = workdir / "pg.log"
    subprocess.run(_as_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o",
                             f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c fsync=off", "start"]),
                   check=True, capture_output=True)
    try:
        wait_port(port)
        subprocess.run(_as_user(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "zs", "-d", "postgres", "-c",
                                 "CREATE DATABASE zhaoshang"]), check=True, capture_output=True)
        yield f"postgresql+psycopg://zs@127.0.0.1:{port}/zhaoshang"
    finally:
        subprocess.run(_as_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        if os.geteuid() == 0:
            shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """Start redis-server on a free loopback port without persistence; yield its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed: run 'make test' (installs Debian's redis-server)")
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
