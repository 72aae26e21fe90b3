"""Dataset API: build, list, manifest and JSON Lines export, on every dialect."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.conftest import make_trace
from tests.datasets.conftest import AddTraces
from tunix_rt.datasets import service


async def build(client: httpx.AsyncClient, **overrides: Any) -> httpx.Response:
    body: dict[str, Any] = {"dataset_name": "math", "dataset_version": "v1"}
    body.update(overrides)
    return await client.post("/api/datasets/build", json=body)


async def built_ids(client: httpx.AsyncClient, key: str) -> list[str]:
    response = await client.get(f"/api/datasets/{key}")
    assert response.status_code == 200, response.text
    ids: list[str] = response.json()["trace_ids"]
    return ids


def steps(n: int) -> list[dict[str, Any]]:
    return [{"i": i, "type": "thought", "content": "x" * (i + 1)} for i in range(n)]


class TestBuildDataset:
    async def test_latest_selects_newest_first(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        ids = await add_traces(*(make_trace() for _ in range(5)))

        response = await build(client, limit=3)

        assert response.status_code == 201
        body = response.json()
        assert body["dataset_key"] == "math-v1"
        assert body["trace_count"] == 3
        uuid.UUID(body["build_id"])
        assert await built_ids(client, "math-v1") == [str(i) for i in reversed(ids[2:])]

    async def test_default_limit_is_100(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        await add_traces(*(make_trace() for _ in range(101)))

        response = await build(client)

        assert response.json()["trace_count"] == 100

    async def test_random_is_stable_for_a_seed(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        ids = {str(i) for i in await add_traces(*(make_trace() for _ in range(30)))}

        for version, seed in (("a", 7), ("b", 7), ("c", 8)):
            response = await build(
                client, dataset_version=version, limit=10, selection_strategy="random", seed=seed
            )
            assert response.status_code == 201, response.text
        first, again, other = [await built_ids(client, f"math-{v}") for v in "abc"]

        assert first == again
        assert first != other
        assert len(set(first)) == 10
        assert set(first) <= ids

    async def test_random_takes_everything_when_limit_exceeds_matches(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        ids = await add_traces(*(make_trace() for _ in range(4)))

        response = await build(client, limit=50, selection_strategy="random", seed=1)

        assert response.json()["trace_count"] == 4
        assert sorted(await built_ids(client, "math-v1")) == sorted(str(i) for i in ids)

    async def test_random_without_seed_is_422(self, client: httpx.AsyncClient) -> None:
        response = await build(client, selection_strategy="random")

        assert response.status_code == 422
        assert "seed is required" in response.text

    async def test_filters_match_meta_by_equality(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        ids = await add_traces(
            make_trace(meta={"source": "gsm8k", "level": 2}),
            make_trace(meta={"source": "gsm8k", "level": 3}),
            make_trace(meta={"source": "other", "level": 2}),
            make_trace(meta={"source": "gsm8k", "level": True}),
            make_trace(meta=None),
        )

        response = await build(client, filters={"source": "gsm8k", "level": 2})

        assert response.json()["trace_count"] == 1
        manifest = (await client.get("/api/datasets/math-v1")).json()
        assert manifest["trace_ids"] == [str(ids[0])]
        assert manifest["filters"] == {"source": "gsm8k", "level": 2}

    async def test_filter_on_a_missing_key_matches_nothing(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        await add_traces(make_trace(meta={"source": "unit"}))

        response = await build(client, filters={"tag": None})

        assert response.status_code == 201
        assert response.json()["trace_count"] == 0

    async def test_empty_selection_is_allowed(self, client: httpx.AsyncClient) -> None:
        response = await build(client)

        assert response.status_code == 201
        assert response.json()["trace_count"] == 0
        manifest = (await client.get("/api/datasets/math-v1")).json()
        assert manifest["stats"]["step_count"] == {"min": None, "max": None, "mean": None}

    async def test_records_stats_of_the_selection(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        await add_traces(
            make_trace(prompt="abcd", final_answer="1", steps=steps(1)),
            make_trace(prompt="ab", final_answer="123", steps=steps(3)),
            make_trace(prompt="not selected", meta={"source": "other"}),
        )

        await build(client, filters={"source": "unit"})

        stats = (await client.get("/api/datasets/math-v1")).json()["stats"]
        assert stats == {
            "step_count": {"min": 1, "max": 3, "mean": 2.0},
            "prompt_chars": {"min": 2, "max": 4, "mean": 3.0},
            "step_chars": {"min": 1, "max": 6, "mean": 3.5},
            "final_answer_chars": {"min": 1, "max": 3, "mean": 2.0},
        }

    async def test_existing_key_is_409(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        await add_traces(make_trace())
        assert (await build(client)).status_code == 201

        response = await build(client, limit=5)

        assert response.status_code == 409
        assert response.json() == {
            "detail": "Dataset math-v1 already exists; build it under a new version"
        }

    @pytest.mark.parametrize("limit", [0, 10_001, -1])
    async def test_limit_out_of_bounds_is_422(self, client: httpx.AsyncClient, limit: int) -> None:
        response = await build(client, limit=limit)

        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "limit"]

    @pytest.mark.parametrize("seed", [-1, 2**53])
    async def test_seed_out_of_bounds_is_422(self, client: httpx.AsyncClient, seed: int) -> None:
        response = await build(client, selection_strategy="random", seed=seed)

        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "seed"]

    async def test_limit_of_10000_is_accepted(self, client: httpx.AsyncClient) -> None:
        assert (await build(client, limit=10_000)).status_code == 201

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("dataset_name", "../x"),
            ("dataset_name", ".hidden"),
            ("dataset_name", "a/b"),
            ("dataset_name", "a b"),
            ("dataset_name", "a\nb"),
            ("dataset_name", ""),
            ("dataset_name", "n" * 129),
            ("dataset_version", "v" * 65),
            ("dataset_version", ".."),
            ("dataset_version", "v\\1"),
            ("dataset_version", ""),
        ],
    )
    async def test_bad_name_or_version_is_422(
        self, client: httpx.AsyncClient, field: str, value: str
    ) -> None:
        response = await build(client, **{field: value})

        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", field]

    async def test_longest_name_and_version_are_accepted(self, client: httpx.AsyncClient) -> None:
        name, version = "N_a.m-e" + "n" * 121, "1.0_rc-" + "v" * 57

        response = await build(client, dataset_name=name, dataset_version=version)

        assert response.status_code == 201
        assert response.json()["dataset_key"] == f"{name}-{version}"

    async def test_unstorable_filter_text_is_422(self, client: httpx.AsyncClient) -> None:
        response = await build(client, filters={"source": "a\u0000b"})

        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "filters"]


class TestListDatasets:
    async def test_newest_first_with_pagination(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        await add_traces(make_trace())
        for version in ("v1", "v2", "v3"):
            await build(client, dataset_version=version)

        first = (await client.get("/api/datasets", params={"limit": 2})).json()
        second = (await client.get("/api/datasets", params={"limit": 2, "offset": 2})).json()

        assert [d["dataset_key"] for d in first["data"]] == ["math-v3", "math-v2"]
        assert first["pagination"] == {"limit": 2, "offset": 0, "next_offset": 2}
        assert [d["dataset_key"] for d in second["data"]] == ["math-v1"]
        assert second["pagination"]["next_offset"] is None

    async def test_rows_are_summaries(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        await add_traces(make_trace(), make_trace())
        built = (await build(client, selection_strategy="random", seed=3)).json()

        (row,) = (await client.get("/api/datasets")).json()["data"]

        assert set(row) == {
            "dataset_key",
            "build_id",
            "name",
            "version",
            "created_at",
            "trace_count",
            "selection_strategy",
        }
        assert row["build_id"] == built["build_id"]
        assert (row["name"], row["version"], row["trace_count"]) == ("math", "v1", 2)
        assert row["selection_strategy"] == "random"

    async def test_empty(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/datasets")

        assert response.json() == {
            "data": [],
            "pagination": {"limit": 20, "offset": 0, "next_offset": None},
        }

    async def test_limit_over_100_is_422(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/api/datasets", params={"limit": 101})).status_code == 422


class TestGetDataset:
    async def test_manifest_has_every_column(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        ids = await add_traces(make_trace(), make_trace())
        built = (
            await build(
                client, filters={"source": "unit"}, selection_strategy="random", seed=2**53 - 1
            )
        ).json()

        manifest = (await client.get("/api/datasets/math-v1")).json()

        assert manifest["build_id"] == built["build_id"]
        assert manifest["dataset_key"] == "math-v1"
        assert (manifest["name"], manifest["version"]) == ("math", "v1")
        assert manifest["created_at"].endswith("Z") or manifest["created_at"].endswith("+00:00")
        assert manifest["filters"] == {"source": "unit"}
        assert (manifest["selection_strategy"], manifest["seed"]) == ("random", 2**53 - 1)
        assert sorted(manifest["trace_ids"]) == sorted(str(i) for i in ids)
        assert manifest["trace_count"] == 2
        assert manifest["stats"]["step_count"] == {"min": 2, "max": 2, "mean": 2.0}

    async def test_latest_does_not_record_a_seed(self, client: httpx.AsyncClient) -> None:
        await build(client, seed=9)

        assert (await client.get("/api/datasets/math-v1")).json()["seed"] is None

    async def test_unknown_key_is_404(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/datasets/nope-v1")

        assert response.status_code == 404
        assert response.json() == {"detail": "Dataset nope-v1 not found"}


def expected_line(fmt: str, trace_id: uuid.UUID) -> str:
    """The export line of conftest's make_trace() body, written out by hand."""
    if fmt == "trace":
        return (
            f'{{"id":"{trace_id}","trace_version":"1.0","prompt":"What is 27 * 19?",'
            '"final_answer":"513","steps":[{"i":0,"type":"thought","content":"27 * 20 = 540"},'
            '{"i":1,"type":"thought","content":"540 - 27 = 513"}],"meta":{"source":"unit"}}\n'
        )
    if fmt == "tunix_sft":
        prompt = r"<start_of_turn>user\nWhat is 27 * 19?<end_of_turn>\n<start_of_turn>model\n"
        completion = r"27 * 20 = 540\n540 - 27 = 513\n513<end_of_turn>"
        return (
            f'{{"id":"{trace_id}","prompt":"{prompt}","completion":"{completion}",'
            f'"text":"{prompt}{completion}","meta":{{"source":"unit"}}}}\n'
        )
    return (
        f'{{"id":"{trace_id}","prompt":"What is 27 * 19?",'
        r'"response":"27 * 20 = 540\n540 - 27 = 513\n513","metadata":{"source":"unit"}}'
        "\n"
    )


class TestExportDataset:
    @pytest.mark.parametrize("fmt", ["trace", "tunix_sft", "training_example"])
    async def test_exact_line_per_format(
        self, client: httpx.AsyncClient, add_traces: AddTraces, fmt: str
    ) -> None:
        (trace_id,) = await add_traces(make_trace())
        await build(client)

        response = await client.get("/api/datasets/math-v1/export.jsonl", params={"format": fmt})

        assert response.status_code == 200
        assert response.headers["content-type"] == "application/x-ndjson"
        assert response.headers["content-disposition"] == (
            f'attachment; filename="math-v1.{fmt}.jsonl"'
        )
        assert response.text == expected_line(fmt, trace_id)

    async def test_default_format_is_trace(
        self, client: httpx.AsyncClient, add_traces: AddTraces
    ) -> None:
        (trace_id,) = await add_traces(make_trace())
        await build(client)

        response = await client.get("/api/datasets/math-v1/export.jsonl")

        assert response.text == expected_line("trace", trace_id)

    async def test_lines_follow_dataset_order(
        self,
        client: httpx.AsyncClient,
        add_traces: AddTraces,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        # Small chunks so the export crosses several of them.
        monkeypatch.setattr(service, "CHUNK_SIZE", 3)
        await add_traces(*(make_trace(prompt=f"p{n}") for n in range(10)))
        await build(client, limit=10, selection_strategy="random", seed=42)
        order = await built_ids(client, "math-v1")

        response = await client.get(
            "/api/datasets/math-v1/export.jsonl", params={"format": "tunix_sft"}
        )

        lines = response.text.splitlines()
        assert [json.loads(line)["id"] for line in lines] == order
        assert order != sorted(order)

    async def test_deleted_traces_are_skipped(
        self,
        client: httpx.AsyncClient,
        add_traces: AddTraces,
        delete_traces: Callable[[list[uuid.UUID]], Awaitable[None]],
    ) -> None:
        ids = await add_traces(make_trace(), make_trace(), make_trace())
        await build(client)
        await delete_traces([ids[1]])

        response = await client.get("/api/datasets/math-v1/export.jsonl")

        assert [json.loads(line)["id"] for line in response.text.splitlines()] == [
            str(ids[2]),
            str(ids[0]),
        ]

    async def test_empty_dataset_exports_nothing(self, client: httpx.AsyncClient) -> None:
        await build(client)

        response = await client.get("/api/datasets/math-v1/export.jsonl")

        assert response.status_code == 200
        assert response.text == ""

    async def test_unknown_format_is_422(self, client: httpx.AsyncClient) -> None:
        await build(client)

        response = await client.get("/api/datasets/math-v1/export.jsonl", params={"format": "csv"})

        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "format"]

    async def test_unknown_dataset_is_404(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/datasets/nope-v1/export.jsonl")

        assert response.status_code == 404
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {"detail": "Dataset nope-v1 not found"}
