"""Load: a burst of concurrent dry-runs against one real server process."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.hardening.conftest import LogWindow, build_dataset
from tests.live_server import Server

CONCURRENT_RUNS = 50


class TestConcurrentDryRuns:
    def test_fifty_at_once_are_all_stored_completed(self, shared_server: Server) -> None:
        key = build_dataset(shared_server.http, count=5)
        window = LogWindow(shared_server)
        gate = threading.Barrier(CONCURRENT_RUNS, timeout=30)
        limits = httpx.Limits(max_connections=CONCURRENT_RUNS)

        with httpx.Client(base_url=shared_server.url, timeout=120, limits=limits) as http:

            def dry_run(_: int) -> httpx.Response:
                gate.wait()  # all requests leave together
                return http.post(
                    "/api/tunix/run", json={"dataset_key": key, "model_id": "tiny-gemma3"}
                )

            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=CONCURRENT_RUNS) as pool:
                responses = list(pool.map(dry_run, range(CONCURRENT_RUNS)))
            elapsed = time.monotonic() - started

        assert [r.status_code for r in responses] == [202] * CONCURRENT_RUNS, [
            r.text for r in responses if r.status_code != 202
        ]
        assert {r.json()["status"] for r in responses} == {"completed"}
        assert not [r for r in responses if "database is locked" in r.text]
        run_ids = {r.json()["run_id"] for r in responses}
        assert len(run_ids) == CONCURRENT_RUNS

        stored = shared_server.http.get(
            "/api/tunix/runs", params={"dataset_key": key, "limit": 100}
        ).json()["data"]
        assert {r["run_id"] for r in stored} == run_ids
        assert {r["status"] for r in stored} == {"completed"}

        log = window.text()
        assert "database is locked" not in log
        assert "Traceback" not in log
        assert log.count('POST /api/tunix/run HTTP/1.1" 202') == CONCURRENT_RUNS
        statuses = [int(code) for code in re.findall(r'HTTP/1\.1" (\d{3})', log)]
        assert statuses and max(statuses) < 500, sorted(set(statuses))
        print(f"{CONCURRENT_RUNS} concurrent dry-runs took {elapsed:.2f} s")
