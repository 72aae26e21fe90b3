"""Run execution below the API: large dry-runs, and records closed however a run ends."""

from __future__ import annotations

import anyio
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from tests.tunix.conftest import MakeDataset, run_body
from tunix_rt.settings import Settings
from tunix_rt.tunix import execution
from tunix_rt.tunix.models import TunixRun
from tunix_rt.tunix.schemas import RunRequest


class TestDryRunOnALargeDataset:
    # Its speed is measured by `make bench`; here only what it reports.
    async def test_thousand_trace_dry_run_renders_every_line(
        self, client: httpx.AsyncClient, make_dataset: MakeDataset, app: FastAPI
    ) -> None:
        key = await make_dataset(1000)
        request = RunRequest(dataset_key=key, model_id="tiny-gemma3")
        run = await execution.execute_run(app.state.session_factory, app.state.settings, request)
        assert run.status == "completed"
        assert run.exit_code == 0
        assert "1000 lines" in run.stdout


class TestExecuteRun:
    async def test_cancelled_run_is_closed_as_failed(
        self,
        app: FastAPI,
        make_dataset: MakeDataset,
        settings: Settings,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        key = await make_dataset(1)

        async def hang(*args: object, **kwargs: object) -> int:
            await anyio.sleep(30)
            return 0

        monkeypatch.setattr(execution, "write_dataset", hang)
        request = RunRequest.model_validate(run_body(key))
        with anyio.move_on_after(0.5):
            await execution.execute_run(app.state.session_factory, settings, request)
        async with app.state.session_factory() as session:
            runs = (await session.scalars(select(TunixRun))).all()
        assert [(r.status, r.message) for r in runs] == [("failed", "The run was interrupted")]
        assert runs[0].completed_at is not None
