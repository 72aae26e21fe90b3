"""The run list's query plans: every filter shape reads an index in list order, at any depth.

Shape, not time: with ~2,000 runs a full scan is still fast, but its plan is the one that
would crawl with a million. The queries come from `registry.list_runs_query`, the function
the API executes, so a change to the query or the indexes shows up here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from bench.plans import explain, plan_problems
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from tunix_rt.db import create_engine
from tunix_rt.settings import Settings
from tunix_rt.tunix.models import TunixRun
from tunix_rt.tunix.registry import RunCursor, list_runs_query

RUNS = 2000
BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
# The filtered values match many runs, as popular ones do in a big registry: that is when
# a plan that sorts the matches (instead of reading them in order) costs the most.
FILTERS: dict[str, Any] = {"status": "completed", "mode": "local", "dataset_key": "busy-v1"}
SHAPES = [
    dict(combo)
    for size in range(len(FILTERS) + 1)
    for combo in itertools.combinations(FILTERS.items(), size)
]
STATUSES = ["completed"] * 12 + ["failed"] * 5 + ["timeout", "running", "pending"]


def shape_name(shape: dict[str, Any]) -> str:
    return "+".join(shape) or "no filter"


def seed_rows() -> list[dict[str, Any]]:
    """Half the runs on one busy dataset, the rest over 99; pairs share a start time."""
    return [
        {
            "run_id": uuid.uuid4(),
            "dataset_key": "busy-v1" if i % 2 else f"ds-{i % 99:02d}-v1",
            "model_id": "tiny-gemma3",
            "mode": "local" if i % 4 < 2 else "dry_run",
            "status": STATUSES[i % len(STATUSES)],
            "exit_code": 0,
            "started_at": BASE + dt.timedelta(seconds=i // 2),
            "created_at": BASE,
            "stdout": "step 1 loss 2.0\n",
            "stderr": "",
            "message": "",
            "config": {},
        }
        for i in range(RUNS)
    ]


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(Settings(database_url=database_url))
    async with engine.begin() as conn:
        await conn.execute(insert(TunixRun), seed_rows())
    if engine.dialect.name == "postgresql":
        # What autovacuum does on a live server; without statistics the planner guesses.
        async with engine.begin() as conn:  # statistics roll back with the transaction
            await conn.execute(text("ANALYZE tunix_runs"))
    # SQLite is left without ANALYZE statistics, as tunix-rt serve leaves it.
    yield engine
    await engine.dispose()


async def problems_by_shape(engine: AsyncEngine, **query: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    async with engine.connect() as conn:
        for shape in SHAPES:
            lines = await explain(conn, list_runs_query(limit=20, **query, **shape))
            problems = plan_problems(engine.dialect.name, lines)
            if problems:
                found[shape_name(shape)] = [*problems, *lines]
    return found


class TestListQueryPlans:
    async def test_first_pages_read_an_index_in_order(self, engine: AsyncEngine) -> None:
        assert await problems_by_shape(engine) == {}

    async def test_cursor_pages_read_an_index_in_order(self, engine: AsyncEngine) -> None:
        # A quarter of the way down the list: the rows after it are most of the table.
        after = RunCursor(BASE + dt.timedelta(seconds=RUNS * 3 // 8), uuid.UUID(int=0))
        assert await problems_by_shape(engine, after=after) == {}

    async def test_every_filter_shape_has_an_exact_index(self, engine: AsyncEngine) -> None:
        """Each filter combination leads an index of its own that ends in the list order.

        Then a page reads only matching rows, however rare the combination is. SQLite (no
        statistics, as under serve) is shown to pick that index; PostgreSQL weighs its costs.
        """
        index_columns = {
            ix.name: [col.name for col in ix.columns] for ix in TunixRun.__table__.indexes
        }
        async with engine.connect() as conn:
            for shape in SHAPES:
                exact = [
                    name
                    for name, columns in index_columns.items()
                    if set(columns[: len(shape)]) == set(shape)
                    and columns[len(shape) :] == ["started_at", "run_id"]
                ]
                assert len(exact) == 1, (shape_name(shape), exact)
                if engine.dialect.name == "sqlite":
                    lines = await explain(conn, list_runs_query(limit=20, **shape))
                    used = [line.split("USING INDEX ")[-1].split(" ")[0] for line in lines]
                    assert used == [exact[0]], (shape_name(shape), lines)

    async def test_the_check_catches_a_sorted_scan(self, engine: AsyncEngine) -> None:
        """The guard itself: a list ordered by an unindexed column is flagged."""
        query = list_runs_query(limit=20).order_by(None).order_by(TunixRun.model_id)
        async with engine.connect() as conn:
            lines = await explain(conn, query)
        assert plan_problems(engine.dialect.name, lines), lines
