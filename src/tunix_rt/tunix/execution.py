"""Running a run, dry-run or local: recorded before it does anything, closed however it ends.

The record's life is in registry.py; what a run trains on is rendered by service.py.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from functools import partial
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tunix_rt.datasets import service as datasets
from tunix_rt.datasets.models import Dataset
from tunix_rt.errors import (
    Conflict,
    NotFound,
    NotImplementedYet,
    ServiceUnavailable,
    Unprocessable,
    database_unavailable,
)
from tunix_rt.settings import Settings
from tunix_rt.training.config import Hyperparameters
from tunix_rt.training.model_ids import model_id_problem
from tunix_rt.tunix import process, registry
from tunix_rt.tunix.availability import tunix_status
from tunix_rt.tunix.logs import read_truncated, truncate_bytes
from tunix_rt.tunix.models import TunixRun
from tunix_rt.tunix.paths import holds_files, resolve_output_dir
from tunix_rt.tunix.registry import RunOutcome
from tunix_rt.tunix.schemas import RunMode, RunRequest, RunStatus
from tunix_rt.tunix.service import MANIFEST_FILE, dataset_trace_ids, runner_config, sft_lines

logger = logging.getLogger(__name__)

DATASET_FILE = "dataset.jsonl"
STDOUT_FILE = "stdout.log"
STDERR_FILE = "stderr.log"
# Export lines are gathered into writes of about this size: few thread hops, bounded memory.
WRITE_CHUNK_BYTES = 1024 * 1024
# How long a finished run keeps trying to store its outcome while the database is down.
FINISH_RETRY_SECONDS = 30.0
FINISH_RETRY_FIRST_DELAY = 0.25
FINISH_RETRY_MAX_DELAY = 4.0


async def execute_run(
    factory: async_sessionmaker[AsyncSession], settings: Settings, request: RunRequest
) -> TunixRun:
    """Run to the end and return the stored record.

    Request problems (bad output_dir, timeout, no Tunix for a local run) are refused before
    anything is recorded. From then on the record exists, and whatever happens it is closed.
    """
    mode: RunMode = "dry_run" if request.dry_run else "local"
    run_id = uuid.uuid4()
    output_dir = await anyio.to_thread.run_sync(
        resolve_output_dir, settings.tunix_rt_output_root, request.output_dir, run_id
    )
    timeout = _timeout(settings, request)
    if mode == "local":
        await _check_local_ready(settings, request, output_dir)
    config: dict[str, Any] = {
        **request.model_dump(mode="json", include=set(Hyperparameters.model_fields)),
        "timeout_seconds": timeout if mode == "local" else None,
    }
    try:
        run = await registry.start_run(
            factory,
            run_id=run_id,
            dataset_key=request.dataset_key,
            model_id=request.model_id,
            mode=mode,
            output_dir=str(output_dir),
            config=config,
        )
    except Exception as exc:
        logger.warning("could not record run %s: %s", run_id, exc)
        raise ServiceUnavailable(
            "The run registry cannot be written (database unavailable: "
            f"{type(exc).__name__}), so the run was not started"
        ) from exc

    try:
        if mode == "dry_run":
            outcome = await _dry_run(factory, request, output_dir, settings.tunix_run_log_max_bytes)
        else:
            outcome = await _local_run(factory, settings, request, run_id, output_dir, timeout)
    except Exception as exc:
        logger.exception("run %s failed in the server", run_id)
        outcome = _internal_failure(exc, settings.tunix_run_log_max_bytes)
    except BaseException:
        # Cancelled (server shutting down): close the record before giving way.
        with anyio.CancelScope(shield=True):
            await registry.finish_run(factory, run, _interrupted())
        raise
    return await _finish(factory, run, outcome)


async def _finish(
    factory: async_sessionmaker[AsyncSession], run: TunixRun, outcome: RunOutcome
) -> TunixRun:
    """Store the outcome, retrying through a short database outage.

    A run may take minutes, and its outcome exists nowhere else: a blip in the database at
    its very end should not leave the record `running` until the next start-up.
    """
    delay = FINISH_RETRY_FIRST_DELAY
    deadline = anyio.current_time() + FINISH_RETRY_SECONDS
    while True:
        try:
            return await registry.finish_run(factory, run, outcome)
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            if anyio.current_time() + delay > deadline:
                logger.warning("could not store the outcome of run %s: %s", run.run_id, exc)
                raise ServiceUnavailable(
                    f"The run ended ({outcome.status}) but its outcome could not be stored "
                    f"(database unavailable: {type(exc).__name__}); it stays listed as running "
                    "until the next server start marks it failed"
                ) from exc
            logger.warning("storing the outcome of run %s failed, retrying: %s", run.run_id, exc)
        await anyio.sleep(delay)
        delay = min(delay * 2, FINISH_RETRY_MAX_DELAY)


def _timeout(settings: Settings, request: RunRequest) -> float:
    limit = settings.tunix_run_timeout_seconds
    if request.timeout_seconds is None:
        return limit
    if request.timeout_seconds > limit:
        raise Unprocessable(
            f"timeout_seconds {request.timeout_seconds:g} exceeds the server's limit of "
            f"{limit:g} (TUNIX_RUN_TIMEOUT_SECONDS)"
        )
    return request.timeout_seconds


async def _check_local_ready(settings: Settings, request: RunRequest, output_dir: Path) -> None:
    if request.output_dir is not None and await anyio.to_thread.run_sync(holds_files, output_dir):
        raise Conflict(
            f"output_dir {request.output_dir!r} already holds files; choose a new folder"
        )
    status = await tunix_status(settings.training_python, settings.tunix_status_cache_seconds)
    if not status.available:
        raise NotImplementedYet(f"Local runs train with Tunix. {status.message}")


def _internal_failure(exc: Exception, log_max_bytes: int) -> RunOutcome:
    text = f"Internal error in tunix-rt: {type(exc).__name__}: {exc}\n"
    return RunOutcome(
        status="failed",
        exit_code=None,
        stdout="",
        stderr=truncate_bytes(text.encode(), log_max_bytes),
        message=f"The run failed because of an error in the server: {type(exc).__name__}",
    )


def _interrupted() -> RunOutcome:
    return RunOutcome(
        status="failed",
        exit_code=None,
        stdout="",
        stderr="The run was interrupted before it finished (request cancelled).\n",
        message="The run was interrupted",
    )


# --- dry-run ---------------------------------------------------------------------------------


class _Checks:
    """Each check's verdict as a stdout line; reasons for failures go to stderr too."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.err: list[str] = []

    def ok(self, text: str) -> None:
        self.out.append(f"[ok] {text}")

    def fail(self, text: str) -> None:
        self.out.append(f"[failed] {text}")
        self.err.append(text)

    def skip(self, text: str) -> None:
        self.out.append(f"[skipped] {text}")

    def outcome(self, log_max_bytes: int, *, passed: str, failed: str) -> RunOutcome:
        """`passed` closes stdout when every check passed; else `failed` and the first reason."""
        ok = not self.err
        self.out.append(passed if ok else failed)
        return RunOutcome(
            status="completed" if ok else "failed",
            exit_code=0 if ok else 1,
            stdout=truncate_bytes(("\n".join(self.out) + "\n").encode(), log_max_bytes),
            stderr=truncate_bytes(
                "".join(f"{line}\n" for line in self.err).encode(), log_max_bytes
            ),
            message=passed if ok else f"{failed} {self.err[0]}",
        )

    def not_started(self, log_max_bytes: int) -> RunOutcome:
        return self.outcome(
            log_max_bytes, passed="", failed="Local run not started; the runner needs a dataset:"
        )


async def _dry_run(
    factory: async_sessionmaker[AsyncSession],
    request: RunRequest,
    output_dir: Path,
    log_max_bytes: int,
) -> RunOutcome:
    checks = _Checks()
    async with factory() as session:
        dataset = await _checked_dataset(session, request.dataset_key, checks)
        if dataset is None:
            checks.skip("tunix_sft export: no dataset to render")
        else:
            lines = size = 0
            async for line in sft_lines(session, dataset_trace_ids(dataset)):
                lines += 1
                size += len(line.encode())
            _check_export(checks, dataset, lines, size)
    config = runner_config(request, request.dataset_key, request.model_id, str(output_dir))
    checks.ok(f"manifest: {len(config.to_yaml().encode())} bytes of runner config rendered")
    problem = await anyio.to_thread.run_sync(model_id_problem, request.model_id)
    if problem:
        checks.fail(f"model: {problem}")
    else:
        checks.ok(f"model: {request.model_id!r} can be loaded by the runner")
    return checks.outcome(
        log_max_bytes,
        passed="Dry run passed: dataset, export, manifest and model are ready to train.",
        failed="Dry run failed:",
    )


async def _checked_dataset(session: AsyncSession, key: str, checks: _Checks) -> Dataset | None:
    try:
        dataset = await datasets.get_dataset(session, key)
    except NotFound:
        checks.fail(f"dataset: {key} not found")
        return None
    if dataset.trace_count == 0:
        checks.fail(f"dataset: {key} is empty")
        return None
    checks.ok(f"dataset: {key} exists with {dataset.trace_count} traces")
    return dataset


def _check_export(checks: _Checks, dataset: Dataset, lines: int, size: int) -> None:
    if lines == 0:
        checks.fail(
            f"tunix_sft export: none of the {dataset.trace_count} traces of "
            f"{dataset.dataset_key} is still stored"
        )
        return
    missing = dataset.trace_count - lines
    note = f" ({missing} deleted traces skipped)" if missing else ""
    checks.ok(f"tunix_sft export: {lines} lines, {size} bytes rendered{note}")


# --- local run -------------------------------------------------------------------------------


async def _local_run(
    factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    request: RunRequest,
    run_id: uuid.UUID,
    output_dir: Path,
    timeout_seconds: float,
) -> RunOutcome:
    checks = _Checks()
    async with factory() as session:
        dataset = await _checked_dataset(session, request.dataset_key, checks)
        if dataset is None:
            return checks.not_started(settings.tunix_run_log_max_bytes)
        await anyio.to_thread.run_sync(partial(output_dir.mkdir, parents=True, exist_ok=True))
        lines = await write_dataset(session, dataset, output_dir / DATASET_FILE)
    if lines == 0:
        _check_export(checks, dataset, lines, 0)
        return checks.not_started(settings.tunix_run_log_max_bytes)
    config = runner_config(request, request.dataset_key, request.model_id, str(output_dir))
    manifest = output_dir / MANIFEST_FILE
    await anyio.Path(manifest).write_text(config.to_yaml(), encoding="utf-8")

    stdout_path, stderr_path = output_dir / STDOUT_FILE, output_dir / STDERR_FILE
    child = partial(
        process.run_child,
        runner_argv(settings, manifest),
        cwd=output_dir,
        stdout_path=stdout_path,
        stderr_path=stderr_path,
        timeout=timeout_seconds,
        env={**os.environ, "PYTHONUNBUFFERED": "1", process.RUN_ID_ENV: str(run_id)},
    )
    # A limiter of its own: a long run must not hold one of the shared worker-thread tokens.
    ended = await anyio.to_thread.run_sync(child, limiter=anyio.CapacityLimiter(1))

    limit = settings.tunix_run_log_max_bytes
    stdout = await anyio.to_thread.run_sync(read_truncated, stdout_path, limit)
    stderr = await anyio.to_thread.run_sync(read_truncated, stderr_path, limit)
    status: RunStatus
    if ended.timed_out:
        status, message = "timeout", f"Timed out after {timeout_seconds:g} s; the runner was killed"
    elif ended.signal_name:
        status, message = "failed", f"The runner crashed: killed by {ended.signal_name}"
    elif ended.returncode != 0:
        status, message = "failed", f"The runner exited with code {ended.returncode}"
    else:
        status, message = "completed", _completion_message(stdout)
    return RunOutcome(
        status=status, exit_code=ended.returncode, stdout=stdout, stderr=stderr, message=message
    )


async def write_dataset(session: AsyncSession, dataset: Dataset, path: Path) -> int:
    """Stream the dataset's tunix_sft lines to `path` in large writes; returns the line count."""
    lines = 0
    pending: list[str] = []
    pending_size = 0
    async with await anyio.open_file(path, "w", encoding="utf-8") as handle:
        async for line in sft_lines(session, dataset_trace_ids(dataset)):
            lines += 1
            pending.append(line)
            pending_size += len(line)
            if pending_size >= WRITE_CHUNK_BYTES:
                await handle.write("".join(pending))
                pending, pending_size = [], 0
        await handle.write("".join(pending))
    return lines


def runner_argv(settings: Settings, manifest: Path) -> list[str]:
    """The child's argument vector: values are separate arguments, never shell text."""
    python = settings.training_python
    if settings.tunix_runner_script is not None:
        return [python, str(settings.tunix_runner_script.resolve()), "--config", str(manifest)]
    return [python, "-m", settings.tunix_runner_module, "--config", str(manifest)]


def _completion_message(stdout: str) -> str:
    """The runner ends with a one-line JSON summary; quote it when it is there."""
    for line in reversed(stdout.strip().splitlines()[-5:]):
        try:
            summary = json.loads(line)
        except ValueError:
            continue
        if isinstance(summary, dict) and "steps" in summary:
            loss = summary.get("final_loss")
            loss_text = f", final loss {loss:.4f}" if isinstance(loss, int | float) else ""
            return f"Training completed: {summary['steps']} steps{loss_text}"
    return "The runner completed (exit code 0)"
