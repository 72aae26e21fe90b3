"""Keyset pages of GET /api/tunix/runs: `cursor` in, `next_cursor` out, beside offset paging."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tunix_rt.tunix.models import TunixRun

BASE = dt.datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)


@pytest.fixture
async def runs(app: FastAPI) -> list[TunixRun]:
    """40 runs; three at a time share a start time (down to the microsecond)."""
    statuses = ["completed", "failed", "timeout", "running"]
    rows = [
        TunixRun(
            run_id=uuid.uuid4(),
            dataset_key=f"ds{i % 2}-v1",
            model_id="tiny-gemma3",
            mode="local" if i % 3 else "dry_run",
            status=statuses[i % len(statuses)],
            started_at=BASE + dt.timedelta(microseconds=i // 3),
            stdout="out",
            stderr="",
            message="",
            config={},
        )
        for i in range(40)
    ]
    async with app.state.session_factory() as session, session.begin():
        session.add_all(rows)
    return rows


def newest_first(rows: list[TunixRun]) -> list[str]:
    ordered = sorted(rows, key=lambda r: (r.started_at, str(r.run_id)), reverse=True)
    return [str(r.run_id) for r in ordered]


async def walk(client: httpx.AsyncClient, params: dict[str, Any]) -> list[list[str]]:
    """Every page, following next_cursor from the first; bounded in case it never ends."""
    pages: list[list[str]] = []
    query = dict(params)
    for _ in range(100):
        response = await client.get("/api/tunix/runs", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append([r["run_id"] for r in body["data"]])
        if "cursor" in query:
            assert body["pagination"]["next_offset"] is None
        cursor = body["pagination"]["next_cursor"]
        if cursor is None:
            return pages
        query = {**params, "cursor": cursor}
    raise AssertionError("next_cursor never ran out")


class TestCursorPages:
    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"status": "failed"},
            {"mode": "local"},
            {"dataset_key": "ds1-v1"},
            {"dataset_key": "ds0-v1", "mode": "local", "status": "completed"},
        ],
    )
    async def test_walk_covers_every_matching_run_once_in_order(
        self, client: httpx.AsyncClient, runs: list[TunixRun], params: dict[str, Any]
    ) -> None:
        pages = await walk(client, {"limit": 4, **params})
        expected = newest_first(
            [r for r in runs if all(getattr(r, k) == v for k, v in params.items())]
        )
        assert [run_id for page in pages for run_id in page] == expected
        assert all(len(page) == 4 for page in pages[:-1])

    async def test_cursor_pages_match_offset_pages(
        self, client: httpx.AsyncClient, runs: list[TunixRun]
    ) -> None:
        first = (await client.get("/api/tunix/runs", params={"limit": 7})).json()
        assert first["pagination"]["next_offset"] == 7
        by_cursor = await client.get(
            "/api/tunix/runs", params={"limit": 7, "cursor": first["pagination"]["next_cursor"]}
        )
        by_offset = await client.get("/api/tunix/runs", params={"limit": 7, "offset": 7})
        assert by_cursor.json()["data"] == by_offset.json()["data"]
        assert by_cursor.json()["pagination"]["offset"] == 0

    async def test_exact_last_page_has_no_next_cursor(
        self, client: httpx.AsyncClient, runs: list[TunixRun]
    ) -> None:
        pages = await walk(client, {"limit": 10})
        assert [len(page) for page in pages] == [10, 10, 10, 10]

    async def test_empty_registry_has_no_next_cursor(self, client: httpx.AsyncClient) -> None:
        body = (await client.get("/api/tunix/runs")).json()
        assert body["pagination"]["next_cursor"] is None

    async def test_run_started_after_the_first_page_does_not_shift_later_pages(
        self, app: FastAPI, client: httpx.AsyncClient, runs: list[TunixRun]
    ) -> None:
        first = (await client.get("/api/tunix/runs", params={"limit": 5})).json()
        newer = TunixRun(
            run_id=uuid.uuid4(),
            dataset_key="ds0-v1",
            model_id="tiny-gemma3",
            mode="local",
            status="running",
            started_at=BASE + dt.timedelta(days=1),
            stdout="",
            stderr="",
            message="",
            config={},
        )
        async with app.state.session_factory() as session, session.begin():
            session.add(newer)
        second = await client.get(
            "/api/tunix/runs", params={"limit": 5, "cursor": first["pagination"]["next_cursor"]}
        )
        assert [r["run_id"] for r in second.json()["data"]] == newest_first(runs)[5:10]


def encoded(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


class TestBadCursor:
    @pytest.mark.parametrize(
        "cursor",
        [
            "not-a-cursor!",
            "e30",  # {} — no fields
            base64.urlsafe_b64encode(b"\xff\xfe").decode(),
            encoded([1, 2]),
            encoded({"started_at": "yesterday", "run_id": str(uuid.uuid4())}),
            encoded({"started_at": "2026-05-01T12:00:00", "run_id": str(uuid.uuid4())}),
            encoded({"started_at": "2026-05-01T12:00:00+00:00", "run_id": "42"}),
            encoded({"started_at": "0001-01-01T00:00:00+05:00", "run_id": str(uuid.uuid4())}),
        ],
    )
    async def test_malformed_cursor_is_422(self, client: httpx.AsyncClient, cursor: str) -> None:
        response = await client.get("/api/tunix/runs", params={"cursor": cursor})
        assert response.status_code == 422
        assert "cursor is malformed" in response.json()["detail"]

    async def test_cursor_with_offset_is_422(
        self, client: httpx.AsyncClient, runs: list[TunixRun]
    ) -> None:
        first = (await client.get("/api/tunix/runs", params={"limit": 5})).json()
        cursor = first["pagination"]["next_cursor"]
        response = await client.get("/api/tunix/runs", params={"cursor": cursor, "offset": 5})
        assert response.status_code == 422
        assert "not both" in response.json()["detail"]
        allowed = await client.get("/api/tunix/runs", params={"cursor": cursor, "offset": 0})
        assert allowed.status_code == 200

    async def test_overlong_cursor_is_422(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/tunix/runs", params={"cursor": "a" * 201})
        assert response.status_code == 422
