"""Database outage: the database goes away under a running app, then comes back.

PostgreSQL is reached through a TCP proxy that the test cuts and restores (the machine's server
serves other tests and is never stopped). SQLite has no server to lose; its equivalent is a
database another process keeps write-locked beyond the busy timeout.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, create_pg_database, drop_pg_database, make_trace, unique_name
from tests.hardening.tcp_proxy import TcpProxy
from tests.tunix.conftest import STAND_IN_RUNNER
from tunix_rt import db, health, migrations
from tunix_rt.app import create_app
from tunix_rt.settings import Settings
from tunix_rt.tunix import execution
from tunix_rt.tunix.availability import clear_cache
from tunix_rt.tunix.registry import SERVER_STOPPED_LINE

needs_pg = pytest.mark.skipif(not PG_URL, reason="TEST_POSTGRES_URL is not set")


@pytest.fixture
def proxied_pg() -> Iterator[tuple[str, TcpProxy]]:
    """A fresh migrated PostgreSQL database, and a URL that reaches it through a cuttable proxy."""
    name = unique_name("tunix_rt_outage_")
    direct = anyio.run(create_pg_database, name)
    try:
        migrations.upgrade(direct)
        parsed = make_url(direct)
        with TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432) as proxy:
            proxied = parsed.set(host="127.0.0.1", port=proxy.port)
            yield proxied.render_as_string(hide_password=False), proxy
    finally:
        anyio.run(drop_pg_database, name)


@asynccontextmanager
async def app_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    clear_cache()
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        yield http


def pg_settings(url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=url,
        tunix_rt_output_root=tmp_path / "runs",
        tunix_runner_script=STAND_IN_RUNNER,
        db_pool_timeout=5,
    )


async def build_dataset(http: httpx.AsyncClient) -> str:
    marker = unique_name("out")
    stored = await http.post("/api/traces", json=make_trace(meta={"source": marker}))
    assert stored.status_code == 201, stored.text
    built = await http.post(
        "/api/datasets/build",
        json={"dataset_name": marker, "dataset_version": "v1", "filters": {"source": marker}},
    )
    assert built.status_code == 201, built.text
    key: str = built.json()["dataset_key"]
    return key


async def eventually_healthy(http: httpx.AsyncClient, seconds: float = 10) -> None:
    with anyio.fail_after(seconds):
        while (await http.get("/api/health")).status_code != 200:
            await anyio.sleep(0.1)


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["detail"].startswith("Database unavailable (")
    assert response.headers["retry-after"]


@needs_pg
class TestPostgresGoesAway:
    async def test_requests_are_503_and_work_again_when_it_is_back(
        self, proxied_pg: tuple[str, TcpProxy], tmp_path: Path
    ) -> None:
        url, proxy = proxied_pg
        async with app_client(pg_settings(url, tmp_path)) as http:
            key = await build_dataset(http)  # also fills the pool with live connections
            proxy.cut()

            health = await http.get("/api/health")
            assert health.status_code == 503
            assert health.json()["status"] == "unhealthy"
            assert "Connect call failed" in health.json()["database"]

            assert_unavailable(await http.post("/api/traces", json=make_trace()))
            batch = {"traces": [make_trace(), make_trace()]}
            assert_unavailable(await http.post("/api/traces/batch", json=batch))
            build = {"dataset_name": unique_name("d"), "dataset_version": "v1"}
            assert_unavailable(await http.post("/api/datasets/build", json=build))
            assert_unavailable(await http.get("/api/tunix/runs"))
            run = await http.post(
                "/api/tunix/run",
                json={"dataset_key": key, "model_id": "stand-in:ok", "dry_run": False},
            )
            assert run.status_code == 503
            assert "so the run was not started" in run.json()["detail"]
            assert not (tmp_path / "runs").exists()  # no output folder, so no child

            proxy.restore()
            await eventually_healthy(http)  # the same app: no restart
            assert (await http.post("/api/traces", json=make_trace())).status_code == 201
            traces = (await http.get("/api/traces")).json()["data"]
            assert len(traces) == 2  # the dataset's trace and the one after the outage
            assert (await http.get("/api/tunix/runs")).json()["data"] == []
            assert len((await http.get("/api/datasets")).json()["data"]) == 1

    async def test_health_answers_when_the_database_hangs(
        self, proxied_pg: tuple[str, TcpProxy], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(health, "HEALTH_DB_TIMEOUT_SECONDS", 1)
        url, proxy = proxied_pg
        async with app_client(pg_settings(url, tmp_path)) as http:
            assert (await http.get("/api/health")).status_code == 200
            proxy.cut()
            proxy.restore(forward=False)  # connections are accepted, then nothing answers
            started = anyio.current_time()
            response = await http.get("/api/health")
            assert anyio.current_time() - started < 5  # asyncpg alone would wait 60 s
            assert response.status_code == 503
            assert response.json()["database"] == "no answer from the database within 1 s"
            proxy.cut()
            proxy.restore()
            await eventually_healthy(http)

    async def test_a_run_ending_during_a_short_outage_is_stored_when_it_is_back(
        self,
        proxied_pg: tuple[str, TcpProxy],
        tmp_path: Path,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        url, proxy = proxied_pg
        async with app_client(pg_settings(url, tmp_path)) as http:
            key = await build_dataset(http)
            answer = await self._run_through_outage(http, proxy, key, "stand-in:sleep:1", 3)
            assert answer.status_code == 202, answer.text
            assert answer.json()["status"] == "completed"
            stored = (await http.get(f"/api/tunix/runs/{answer.json()['run_id']}")).json()
            assert (stored["status"], stored["exit_code"]) == ("completed", 0)
        assert "failed, retrying" in caplog.text  # the outage really hit the final update

    async def test_a_run_ending_during_a_long_outage_is_failed_at_the_next_start(
        self,
        proxied_pg: tuple[str, TcpProxy],
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(execution, "FINISH_RETRY_SECONDS", 1.0)
        url, proxy = proxied_pg
        settings = pg_settings(url, tmp_path)
        async with app_client(settings) as http:
            key = await build_dataset(http)
            answer = await self._run_through_outage(http, proxy, key, "stand-in:sleep:1", 4)
            assert answer.status_code == 503
            assert "ended (completed) but its outcome could not be stored" in answer.text
            run_id = (await http.get("/api/tunix/runs")).json()["data"][0]["run_id"]
            # Until the next start, the user sees the run as still running.
            assert (await http.get(f"/api/tunix/runs/{run_id}")).json()["status"] == "running"
        async with app_client(settings) as http:
            stored = (await http.get(f"/api/tunix/runs/{run_id}")).json()
            assert stored["status"] == "failed"
            assert SERVER_STOPPED_LINE in stored["stderr"]

    @staticmethod
    async def _run_through_outage(
        http: httpx.AsyncClient, proxy: TcpProxy, key: str, model_id: str, outage: float
    ) -> httpx.Response:
        """Start a local run, cut the database while it trains, restore it `outage` s later."""
        answers: list[httpx.Response] = []

        async def start() -> None:
            body = {"dataset_key": key, "model_id": model_id, "dry_run": False}
            answers.append(await http.post("/api/tunix/run", json=body))

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(start)
            with anyio.fail_after(20):
                while not (runs := (await http.get("/api/tunix/runs")).json()["data"]):
                    await anyio.sleep(0.05)
                run = (await http.get(f"/api/tunix/runs/{runs[0]['run_id']}")).json()
                # Cut only once the child trains: the run has read everything it needs.
                while not await anyio.Path(run["output_dir"], "runner.pid").exists():
                    await anyio.sleep(0.02)
            proxy.cut()
            await anyio.sleep(outage)
            proxy.restore()
        return answers[0]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
class TestSqliteHeldByAnotherWriter:
    async def test_writes_are_503_while_locked_and_work_after(
        self,
        database_url: str,
        make_settings: Callable[..., Settings],
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        # The real busy timeout (30 s) would make this test slow; the behaviour is the same.
        monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 300)
        caplog.set_level(logging.WARNING)
        path = make_url(database_url).database
        assert path
        async with app_client(make_settings()) as http:
            assert (await http.post("/api/traces", json=make_trace())).status_code == 201
            holder = sqlite3.connect(path, isolation_level=None)
            try:
                holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
                locked = await http.post("/api/traces", json=make_trace(prompt="lost?"))
                assert_unavailable(locked)
                assert "database is locked" in locked.json()["detail"]
                # Readers are not blocked in WAL mode: health and lists still answer.
                assert (await http.get("/api/health")).status_code == 200
                assert len((await http.get("/api/traces")).json()["data"]) == 1
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            assert (await http.post("/api/traces", json=make_trace())).status_code == 201
            prompts: list[Any] = [
                (await http.get(f"/api/traces/{t['id']}")).json()["payload"]["prompt"]
                for t in (await http.get("/api/traces")).json()["data"]
            ]
            assert "lost?" not in prompts and len(prompts) == 2
