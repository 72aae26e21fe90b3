"""Shared fixtures: one dialect fixture (SQLite always, PostgreSQL with TEST_POSTGRES_URL).

Each database is migrated once per session with Alembic; every test then starts from empty
tables (SQLite: a copy of the migrated file; PostgreSQL: TRUNCATE), so tests can commit for real.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import asyncpg
import httpx
import pytest
from bench import seed as scratch
from fastapi import FastAPI

import tunix_rt.models  # noqa: F401  (fills Base.metadata)
from tunix_rt import migrations
from tunix_rt.app import create_app
from tunix_rt.db import Base
from tunix_rt.settings import Settings

# Fixtures that start real server processes (file_database, ...).
pytest_plugins = ["tests.live_server"]

PG_URL = os.environ.get("TEST_POSTGRES_URL")

DIALECTS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not PG_URL, reason="TEST_POSTGRES_URL is not set"),
    ),
]


async def create_pg_database(name: str) -> str:
    """A fresh, empty PostgreSQL database beside the one TEST_POSTGRES_URL names."""
    assert PG_URL
    return await scratch.create_database(PG_URL, name)


async def drop_pg_database(name: str) -> None:
    assert PG_URL
    await scratch.drop_database(PG_URL, name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrations.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_session_url() -> Iterator[str]:
    name = f"tunix_rt_test_{os.getpid()}"
    url = anyio.run(create_pg_database, name)
    migrations.upgrade(url)
    yield url
    anyio.run(drop_pg_database, name)


async def _truncate_pg(url: str) -> None:
    conn = await asyncpg.connect(scratch.asyncpg_dsn(url))
    try:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        await conn.execute(f"TRUNCATE {tables} CASCADE")
    finally:
        await conn.close()


@pytest.fixture(params=DIALECTS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database of each dialect."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "tunix_rt.db"
        shutil.copyfile(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("pg_session_url")
    anyio.run(_truncate_pg, url)
    return url


@pytest.fixture
def make_settings(database_url: str, tmp_path: Path) -> Callable[..., Settings]:
    def factory(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": database_url,
            "tunix_rt_output_root": tmp_path / "runs",
        }
        values.update(overrides)
        return Settings(**values)

    return factory


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


def unique_name(prefix: str = "t") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def make_trace(**overrides: Any) -> dict[str, Any]:
    """A valid trace body; tests override only what they exercise."""
    body: dict[str, Any] = {
        "trace_version": "1.0",
        "prompt": "What is 27 * 19?",
        "final_answer": "513",
        "steps": [
            {"i": 0, "type": "thought", "content": "27 * 20 = 540"},
            {"i": 1, "type": "thought", "content": "540 - 27 = 513"},
        ],
        "meta": {"source": "unit"},
    }
    body.update(overrides)
    return body
