"""Real `tunix-rt serve` processes for the tests that need one: restarts, crashes, browsers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import anyio
import httpx
import pytest

from tests.conftest import DIALECTS, create_pg_database, drop_pg_database, unique_name

CLI = Path(sys.executable).with_name("tunix-rt")

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """One `tunix-rt serve` process on a free port, its output in a log file beside its data."""

    def __init__(self, database_url: str, folder: Path, env: dict[str, str] | None = None) -> None:
        self.database_url = database_url
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"serve-{self.port}.log"
        full_env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "TUNIX_RT_OUTPUT_ROOT": str(folder / "runs"),
            **(env or {}),
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(CLI), "serve", "--port", str(self.port)],
                cwd=folder,  # away from the repo's .env
                env=full_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.http = httpx.Client(base_url=self.url, timeout=120)
        try:
            self._wait_healthy()
        except BaseException:
            self.kill()  # a server that never became healthy must not outlive the test
            raise

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 90
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
        """Like a user's Ctrl-C: SIGINT, then a kill if it hangs."""
        self.http.close()
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def kill(self) -> None:
        """Like a power cut for the server: SIGKILL, no clean-up of its own."""
        self.http.close()
        self.process.kill()
        self.process.wait()


def _run_async(function: Callable[[str], Awaitable[T]], name: str) -> T:
    """anyio.run in a thread of its own: the test's thread may hold an event loop already
    (Playwright's sync API keeps one there)."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(anyio.run, function, name).result()


@pytest.fixture(params=DIALECTS)
def file_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database no other test touches, empty until `serve` migrates it."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'registry.db'}"
        return
    name = unique_name("tunix_rt_live_")
    url = _run_async(create_pg_database, name)
    try:
        yield url
    finally:
        _run_async(drop_pg_database, name)
