"""Tunix endpoints over HTTP: status, SFT export and manifest, runs, and the run registry."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import make_trace
from tests.tunix.conftest import MakeDataset, run_body, run_dirs
from tunix_rt.app import create_app
from tunix_rt.datasets.formats import render_tunix_sft
from tunix_rt.settings import Settings
from tunix_rt.traces.models import Trace
from tunix_rt.training.config import RunnerConfig
from tunix_rt.tunix import execution, process
from tunix_rt.tunix.models import TunixRun

RUN_FIELDS = {
    "run_id",
    "status",
    "mode",
    "dataset_key",
    "model_id",
    "output_dir",
    "exit_code",
    "stdout",
    "stderr",
    "duration_seconds",
    "started_at",
    "completed_at",
    "message",
}


@pytest.fixture
async def app_with(
    make_settings: Callable[..., Settings],
) -> AsyncIterator[Callable[..., Any]]:
    """Start apps with custom settings; each one's lifespan ends with the test."""
    stack: list[Any] = []

    async def start(**overrides: Any) -> httpx.AsyncClient:
        application = create_app(make_settings(**overrides))
        lifespan = application.router.lifespan_context(application)
        await lifespan.__aenter__()
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://t"
        )
        stack.append((lifespan, http))
        return http

    yield start
    for lifespan, http in reversed(stack):
        await http.aclose()
        await lifespan.__aexit__(None, None, None)


async def stored_run(client: httpx.AsyncClient, run_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/tunix/runs/{run_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def delete_dataset_traces(
    app: FastAPI, client: httpx.AsyncClient, key: str, count: int | None = None
) -> None:
    """Delete stored traces of a dataset after its build (there is no delete endpoint)."""
    trace_ids = (await client.get(f"/api/datasets/{key}")).json()["trace_ids"]
    async with app.state.session_factory() as session, session.begin():
        for trace_id in trace_ids[:count]:
            await session.delete(await session.get(Trace, uuid.UUID(trace_id)))


def pid_alive(pid: int) -> bool:
    """Whether a process is still running (a zombie waiting to be reaped counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class TestStatus:
    async def test_reports_tunix_installed_in_the_training_python(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get("/api/tunix/status")
        assert response.status_code == 200
        body = response.json()
        assert body["available"] is True
        assert body["version"] == importlib.metadata.version("google-tunix")
        assert body["runtime_required"] is False
        assert body["version"] in body["message"]

    async def test_reports_unavailable_with_install_hint(
        self, app_with: Callable[..., Any], python_without_tunix: str
    ) -> None:
        client = await app_with(tunix_python=python_without_tunix)
        body = (await client.get("/api/tunix/status")).json()
        assert body["available"] is False
        assert body["version"] is None
        assert "make install" in body["message"]
        assert python_without_tunix in body["message"]

    async def test_missing_interpreter_is_unavailable_not_an_error(
        self, app_with: Callable[..., Any], tmp_path: Path
    ) -> None:
        client = await app_with(tunix_python=str(tmp_path / "no-such-python"))
        response = await client.get("/api/tunix/status")
        assert response.status_code == 200
        assert response.json()["available"] is False
        assert "TUNIX_PYTHON" in response.json()["message"]


class TestSftExport:
    async def test_exports_dataset_as_tunix_sft_lines(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(3)
        dataset = (await client.get(f"/api/datasets/{key}")).json()
        response = await client.post("/api/tunix/sft/export", json={"dataset_key": key})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in response.text.splitlines()]
        assert [line["id"] for line in lines] == dataset["trace_ids"]
        trace = (await client.get(f"/api/traces/{lines[0]['id']}")).json()
        assert lines[0] == render_tunix_sft(trace["id"], trace["payload"])
        assert lines[0]["text"].startswith("<start_of_turn>user\n")

    async def test_limit_caps_the_lines(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(3)
        response = await client.post("/api/tunix/sft/export", json={"dataset_key": key, "limit": 2})
        assert len(response.text.splitlines()) == 2

    async def test_exports_given_trace_ids_in_order(self, client: httpx.AsyncClient) -> None:
        stored = await client.post(
            "/api/traces/batch", json={"traces": [make_trace(prompt="A?"), make_trace(prompt="B?")]}
        )
        ids = stored.json()["ids"]
        response = await client.post("/api/tunix/sft/export", json={"trace_ids": ids[::-1]})
        assert [json.loads(line)["id"] for line in response.text.splitlines()] == ids[::-1]

    async def test_neither_dataset_nor_ids_is_400(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/tunix/sft/export", json={})
        assert response.status_code == 400
        assert "dataset_key or trace_ids" in response.json()["detail"]

    async def test_both_dataset_and_ids_is_400(self, client: httpx.AsyncClient) -> None:
        body = {"dataset_key": "x-v1", "trace_ids": [str(uuid.uuid4())]}
        assert (await client.post("/api/tunix/sft/export", json=body)).status_code == 400

    async def test_unknown_dataset_is_404(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/tunix/sft/export", json={"dataset_key": "nope-v1"})
        assert response.status_code == 404
        assert response.json() == {"detail": "Dataset nope-v1 not found"}

    @pytest.mark.parametrize("limit", [0, 10_001])
    async def test_limit_out_of_bounds_is_422(self, client: httpx.AsyncClient, limit: int) -> None:
        body = {"dataset_key": "x-v1", "limit": limit}
        assert (await client.post("/api/tunix/sft/export", json=body)).status_code == 422


class TestManifest:
    async def test_yaml_is_exactly_the_runner_config(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(1)
        body = {
            "dataset_key": key,
            "model_id": "tiny-gemma3",
            "learning_rate": 0.001,
            "num_epochs": 2,
            "batch_size": 4,
            "max_seq_length": 256,
            "max_steps": 10,
        }
        response = await client.post("/api/tunix/sft/manifest", json=body)
        assert response.status_code == 201
        result = response.json()
        expected = RunnerConfig(**body, output_dir=".").to_yaml()
        assert result["manifest_yaml"] == expected
        assert RunnerConfig.from_yaml(result["manifest_yaml"]).max_steps == 10
        assert result["format"] == "tunix_sft"
        assert (result["dataset_key"], result["model_id"]) == (key, "tiny-gemma3")

    async def test_output_dir_is_placed_under_the_output_root(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, settings: Settings
    ) -> None:
        key = await make_dataset(1)
        body = {"dataset_key": key, "model_id": "tiny-gemma3", "output_dir": "exp/one"}
        result = (await client.post("/api/tunix/sft/manifest", json=body)).json()
        config = RunnerConfig.from_yaml(result["manifest_yaml"])
        assert config.output_dir == str(settings.tunix_rt_output_root.resolve() / "exp" / "one")

    async def test_model_the_runner_cannot_load_is_a_warning(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(1)
        body = {"dataset_key": key, "model_id": "google/gemma-2b-it"}
        response = await client.post("/api/tunix/sft/manifest", json=body)
        assert response.status_code == 201
        assert "Warning" in response.json()["message"]

    async def test_unknown_dataset_is_404(self, client: httpx.AsyncClient) -> None:
        body = {"dataset_key": "nope-v1", "model_id": "tiny-gemma3"}
        assert (await client.post("/api/tunix/sft/manifest", json=body)).status_code == 404

    @pytest.mark.parametrize(
        "field",
        [
            {"learning_rate": 0},
            {"learning_rate": 1.5},
            {"num_epochs": 0},
            {"num_epochs": 1001},
            {"batch_size": 0},
            {"batch_size": 1025},
            {"max_seq_length": 7},
            {"max_seq_length": 32769},
            {"max_steps": 0},
            {"max_steps": 10_000_001},
            {"model_id": ""},
            {"model_id": "m" * 513},
            {"output_dir": "../out"},
        ],
    )
    async def test_out_of_bounds_is_422(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, field: dict[str, Any]
    ) -> None:
        key = await make_dataset(1)
        body = {"dataset_key": key, "model_id": "tiny-gemma3", **field}
        assert (await client.post("/api/tunix/sft/manifest", json=body)).status_code == 422


class TestDryRun:
    async def test_passing_checks_complete_and_are_stored(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, settings: Settings
    ) -> None:
        key = await make_dataset(2)
        body = {"dataset_key": key, "model_id": "tiny-gemma3"}
        response = await client.post("/api/tunix/run", json=body)
        assert response.status_code == 202
        run = response.json()
        assert set(run) == RUN_FIELDS
        assert (run["status"], run["mode"], run["exit_code"]) == ("completed", "dry_run", 0)
        assert f"[ok] dataset: {key} exists with 2 traces" in run["stdout"]
        assert "[ok] tunix_sft export: 2 lines" in run["stdout"]
        assert "[ok] manifest" in run["stdout"]
        assert "[ok] model: 'tiny-gemma3'" in run["stdout"]
        assert run["stderr"] == ""
        assert run["message"].startswith("Dry run passed")
        assert run["output_dir"] == str(settings.tunix_rt_output_root.resolve() / run["run_id"])
        assert not Path(run["output_dir"]).exists()  # a dry-run writes nothing
        stored = await stored_run(client, run["run_id"])
        assert {k: stored[k] for k in RUN_FIELDS} == run
        assert stored["config"]["learning_rate"] == 2e-5
        assert stored["config"]["timeout_seconds"] is None

    async def test_deleted_traces_are_skipped_and_reported(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, app: FastAPI
    ) -> None:
        key = await make_dataset(3)
        await delete_dataset_traces(app, client, key, count=1)
        run = (
            await client.post(
                "/api/tunix/run", json={"dataset_key": key, "model_id": "tiny-gemma3"}
            )
        ).json()
        assert run["status"] == "completed"
        assert "[ok] tunix_sft export: 2 lines" in run["stdout"]
        assert "(1 deleted traces skipped)" in run["stdout"]

    async def test_missing_dataset_is_a_failed_run(self, client: httpx.AsyncClient) -> None:
        body = {"dataset_key": "ghost-v1", "model_id": "tiny-gemma3"}
        response = await client.post("/api/tunix/run", json=body)
        assert response.status_code == 202
        run = response.json()
        assert (run["status"], run["exit_code"]) == ("failed", 1)
        assert "dataset: ghost-v1 not found" in run["stderr"]
        assert "[skipped] tunix_sft export" in run["stdout"]
        assert run["message"].startswith("Dry run failed: dataset: ghost-v1 not found")
        assert (await stored_run(client, run["run_id"]))["status"] == "failed"

    async def test_empty_dataset_fails(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(0)
        run = (
            await client.post(
                "/api/tunix/run", json={"dataset_key": key, "model_id": "tiny-gemma3"}
            )
        ).json()
        assert run["status"] == "failed"
        assert f"dataset: {key} is empty" in run["stderr"]

    async def test_unloadable_model_fails_with_reason(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(1)
        body = {"dataset_key": key, "model_id": "google/gemma-2b-it"}
        run = (await client.post("/api/tunix/run", json=body)).json()
        assert run["status"] == "failed"
        assert "[failed] model:" in run["stdout"]
        assert "google/gemma-2b-it" in run["stderr"]
        assert "[ok] tunix_sft export" in run["stdout"]  # the other checks still ran

    async def test_error_in_server_code_is_a_stored_failure(
        self,
        client: httpx.AsyncClient,
        make_dataset: MakeDataset,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        key = await make_dataset(1)

        def broken(model_id: str) -> str | None:
            raise RuntimeError("model registry exploded")

        monkeypatch.setattr(execution, "model_id_problem", broken)
        response = await client.post("/api/tunix/run", json={"dataset_key": key, "model_id": "x"})
        assert response.status_code == 202
        run = response.json()
        assert run["status"] == "failed"
        assert "RuntimeError: model registry exploded" in run["stderr"]
        stored = await stored_run(client, run["run_id"])
        assert stored["status"] == "failed"
        assert stored["completed_at"] is not None


class TestLocalRun:
    async def test_completed_run_writes_inputs_and_logs(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, settings: Settings
    ) -> None:
        key = await make_dataset(3)
        response = await client.post("/api/tunix/run", json=run_body(key, max_steps=2))
        assert response.status_code == 202
        run = response.json()
        assert (run["status"], run["mode"], run["exit_code"]) == ("completed", "local", 0)
        assert run["message"] == "Training completed: 2 steps, final loss 1.2500"
        assert f"stand-in runner: 3 examples of {key}" in run["stdout"]
        assert "step 2 loss 1.2500" in run["stdout"]
        folder = Path(run["output_dir"])
        assert folder == settings.tunix_rt_output_root.resolve() / run["run_id"]
        export = await client.post("/api/tunix/sft/export", json={"dataset_key": key})
        assert (folder / "dataset.jsonl").read_text() == export.text
        expected = RunnerConfig(
            dataset_key=key, model_id="stand-in:ok", max_steps=2, output_dir=str(folder)
        ).to_yaml()
        assert (folder / "manifest.yaml").read_text() == expected
        assert (folder / "stdout.log").read_text() == run["stdout"]
        assert run["duration_seconds"] > 0
        stored = await stored_run(client, run["run_id"])
        assert {k: stored[k] for k in RUN_FIELDS} == run
        assert stored["config"]["max_steps"] == 2
        assert stored["config"]["timeout_seconds"] == settings.tunix_run_timeout_seconds

    async def test_record_is_running_while_the_child_runs(
        self, app: FastAPI, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(1)
        transport = httpx.ASGITransport(app=app)
        seen: list[dict[str, Any]] = []
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://a") as first,
            httpx.AsyncClient(transport=transport, base_url="http://b") as second,
        ):
            result: dict[str, Any] = {}

            async def start() -> None:
                response = await first.post(
                    "/api/tunix/run", json=run_body(key, "stand-in:sleep:1.5")
                )
                result.update(response.json())

            async with anyio.create_task_group() as tasks:
                tasks.start_soon(start)
                with anyio.fail_after(10):
                    while not seen:
                        page = (
                            await second.get("/api/tunix/runs", params={"status": "running"})
                        ).json()
                        seen.extend(page["data"])
                        await anyio.sleep(0.05)
                health = await second.get("/api/health")
                assert health.status_code == 200
                detail = await stored_run(second, seen[0]["run_id"])
                assert detail["status"] == "running"
                assert detail["completed_at"] is None
            assert result["run_id"] == seen[0]["run_id"]
            assert result["status"] == "completed"
            assert (await stored_run(second, result["run_id"]))["status"] == "completed"

    async def test_non_zero_exit_fails(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(1)
        run = (await client.post("/api/tunix/run", json=run_body(key, "stand-in:exit:3"))).json()
        assert (run["status"], run["exit_code"]) == ("failed", 3)
        assert run["message"] == "The runner exited with code 3"
        assert "failing on purpose with 3" in run["stderr"]

    async def test_child_crash_fails_naming_the_signal(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(1)
        run = (await client.post("/api/tunix/run", json=run_body(key, "stand-in:crash"))).json()
        assert (run["status"], run["exit_code"]) == ("failed", -9)
        assert "SIGKILL" in run["message"]
        assert (await stored_run(client, run["run_id"]))["status"] == "failed"

    async def test_timeout_kills_the_child_and_its_children(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(1)
        body = run_body(key, "stand-in:orphan:30", timeout_seconds=1)
        run = (await client.post("/api/tunix/run", json=body)).json()
        assert run["status"] == "timeout"
        assert run["duration_seconds"] < 10
        assert "Timed out after 1 s" in run["message"]
        folder = Path(run["output_dir"])
        for name in ("runner.pid", "grandchild.pid"):
            assert not pid_alive(int((folder / name).read_text())), name
        assert (await stored_run(client, run["run_id"]))["status"] == "timeout"

    async def test_child_ignoring_sigterm_is_killed_after_the_grace_period(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(process, "KILL_GRACE_SECONDS", 0.3)
        key = await make_dataset(1)
        body = run_body(key, "stand-in:ignore-term:30", timeout_seconds=1)
        run = (await client.post("/api/tunix/run", json=body)).json()
        folder = Path(run["output_dir"])
        assert (folder / "ignoring").exists()
        assert (run["status"], run["exit_code"]) == ("timeout", -9)
        assert not pid_alive(int((folder / "runner.pid").read_text()))

    async def test_huge_output_is_truncated_but_kept_whole_on_disk(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, settings: Settings
    ) -> None:
        key = await make_dataset(1)
        size = 10 * 1024 * 1024
        run = (
            await client.post("/api/tunix/run", json=run_body(key, f"stand-in:flood:{size}"))
        ).json()
        assert run["status"] == "completed"
        stdout = run["stdout"]
        assert len(stdout.encode()) <= settings.tunix_run_log_max_bytes
        assert stdout.startswith("stand-in runner: 1 examples")
        assert "FIRST LINE" in stdout
        assert stdout.endswith("LAST LINE\n")
        assert "bytes truncated ...]" in stdout
        assert (Path(run["output_dir"]) / "stdout.log").stat().st_size > size

    async def test_invalid_utf8_from_the_child_is_replaced(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(1)
        run = (await client.post("/api/tunix/run", json=run_body(key, "stand-in:bad-bytes"))).json()
        assert run["status"] == "completed"
        assert "before \ufffd\ufffd after \ufffd" in run["stdout"]
        assert run["stderr"] == "err \ufffd bytes\n"
        assert (await stored_run(client, run["run_id"]))["stdout"] == run["stdout"]

    async def test_missing_dataset_fails_without_starting_the_child(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        run = (await client.post("/api/tunix/run", json=run_body("ghost-v1"))).json()
        assert run["status"] == "failed"
        assert "dataset: ghost-v1 not found" in run["stderr"]
        assert run["message"] == (
            "Local run not started; the runner needs a dataset: dataset: ghost-v1 not found"
        )
        assert run_dirs(settings.tunix_rt_output_root) == []

    async def test_empty_dataset_fails_without_starting_the_child(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, settings: Settings
    ) -> None:
        key = await make_dataset(0)
        run = (await client.post("/api/tunix/run", json=run_body(key))).json()
        assert (run["status"], run["exit_code"]) == ("failed", 1)
        assert f"dataset: {key} is empty" in run["stderr"]
        assert run_dirs(settings.tunix_rt_output_root) == []

    async def test_dataset_whose_traces_are_all_deleted_fails(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, app: FastAPI
    ) -> None:
        key = await make_dataset(2)
        await delete_dataset_traces(app, client, key)
        run = (await client.post("/api/tunix/run", json=run_body(key))).json()
        assert run["status"] == "failed"
        assert "none of the 2 traces" in run["stderr"]
        assert not (Path(run["output_dir"]) / "runner.pid").exists()

    async def test_error_in_server_code_is_a_stored_failure(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        key = await make_dataset(1)

        async def broken(*args: Any) -> int:
            raise OSError("disk full")

        monkeypatch.setattr(execution, "write_dataset", broken)
        response = await client.post("/api/tunix/run", json=run_body(key))
        assert response.status_code == 202
        run = response.json()
        assert (run["status"], run["exit_code"]) == ("failed", None)
        assert "OSError: disk full" in run["stderr"]
        assert (await stored_run(client, run["run_id"]))["status"] == "failed"

    async def test_given_output_dir_is_used(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, settings: Settings
    ) -> None:
        key = await make_dataset(1)
        run = (await client.post("/api/tunix/run", json=run_body(key, output_dir="exp/a"))).json()
        folder = settings.tunix_rt_output_root.resolve() / "exp" / "a"
        assert run["output_dir"] == str(folder)
        assert (folder / "stdout.log").is_file()

    async def test_output_dir_holding_files_is_409(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(1)
        first = await client.post("/api/tunix/run", json=run_body(key, output_dir="same"))
        assert first.status_code == 202
        second = await client.post("/api/tunix/run", json=run_body(key, output_dir="same"))
        assert second.status_code == 409
        runs = (await client.get("/api/tunix/runs")).json()["data"]
        assert len(runs) == 1

    @pytest.mark.parametrize("output_dir", ["../escape", "a/../../escape", "/tmp/abs", "~/x", "."])
    async def test_output_dir_outside_the_root_is_422(
        self, client: httpx.AsyncClient, settings: Settings, output_dir: str
    ) -> None:
        response = await client.post(
            "/api/tunix/run", json=run_body("any-v1", output_dir=output_dir)
        )
        assert response.status_code == 422
        assert "output_dir" in response.json()["detail"]
        assert (await client.get("/api/tunix/runs")).json()["data"] == []

    async def test_symlink_escaping_the_root_is_422(
        self, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
    ) -> None:
        root = settings.tunix_rt_output_root
        root.mkdir(parents=True)
        (root / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
        response = await client.post("/api/tunix/run", json=run_body("any-v1", output_dir="link/x"))
        assert response.status_code == 422
        assert not (tmp_path / "elsewhere").exists()

    async def test_timeout_above_the_server_limit_is_422(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(1)
        response = await client.post("/api/tunix/run", json=run_body(key, timeout_seconds=61))
        assert response.status_code == 422
        assert "TUNIX_RUN_TIMEOUT_SECONDS" in response.json()["detail"]
        assert (await client.get("/api/tunix/runs")).json()["data"] == []

    @pytest.mark.parametrize(
        "field", [{"timeout_seconds": 0}, {"model_id": "bad\u0000id"}, {"dataset_key": ""}]
    )
    async def test_invalid_request_is_422(
        self, client: httpx.AsyncClient, field: dict[str, Any]
    ) -> None:
        response = await client.post("/api/tunix/run", json={**run_body("k-v1"), **field})
        assert response.status_code == 422

    async def test_without_tunix_is_501_and_nothing_runs(
        self,
        app_with: Callable[..., Any],
        make_dataset: MakeDataset,
        python_without_tunix: str,
        settings: Settings,
    ) -> None:
        key = await make_dataset(1)
        client = await app_with(tunix_python=python_without_tunix, tunix_runner_script=None)
        response = await client.post("/api/tunix/run", json=run_body(key, "tiny-gemma3"))
        assert response.status_code == 501
        assert "uv sync --extra tunix" in response.json()["detail"]
        assert (await client.get("/api/tunix/runs")).json()["data"] == []
        assert run_dirs(settings.tunix_rt_output_root) == []
        dry = await client.post(
            "/api/tunix/run", json={"dataset_key": key, "model_id": "tiny-gemma3"}
        )
        assert dry.json()["status"] == "completed"  # dry-runs need no Tunix

    async def test_unreachable_database_is_503_and_starts_no_child(self, tmp_path: Path) -> None:
        root = tmp_path / "runs"
        dead = Settings(
            database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none",
            tunix_rt_output_root=root,
            tunix_runner_script=Path(__file__).with_name("stand_in_runner.py"),
        )
        application = create_app(dead)
        async with (
            application.router.lifespan_context(application),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=application), base_url="http://t"
            ) as client,
        ):
            response = await client.post("/api/tunix/run", json=run_body("any-v1"))
        assert response.status_code == 503
        assert "run was not started" in response.json()["detail"]
        assert run_dirs(root) == []


class TestListRuns:
    @pytest.fixture
    async def runs(self, app: FastAPI) -> list[TunixRun]:
        """Six stored runs a minute apart, newest last; two share the same start time."""
        base = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
        specs = [
            ("a-v1", "dry_run", "completed", 0),
            ("a-v1", "local", "failed", 1),
            ("b-v1", "local", "completed", 2),
            ("b-v1", "dry_run", "failed", 3),
            ("a-v1", "local", "timeout", 4),
            ("b-v1", "local", "running", 4),
        ]
        rows = [
            TunixRun(
                run_id=uuid.uuid4(),
                dataset_key=key,
                model_id="tiny-gemma3",
                mode=mode,
                status=status,
                started_at=base + dt.timedelta(minutes=minute),
                stdout="out",
                stderr="",
                message="",
                config={},
            )
            for key, mode, status, minute in specs
        ]
        async with app.state.session_factory() as session, session.begin():
            session.add_all(rows)
        return rows

    @staticmethod
    def expected_order(rows: list[TunixRun]) -> list[str]:
        ordered = sorted(rows, key=lambda r: (r.started_at, str(r.run_id)), reverse=True)
        return [str(r.run_id) for r in ordered]

    async def test_newest_first_with_run_id_breaking_ties(
        self, client: httpx.AsyncClient, runs: list[TunixRun]
    ) -> None:
        body = (await client.get("/api/tunix/runs")).json()
        assert [r["run_id"] for r in body["data"]] == self.expected_order(runs)
        assert body["pagination"] == {
            "limit": 20,
            "offset": 0,
            "next_offset": None,
            "next_cursor": None,
        }
        assert set(body["data"][0]) == {
            "run_id",
            "dataset_key",
            "model_id",
            "mode",
            "status",
            "exit_code",
            "started_at",
            "completed_at",
            "duration_seconds",
        }

    @pytest.mark.parametrize(
        ("params", "match"),
        [
            ({"status": "failed"}, lambda r: r.status == "failed"),
            ({"mode": "local"}, lambda r: r.mode == "local"),
            ({"dataset_key": "a-v1"}, lambda r: r.dataset_key == "a-v1"),
            (
                {"status": "completed", "mode": "local"},
                lambda r: r.status == "completed" and r.mode == "local",
            ),
            (
                {"dataset_key": "b-v1", "mode": "local", "status": "running"},
                lambda r: (r.dataset_key, r.mode, r.status) == ("b-v1", "local", "running"),
            ),
            ({"status": "pending"}, lambda r: False),
            ({"dataset_key": "zzz"}, lambda r: False),
        ],
    )
    async def test_filters(
        self,
        client: httpx.AsyncClient,
        runs: list[TunixRun],
        params: dict[str, str],
        match: Callable[[TunixRun], bool],
    ) -> None:
        body = (await client.get("/api/tunix/runs", params=params)).json()
        assert [r["run_id"] for r in body["data"]] == self.expected_order(
            [r for r in runs if match(r)]
        )

    async def test_pages_cover_every_run_once(
        self, client: httpx.AsyncClient, runs: list[TunixRun]
    ) -> None:
        seen: list[str] = []
        offset: int | None = 0
        pages = 0
        while offset is not None:
            body = (
                await client.get("/api/tunix/runs", params={"limit": 4, "offset": offset})
            ).json()
            seen.extend(r["run_id"] for r in body["data"])
            offset = body["pagination"]["next_offset"]
            pages += 1
        assert pages == 2
        assert seen == self.expected_order(runs)

    async def test_exact_last_page_has_no_next_offset(
        self, client: httpx.AsyncClient, runs: list[TunixRun]
    ) -> None:
        body = (await client.get("/api/tunix/runs", params={"limit": 3, "offset": 3})).json()
        assert len(body["data"]) == 3
        assert body["pagination"]["next_offset"] is None
        first = (await client.get("/api/tunix/runs", params={"limit": 3})).json()
        assert first["pagination"]["next_offset"] == 3

    async def test_offset_past_the_end_is_empty(
        self, client: httpx.AsyncClient, runs: list[TunixRun]
    ) -> None:
        body = (await client.get("/api/tunix/runs", params={"offset": 50})).json()
        assert body == {
            "data": [],
            "pagination": {"limit": 20, "offset": 50, "next_offset": None, "next_cursor": None},
        }

    async def test_empty_registry(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/api/tunix/runs")).json()["data"] == []

    @pytest.mark.parametrize(
        "params",
        [{"status": "exploded"}, {"mode": "cloud"}, {"limit": 0}, {"limit": 101}, {"offset": -1}],
    )
    async def test_invalid_query_is_422(
        self, client: httpx.AsyncClient, params: dict[str, Any]
    ) -> None:
        assert (await client.get("/api/tunix/runs", params=params)).status_code == 422


class TestGetRun:
    async def test_returns_every_stored_field(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset
    ) -> None:
        key = await make_dataset(1)
        run = (await client.post("/api/tunix/run", json=run_body(key, num_epochs=5))).json()
        detail = await stored_run(client, run["run_id"])
        assert set(detail) == RUN_FIELDS | {"config", "created_at"}
        assert {k: detail[k] for k in RUN_FIELDS} == run
        assert detail["config"]["num_epochs"] == 5
        assert dt.datetime.fromisoformat(detail["started_at"]).tzinfo is not None

    async def test_unknown_run_is_404(self, client: httpx.AsyncClient) -> None:
        run_id = uuid.uuid4()
        response = await client.get(f"/api/tunix/runs/{run_id}")
        assert response.status_code == 404
        assert response.json() == {"detail": f"Run {run_id} not found"}

    async def test_malformed_id_is_422(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/api/tunix/runs/not-a-uuid")).status_code == 422


def test_stand_in_runner_is_not_executable_text() -> None:
    """Run ids and keys reach the child as separate argv entries, never through a shell."""
    settings = Settings(tunix_runner_module="tunix_rt.training.sft", tunix_python="/py")
    argv = execution.runner_argv(settings, Path("/r/$(touch x);/manifest.yaml"))
    assert argv == [
        "/py",
        "-m",
        "tunix_rt.training.sft",
        "--config",
        "/r/$(touch x);/manifest.yaml",
    ]
    assert os.sep in argv[-1]
