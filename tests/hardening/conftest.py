"""Hardening fixtures: real servers running the stand-in runner, datasets built over HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import httpx
import pytest

from tests.conftest import DIALECTS, create_pg_database, drop_pg_database, make_trace, unique_name
from tests.live_server import Server
from tests.tunix.conftest import STAND_IN_RUNNER

# Every server here trains with the stand-in runner: fast, and its behaviour is chosen per run.
STAND_IN_ENV = {"TUNIX_RUNNER_SCRIPT": str(STAND_IN_RUNNER), "TUNIX_RUN_TIMEOUT_SECONDS": "120"}


@contextmanager
def running_server(
    database_url: str, folder: Path, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """A `tunix-rt serve` process that is stopped (or killed) however the block ends."""
    server = Server(database_url, folder, env={**STAND_IN_ENV, **(env or {})})
    try:
        yield server
    finally:
        if server.process.poll() is None:
            try:
                server.stop()
            except Exception:
                server.kill()


def build_dataset(http: httpx.Client, count: int = 2) -> str:
    """Store `count` traces and freeze them as a dataset; returns its key."""
    marker = unique_name("hard")
    traces = [make_trace(prompt=f"Q{i}?", meta={"source": marker}) for i in range(count)]
    stored = http.post("/api/traces/batch", json={"traces": traces})
    assert stored.status_code == 201, stored.text
    built = http.post(
        "/api/datasets/build",
        json={"dataset_name": marker, "dataset_version": "v1", "filters": {"source": marker}},
    )
    assert built.status_code == 201, built.text
    key: str = built.json()["dataset_key"]
    return key


def pid_alive(pid: int) -> bool:
    """Whether a process is still running (a zombie waiting to be reaped counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


@pytest.fixture(scope="session", params=DIALECTS)
def shared_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One real server per dialect for the tests that only add data (each under its own keys).

    Starting `tunix-rt serve` costs seconds; tests that kill or restart it start their own.
    """
    folder = tmp_path_factory.mktemp(f"shared-{request.param}")
    if request.param == "sqlite":
        with running_server(f"sqlite+aiosqlite:///{folder / 'shared.db'}", folder) as server:
            yield server
        return
    name = unique_name("tunix_rt_hard_")
    url = anyio.run(create_pg_database, name)
    try:
        with running_server(url, folder) as server:
            yield server
    finally:
        anyio.run(drop_pg_database, name)


class LogWindow:
    """The part of a server's log written since this object was made."""

    def __init__(self, server: Server) -> None:
        self.log = server.log
        self.start = server.log.stat().st_size

    def text(self) -> str:
        with self.log.open("rb") as handle:
            handle.seek(self.start)
            return handle.read().decode("utf-8", "replace")
