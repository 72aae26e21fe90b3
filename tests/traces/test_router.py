"""The trace API as a client sees it, on every dialect."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import make_trace


async def _create(client: httpx.AsyncClient, **overrides: Any) -> str:
    response = await client.post("/api/traces", json=make_trace(**overrides))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _locations(response: httpx.Response) -> list[list[Any]]:
    return [error["loc"] for error in response.json()["detail"]]


class TestCreateTrace:
    async def test_created_trace_reads_back_identically(self, client: httpx.AsyncClient) -> None:
        body = make_trace(meta={"source": "unit", "tags": ["a", "b"], "n": 3})
        created = await client.post("/api/traces", json=body)
        assert created.status_code == 201
        assert set(created.json()) == {"id", "created_at", "trace_version"}
        assert created.json()["created_at"].endswith(("+00:00", "Z"))

        fetched = await client.get(f"/api/traces/{created.json()['id']}")
        assert fetched.status_code == 200
        assert fetched.json()["payload"] == body
        assert fetched.json()["created_at"] == created.json()["created_at"]

    async def test_meta_is_optional(self, client: httpx.AsyncClient) -> None:
        body = make_trace()
        del body["meta"]
        trace_id = await _create(client, meta=None)
        payload = (await client.get(f"/api/traces/{trace_id}")).json()["payload"]
        assert "meta" not in payload
        assert payload["prompt"] == body["prompt"]

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"trace_version": ""}, "trace_version"),
            ({"trace_version": "v" * 65}, "trace_version"),
            ({"prompt": ""}, "prompt"),
            ({"final_answer": "x" * 50_001}, "final_answer"),
            ({"steps": []}, "steps"),
            ({"steps": [{"i": -1, "type": "t", "content": "c"}]}, "i"),
            ({"steps": [{"i": 0, "type": "", "content": "c"}]}, "type"),
            ({"steps": [{"i": 0, "type": "t", "content": "c" * 20_001}]}, "content"),
            ({"meta": "not an object"}, "meta"),
            ({"prompt": 5}, "prompt"),
        ],
    )
    async def test_invalid_field_is_named_in_422(
        self, client: httpx.AsyncClient, overrides: dict[str, Any], field: str
    ) -> None:
        response = await client.post("/api/traces", json=make_trace(**overrides))
        assert response.status_code == 422
        assert any(field in loc for loc in _locations(response))

    async def test_duplicate_step_numbers_rejected(self, client: httpx.AsyncClient) -> None:
        steps = [{"i": 1, "type": "t", "content": "a"}, {"i": 1, "type": "t", "content": "b"}]
        response = await client.post("/api/traces", json=make_trace(steps=steps))
        assert response.status_code == 422
        assert "i=1 appears more than once" in response.text

    async def test_too_many_steps_rejected(self, client: httpx.AsyncClient) -> None:
        steps = [{"i": n, "type": "t", "content": "c"} for n in range(1001)]
        response = await client.post("/api/traces", json=make_trace(steps=steps))
        assert response.status_code == 422

    @pytest.mark.parametrize("bad", ["nul\u0000here", "lone \ud800 surrogate"])
    async def test_unstorable_text_is_422_not_500(
        self, client: httpx.AsyncClient, bad: str
    ) -> None:
        for body in (make_trace(prompt=bad), make_trace(meta={"k": {"deep": [bad]}})):
            response = await client.post(
                "/api/traces",
                content=_json_with_surrogates(body),
                headers={"content-type": "application/json"},
            )
            assert response.status_code == 422, response.text
        listing = await client.get("/api/traces")
        assert listing.json()["data"] == []

    async def test_body_over_limit_is_413(self, client: httpx.AsyncClient, settings: Any) -> None:
        big = "x" * settings.trace_max_bytes
        response = await client.post("/api/traces", json=make_trace(prompt=big))
        assert response.status_code == 413
        assert str(settings.trace_max_bytes) in response.json()["detail"]

    async def test_body_over_limit_without_content_length_is_413(
        self, client: httpx.AsyncClient, settings: Any
    ) -> None:
        async def chunks() -> Any:
            for _ in range(4):
                yield b"x" * (settings.trace_max_bytes // 2)

        response = await client.post(
            "/api/traces", content=chunks(), headers={"content-type": "application/json"}
        )
        assert response.status_code == 413

    async def test_malformed_json_is_422(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/api/traces", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert response.status_code == 422


def _json_with_surrogates(body: dict[str, Any]) -> bytes:
    import json

    # ensure_ascii keeps lone surrogates as \\ud800 escapes, as a hostile client would send them.
    return json.dumps(body, ensure_ascii=True).encode()


class TestGetTrace:
    async def test_unknown_id_is_404(self, client: httpx.AsyncClient) -> None:
        missing = uuid.uuid4()
        response = await client.get(f"/api/traces/{missing}")
        assert response.status_code == 404
        assert response.json() == {"detail": f"Trace {missing} not found"}

    async def test_malformed_id_is_422(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/traces/not-a-uuid")
        assert response.status_code == 422


class TestListTraces:
    async def test_newest_first_with_pages(self, client: httpx.AsyncClient) -> None:
        ids = [await _create(client, prompt=f"prompt {n}") for n in range(5)]
        first = (await client.get("/api/traces", params={"limit": 2})).json()
        assert [row["id"] for row in first["data"]] == ids[::-1][:2]
        assert first["pagination"] == {"limit": 2, "offset": 0, "next_offset": 2}

        last = (await client.get("/api/traces", params={"limit": 2, "offset": 4})).json()
        assert [row["id"] for row in last["data"]] == [ids[0]]
        assert last["pagination"]["next_offset"] is None

        seen: list[str] = []
        offset: int | None = 0
        while offset is not None:
            page = (await client.get("/api/traces", params={"limit": 2, "offset": offset})).json()
            seen += [row["id"] for row in page["data"]]
            offset = page["pagination"]["next_offset"]
        assert seen == ids[::-1]

    async def test_exact_last_page_has_no_next(self, client: httpx.AsyncClient) -> None:
        for n in range(2):
            await _create(client, prompt=f"p{n}")
        page = (await client.get("/api/traces", params={"limit": 2})).json()
        assert len(page["data"]) == 2
        assert page["pagination"]["next_offset"] is None

    async def test_offset_past_end_is_empty(self, client: httpx.AsyncClient) -> None:
        await _create(client)
        page = (await client.get("/api/traces", params={"offset": 10_000_000})).json()
        assert page["data"] == []
        assert page["pagination"]["next_offset"] is None

    @pytest.mark.parametrize(
        "params",
        [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "ten"}, {"offset": 2**63}],
    )
    async def test_bad_paging_is_422(
        self, client: httpx.AsyncClient, params: dict[str, Any]
    ) -> None:
        response = await client.get("/api/traces", params=params)
        assert response.status_code == 422


class TestBatchCreate:
    async def test_ids_in_input_order(self, client: httpx.AsyncClient) -> None:
        bodies = [make_trace(prompt=f"batch {n}") for n in range(3)]
        response = await client.post("/api/traces/batch", json={"traces": bodies})
        assert response.status_code == 201
        assert response.json()["created"] == 3
        for trace_id, body in zip(response.json()["ids"], bodies, strict=True):
            fetched = await client.get(f"/api/traces/{trace_id}")
            assert fetched.json()["payload"]["prompt"] == body["prompt"]

    async def test_one_bad_trace_stores_nothing(self, client: httpx.AsyncClient) -> None:
        bodies = [make_trace(), make_trace(prompt="")]
        response = await client.post("/api/traces/batch", json={"traces": bodies})
        assert response.status_code == 422
        assert ["body", "traces", 1, "prompt"] in _locations(response)
        assert (await client.get("/api/traces")).json()["data"] == []

    async def test_oversize_trace_in_batch_stores_nothing(self, client: httpx.AsyncClient) -> None:
        small = make_trace()
        huge = make_trace(prompt="y" * 50_000, final_answer="z" * 50_000)
        huge["steps"] = [{"i": n, "type": "t", "content": "c" * 20_000} for n in range(60)]
        response = await client.post("/api/traces/batch", json={"traces": [small, huge]})
        assert response.status_code == 413
        assert "traces[1]" in response.json()["detail"]
        assert (await client.get("/api/traces")).json()["data"] == []

    @pytest.mark.parametrize("traces", [[], None])
    async def test_empty_or_missing_batch_is_422(
        self, client: httpx.AsyncClient, traces: Any
    ) -> None:
        response = await client.post("/api/traces/batch", json={"traces": traces})
        assert response.status_code == 422

    async def test_over_1000_is_422(self, client: httpx.AsyncClient) -> None:
        tiny = {"trace_version": "1", "prompt": "p", "final_answer": "a", "steps": []}
        tiny["steps"] = [{"i": 0, "type": "t", "content": "c"}]
        response = await client.post("/api/traces/batch", json={"traces": [tiny] * 1001})
        assert response.status_code == 422


class TestScoreTrace:
    async def test_baseline_score_is_stored_and_explained(self, client: httpx.AsyncClient) -> None:
        steps = [{"i": n, "type": "t", "content": "c" * 250} for n in range(5)]
        trace_id = await _create(client, steps=steps)
        response = await client.post(f"/api/traces/{trace_id}/score", json={"criteria": "baseline"})
        assert response.status_code == 201
        body = response.json()
        assert body["trace_id"] == trace_id
        # 5/10 steps -> 25, 250/500 chars -> 25.
        assert body["score"] == pytest.approx(50.0)
        assert body["details"]["step_score"] == pytest.approx(25.0)
        assert body["details"]["length_score"] == pytest.approx(25.0)

    async def test_unknown_criteria_is_422(self, client: httpx.AsyncClient) -> None:
        trace_id = await _create(client)
        response = await client.post(f"/api/traces/{trace_id}/score", json={"criteria": "vibes"})
        assert response.status_code == 422

    async def test_unknown_trace_is_404(self, client: httpx.AsyncClient) -> None:
        response = await client.post(f"/api/traces/{uuid.uuid4()}/score", json={})
        assert response.status_code == 404


class TestCompareTraces:
    async def test_side_by_side_with_scores(self, client: httpx.AsyncClient) -> None:
        short = await _create(client)
        long_steps = [{"i": n, "type": "t", "content": "c" * 600} for n in range(12)]
        long = await _create(client, steps=long_steps)
        response = await client.get("/api/traces/compare", params={"base": short, "other": long})
        assert response.status_code == 200
        body = response.json()
        assert body["base"]["id"] == short
        assert body["other"]["id"] == long
        assert body["other"]["score"] == pytest.approx(100.0)
        assert body["base"]["score"] < body["other"]["score"]
        assert body["other"]["payload"]["steps"] == long_steps

    async def test_missing_id_is_named(self, client: httpx.AsyncClient) -> None:
        present = await _create(client)
        missing = uuid.uuid4()
        response = await client.get(
            "/api/traces/compare", params={"base": present, "other": str(missing)}
        )
        assert response.status_code == 404
        assert response.json()["detail"] == f"Other trace {missing} not found"

    async def test_malformed_id_is_422(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/traces/compare", params={"base": "x", "other": "y"})
        assert response.status_code == 422
