"""Start-up reconciliation: runs a dead server left `running` are closed as failed."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tunix_rt.app import create_app
from tunix_rt.db import create_engine, create_session_factory
from tunix_rt.settings import Settings
from tunix_rt.tunix.lifecycle import on_startup
from tunix_rt.tunix.models import TunixRun
from tunix_rt.tunix.registry import SERVER_STOPPED_LINE

STARTED = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def a_run(status: str, stderr: str = "") -> TunixRun:
    return TunixRun(
        run_id=uuid.uuid4(),
        dataset_key="d-v1",
        model_id="tiny-gemma3",
        mode="local",
        status=status,
        started_at=STARTED,
        stdout="step 1 loss 2.0\n",
        stderr=stderr,
        message="Run started",
        config={"max_steps": 5},
    )


async def store(settings: Settings, *runs: TunixRun) -> None:
    engine = create_engine(settings)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            session.add_all(runs)
    finally:
        await engine.dispose()


class TestOnStartup:
    async def test_running_runs_become_failed_at_the_next_start(self, settings: Settings) -> None:
        stale = a_run("running", stderr="warming up")
        done = a_run("completed")
        await store(settings, stale, done)

        app = create_app(settings)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
        ):
            closed = (await http.get(f"/api/tunix/runs/{stale.run_id}")).json()
            untouched = (await http.get(f"/api/tunix/runs/{done.run_id}")).json()
            running = (await http.get("/api/tunix/runs", params={"status": "running"})).json()

        assert closed["status"] == "failed"
        assert closed["stderr"] == f"warming up\n{SERVER_STOPPED_LINE}\n"
        assert closed["message"] == SERVER_STOPPED_LINE
        assert closed["stdout"] == "step 1 loss 2.0\n"
        completed_at = dt.datetime.fromisoformat(closed["completed_at"])
        assert completed_at > STARTED
        assert closed["duration_seconds"] == (completed_at - STARTED).total_seconds()
        assert untouched["status"] == "completed"
        assert untouched["completed_at"] is None
        assert running["data"] == []

    async def test_a_second_start_changes_nothing_more(self, settings: Settings) -> None:
        stale = a_run("running")
        await store(settings, stale)
        engine = create_engine(settings)
        factory: async_sessionmaker[AsyncSession] = create_session_factory(engine)
        try:
            await on_startup(factory, settings)
            async with factory() as session:
                first = await session.get(TunixRun, stale.run_id)
                assert first is not None
                snapshot = (first.status, first.stderr, first.completed_at)
            await on_startup(factory, settings)
            async with factory() as session:
                again = await session.get(TunixRun, stale.run_id)
                assert again is not None
                assert (again.status, again.stderr, again.completed_at) == snapshot
                assert snapshot[0] == "failed"
        finally:
            await engine.dispose()

    async def test_unreachable_database_does_not_stop_the_server(self, tmp_path: Path) -> None:
        dead = Settings(
            database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none",
            tunix_rt_output_root=tmp_path,
        )
        app = create_app(dead)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
        ):
            health = await http.get("/api/health")
        assert health.status_code == 503
