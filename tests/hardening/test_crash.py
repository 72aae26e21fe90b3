"""Crash safety: the server is SIGKILLed in the middle of a local run."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from pathlib import Path
from typing import Any

import httpx

from tests.hardening.conftest import build_dataset, pid_alive, running_server, wait_for

SERVER_STOPPED = "The server stopped while this run was in progress"


class TestServerKilledMidRun:
    def test_training_dies_with_the_server_and_the_run_is_failed_after_restart(
        self, file_database: str, tmp_path: Path
    ) -> None:
        pids: list[int] = []
        try:
            with running_server(file_database, tmp_path) as server:
                key = build_dataset(server.http)
                answers: list[Any] = []

                def start() -> None:
                    # The request never gets an answer: the server dies under it.
                    with httpx.Client(base_url=server.url, timeout=60) as http:
                        body = {"dataset_key": key, "model_id": "stand-in:orphan:60"}
                        body["dry_run"] = False
                        try:
                            answers.append(http.post("/api/tunix/run", json=body))
                        except httpx.TransportError as exc:
                            answers.append(exc)

                requester = threading.Thread(target=start)
                requester.start()
                running: list[dict[str, Any]] = []

                def listed_running() -> bool:
                    page = server.http.get("/api/tunix/runs", params={"status": "running"})
                    running[:] = page.json()["data"]
                    return bool(running)

                wait_for(listed_running, 20, "the run to be listed as running")
                run_id = running[0]["run_id"]
                folder = Path(server.http.get(f"/api/tunix/runs/{run_id}").json()["output_dir"])
                wait_for(lambda: (folder / "grandchild.pid").is_file(), 20, "the grandchild")
                runner = int((folder / "runner.pid").read_text())
                grandchild = int((folder / "grandchild.pid").read_text())
                pids += [runner, grandchild]
                assert pid_alive(runner) and pid_alive(grandchild)

                server.kill()
                requester.join(timeout=30)
                assert isinstance(answers[0], httpx.TransportError)

                # The kernel's parent-death signal takes the runner down with the server ...
                wait_for(lambda: not pid_alive(runner), 10, "the runner to die with the server")
                # ... but not what the runner started: that one is start-up's job.
                assert pid_alive(grandchild)

            with running_server(file_database, tmp_path) as server:
                wait_for(lambda: not pid_alive(grandchild), 5, "start-up to stop the leftover")
                run = server.http.get(f"/api/tunix/runs/{run_id}").json()
                assert run["status"] == "failed"
                assert run["completed_at"] is not None
                assert run["message"].startswith(SERVER_STOPPED)
                assert SERVER_STOPPED in run["stderr"]
                assert f"have been stopped (pids {grandchild})" in run["stderr"]
                assert (
                    server.http.get("/api/tunix/runs", params={"status": "running"}).json()["data"]
                    == []
                )
        finally:
            for pid in pids:  # never leave a sleeper behind, whatever failed above
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
