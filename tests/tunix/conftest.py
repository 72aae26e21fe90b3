"""Tunix fixtures: local runs use the stand-in runner; datasets are built through the API."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import make_trace, unique_name
from tunix_rt.settings import Settings
from tunix_rt.tunix.availability import clear_cache

STAND_IN_RUNNER = Path(__file__).with_name("stand_in_runner.py")

MakeDataset = Callable[..., Awaitable[str]]


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(tunix_runner_script=STAND_IN_RUNNER, tunix_run_timeout_seconds=60)


@pytest.fixture(autouse=True)
def fresh_status_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(scope="session")
def python_without_tunix(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real interpreter that lacks Tunix: a bare virtual environment."""
    folder = tmp_path_factory.mktemp("bare-venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    return str(folder / "bin" / "python")


@pytest.fixture
async def session(app: FastAPI) -> AsyncIterator[AsyncSession]:
    async with app.state.session_factory() as s:
        yield s


@pytest.fixture
def make_dataset(client: httpx.AsyncClient) -> MakeDataset:
    """Store `count` traces and freeze them as a dataset; returns its key."""

    async def make(count: int = 2, **trace_fields: Any) -> str:
        marker = unique_name("ds")
        if count:
            traces = [
                make_trace(prompt=f"Question {i}?", meta={"source": marker}, **trace_fields)
                for i in range(count)
            ]
            stored = await client.post("/api/traces/batch", json={"traces": traces})
            assert stored.status_code == 201, stored.text
        built = await client.post(
            "/api/datasets/build",
            json={
                "dataset_name": marker,
                "dataset_version": "v1",
                "filters": {"source": marker},
                "limit": max(count, 1),
            },
        )
        assert built.status_code == 201, built.text
        assert built.json()["trace_count"] == count
        key: str = built.json()["dataset_key"]
        return key

    return make


def run_body(dataset_key: str, model_id: str = "stand-in:ok", **fields: Any) -> dict[str, Any]:
    """A local run request; tests override what they exercise."""
    return {"dataset_key": dataset_key, "model_id": model_id, "dry_run": False, **fields}


def run_dirs(root: Path) -> list[Path]:
    return sorted(root.iterdir()) if root.exists() else []


def new_id() -> str:
    return str(uuid.uuid4())
