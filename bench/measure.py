"""Timed HTTP requests against a running server: list/detail reads, dry-runs, local runs."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import yaml

from tunix_rt.tunix.registry import RunCursor

FILTER_VALUES = {"status": "failed", "mode": "local", "dataset_key": "bench-ds-042-v1"}
WARMUP_ROUNDS = 10


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 3)

    return {"n": len(ordered), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99)}


def deep_depth(size: int) -> int:
    return min(10_000, size // 2)


def cursor_at(http: httpx.Client, depth: int) -> str:
    """The cursor a client holds after reading `depth` runs: the row at that depth."""
    response = http.get("/api/tunix/runs", params={"offset": depth - 1, "limit": 1})
    response.raise_for_status()
    row = response.json()["data"][0]
    started_at = dt.datetime.fromisoformat(row["started_at"])
    return RunCursor(started_at=started_at, run_id=uuid.UUID(row["run_id"])).encode()


def read_shapes(
    http: httpx.Client, size: int, sample_ids: list[uuid.UUID]
) -> dict[str, Callable[[random.Random], tuple[str, dict[str, Any]]]]:
    """Each measured request, as a function of a random generator (for the detail ids).

    Deep pages start after min(10,000, size / 2) runs; the middle one after size / 2.
    """
    deep = deep_depth(size)
    mid = size // 2
    deep_cursor, mid_cursor = cursor_at(http, deep), cursor_at(http, mid)
    runs = "/api/tunix/runs"

    def fixed(path: str, **params: Any) -> Callable[[random.Random], tuple[str, dict[str, Any]]]:
        return lambda _rng: (path, params)

    return {
        "health": fixed("/api/health"),
        "list: first page": fixed(runs),
        "list: status": fixed(runs, status=FILTER_VALUES["status"]),
        "list: mode": fixed(runs, mode=FILTER_VALUES["mode"]),
        "list: dataset_key": fixed(runs, dataset_key=FILTER_VALUES["dataset_key"]),
        "list: dataset_key+status": fixed(
            runs, dataset_key=FILTER_VALUES["dataset_key"], status="timeout"
        ),
        "list: all filters": fixed(runs, **FILTER_VALUES),
        "list: deep offset": fixed(runs, offset=deep),
        "list: deep cursor": fixed(runs, cursor=deep_cursor),
        "list: cursor at middle": fixed(runs, cursor=mid_cursor),
        "detail": lambda rng: (f"{runs}/{rng.choice(sample_ids)}", {}),
    }


def measure_reads(
    http: httpx.Client,
    shapes: dict[str, Callable[[random.Random], tuple[str, dict[str, Any]]]],
    rounds: int,
) -> dict[str, dict[str, float]]:
    """Round-robin over the shapes, so every shape sees the same machine noise as health."""
    rng = random.Random(11)  # noqa: S311  (which run to fetch, not a secret)
    samples: dict[str, list[float]] = {name: [] for name in shapes}
    for round_no in range(WARMUP_ROUNDS + rounds):
        for name, make in shapes.items():
            path, params = make(rng)
            started = time.perf_counter()
            response = http.get(path, params=params)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{name}: {response.status_code} {response.text[:300]}")
            if round_no >= WARMUP_ROUNDS:
                samples[name].append(elapsed)
    return {name: percentiles(values) for name, values in samples.items()}


def measure_offset(http: httpx.Client, offset: int, count: int) -> dict[str, float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        http.get("/api/tunix/runs", params={"offset": offset}).raise_for_status()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def make_dataset(http: httpx.Client, traces: int, name: str) -> str:
    """Store `traces` traces through the API and freeze them as a dataset; returns its key."""
    for start in range(0, traces, 1000):
        batch = [
            {
                "trace_version": "1.0",
                "prompt": f"What is {i} * 19? Show the steps.",
                "final_answer": str(i * 19),
                "steps": [
                    {"i": 0, "type": "thought", "content": f"{i} * 20 = {i * 20}"},
                    {"i": 1, "type": "thought", "content": f"{i * 20} - {i} = {i * 19}"},
                ],
                "meta": {"source": name},
            }
            for i in range(start, min(traces, start + 1000))
        ]
        http.post("/api/traces/batch", json={"traces": batch}).raise_for_status()
    built = http.post(
        "/api/datasets/build",
        json={
            "dataset_name": name,
            "dataset_version": "v1",
            "filters": {"source": name},
            "limit": traces,
        },
    )
    built.raise_for_status()
    key: str = built.json()["dataset_key"]
    return key


def measure_dry_runs(http: httpx.Client, dataset_key: str, count: int) -> dict[str, float]:
    body = {"dataset_key": dataset_key, "model_id": "tiny-gemma3", "dry_run": True}
    samples = []
    for i in range(5 + count):
        started = time.perf_counter()
        response = http.post("/api/tunix/run", json=body)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 202 or response.json()["status"] != "completed":
            raise RuntimeError(f"dry-run: {response.status_code} {response.text[:500]}")
        if i >= 5:
            samples.append(elapsed)
    return percentiles(samples)


class Pinger:
    """GET /api/health every `interval` seconds on its own connection, tagged by phase."""

    def __init__(self, url: str, interval: float = 0.02) -> None:
        self.url, self.interval = url, interval
        self.phase = "idle"
        self.samples: dict[str, list[float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> Pinger:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as http:
            while not self._stop.is_set():
                phase = self.phase
                started = time.perf_counter()
                http.get("/api/health").raise_for_status()
                elapsed = (time.perf_counter() - started) * 1000
                self.samples.setdefault(phase, []).append(elapsed)
                self._stop.wait(self.interval)


def _direct_run(api_output_dir: Path, folder: Path) -> float:
    """The same manifest and dataset the API run used, run by the runner directly."""
    folder.mkdir(parents=True)
    shutil.copy(api_output_dir / "dataset.jsonl", folder / "dataset.jsonl")
    manifest = yaml.safe_load((api_output_dir / "manifest.yaml").read_text())
    manifest["output_dir"] = "."
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    argv = [sys.executable, "-m", "tunix_rt.training.sft", "--config", "manifest.yaml"]
    started = time.perf_counter()
    with (folder / "stdout.log").open("wb") as out, (folder / "stderr.log").open("wb") as err:
        code = subprocess.run(argv, cwd=folder, stdout=out, stderr=err, check=False).returncode
    elapsed = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"direct runner exited {code}: {(folder / 'stderr.log').read_text()}")
    return elapsed


def measure_local_runs(
    http: httpx.Client, dataset_key: str, count: int, steps: int, folder: Path
) -> dict[str, Any]:
    """API and direct runs interleaved, health pinged throughout (so both see the same load)."""
    body = {
        "dataset_key": dataset_key,
        "model_id": "tiny-gemma3",
        "dry_run": False,
        "max_steps": steps,
        "batch_size": 4,
        "max_seq_length": 128,
    }
    api_seconds: list[float] = []
    direct_seconds: list[float] = []
    with Pinger(str(http.base_url)) as pinger:
        time.sleep(6)  # idle baseline
        for i in range(count):
            pinger.phase = "api run"
            started = time.perf_counter()
            response = http.post("/api/tunix/run", json=body, timeout=1800)
            api_seconds.append(time.perf_counter() - started)
            run = response.json()
            if response.status_code != 202 or run["status"] != "completed":
                raise RuntimeError(f"local run: {response.status_code} {response.text[:2000]}")
            pinger.phase = "direct run"
            direct_seconds.append(_direct_run(Path(run["output_dir"]), folder / f"direct-{i}"))
            pinger.phase = "idle"
            time.sleep(2)
    api_median = sorted(api_seconds)[len(api_seconds) // 2]
    direct_median = sorted(direct_seconds)[len(direct_seconds) // 2]
    return {
        "steps": steps,
        "api_seconds": [round(s, 3) for s in api_seconds],
        "direct_seconds": [round(s, 3) for s in direct_seconds],
        "api_median_s": round(api_median, 3),
        "direct_median_s": round(direct_median, 3),
        "overhead_ratio": round(api_median / direct_median, 3),
        "health": {phase: percentiles(values) for phase, values in pinger.samples.items()},
    }
