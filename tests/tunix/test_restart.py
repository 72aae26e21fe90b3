"""Runs survive a server restart: `tunix-rt serve` as a real process on a file database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from tests.conftest import PG_URL, create_pg_database, drop_pg_database, make_trace, unique_name

CLI = Path(sys.executable).with_name("tunix-rt")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """One `tunix-rt serve` process; stopped with SIGTERM like a user's Ctrl-C."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.port = free_port()
        self.log = folder / f"serve-{self.port}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "TUNIX_RT_OUTPUT_ROOT": str(folder / "runs"),
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(CLI), "serve", "--port", str(self.port)],
                cwd=folder,  # away from the repo's .env
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30)
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {self.log.read_text()}")
            try:
                if self.http.get("/api/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"server did not start: {self.log.read_text()}")

    def stop(self) -> None:
        self.http.close()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not PG_URL, reason="TEST_POSTGRES_URL is not set"),
        ),
    ]
)
def file_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database no other test touches, empty until `serve` migrates it."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'registry.db'}"
        return
    name = unique_name("tunix_rt_restart_")
    url = anyio.run(create_pg_database, name)
    yield url
    anyio.run(drop_pg_database, name)


def test_runs_come_back_identical_after_a_restart(file_database: str, tmp_path: Path) -> None:
    server = Server(file_database, tmp_path)
    try:
        marker = unique_name("restart")
        stored = server.http.post("/api/traces", json=make_trace(meta={"source": marker}))
        assert stored.status_code == 201, stored.text
        built = server.http.post(
            "/api/datasets/build",
            json={"dataset_name": marker, "dataset_version": "v1", "filters": {"source": marker}},
        )
        assert built.status_code == 201, built.text
        key = built.json()["dataset_key"]
        passed = server.http.post(
            "/api/tunix/run", json={"dataset_key": key, "model_id": "tiny-gemma3"}
        )
        failed = server.http.post(
            "/api/tunix/run", json={"dataset_key": "missing-v1", "model_id": "tiny-gemma3"}
        )
        assert (passed.status_code, passed.json()["status"]) == (202, "completed")
        assert (failed.status_code, failed.json()["status"]) == (202, "failed")
        ids = [passed.json()["run_id"], failed.json()["run_id"]]
        before: list[dict[str, Any]] = [server.http.get(f"/api/tunix/runs/{i}").json() for i in ids]
        listed_before = server.http.get("/api/tunix/runs").json()
    finally:
        server.stop()

    server = Server(file_database, tmp_path)
    try:
        after = [server.http.get(f"/api/tunix/runs/{i}").json() for i in ids]
        listed_after = server.http.get("/api/tunix/runs").json()
    finally:
        server.stop()

    assert after == before
    assert listed_after == listed_before
    assert [r["run_id"] for r in listed_after["data"]] == ids[::-1]
    assert before[1]["stderr"] == "dataset: missing-v1 not found\n"
