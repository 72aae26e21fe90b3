"""Runs survive a server restart: `tunix-rt serve` as a real process on a file database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import make_trace, unique_name
from tests.live_server import Server


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
