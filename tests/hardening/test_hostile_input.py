"""Hostile input: no request escapes the output root, runs a shell, stores bad text, or 5xx."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.conftest import make_trace, unique_name
from tests.hardening.conftest import build_dataset, rss_kib
from tests.live_server import Server
from tests.tunix.conftest import STAND_IN_RUNNER
from tunix_rt.settings import Settings
from tunix_rt.tunix.availability import clear_cache


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(tunix_runner_script=STAND_IN_RUNNER, tunix_run_timeout_seconds=30)


@pytest.fixture(autouse=True)
def fresh_status_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


async def post_raw(http: httpx.AsyncClient, path: str, body: Any) -> httpx.Response:
    """JSON with every non-ASCII character escaped, so lone surrogates travel as `\\udXXX`."""
    return await http.post(
        path, content=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )


async def stored_counts(http: httpx.AsyncClient) -> tuple[int, int, int]:
    counts = []
    for path in ("/api/traces", "/api/datasets", "/api/tunix/runs"):
        response = await http.get(path, params={"limit": 100})
        assert response.status_code == 200, response.text
        counts.append(len(response.json()["data"]))
    return counts[0], counts[1], counts[2]


async def dataset(http: httpx.AsyncClient) -> str:
    marker = unique_name("hi")
    assert (await http.post("/api/traces", json=make_trace(meta={"source": marker}))).is_success
    built = await http.post(
        "/api/datasets/build",
        json={"dataset_name": marker, "dataset_version": "v1", "filters": {"source": marker}},
    )
    key: str = built.json()["dataset_key"]
    return key


def local(key: str, model_id: str = "stand-in:ok", **fields: Any) -> dict[str, Any]:
    return {"dataset_key": key, "model_id": model_id, "dry_run": False, **fields}


class TestPathTraversal:
    async def test_dataset_names_that_are_not_plain_names_are_422(
        self, client: httpx.AsyncClient
    ) -> None:
        for name in ["..", "../x", "a/b", "/etc", ".hidden", "%2e%2e", "a\\b", "x\u0000", "~"]:
            for field in ("dataset_name", "dataset_version"):
                body = {"dataset_name": "ok", "dataset_version": "v1", field: name}
                response = await post_raw(client, "/api/datasets/build", body)
                assert response.status_code == 422, (name, response.text)
        assert await stored_counts(client) == (0, 0, 0)

    async def test_dataset_keys_in_paths_find_nothing(self, client: httpx.AsyncClient) -> None:
        for path in [
            "/api/datasets/..%2F..%2Fetc%2Fpasswd",
            "/api/datasets/%2e%2e",
            "/api/datasets/..%2F..%2Fetc%2Fpasswd/export.jsonl",
            "/api/datasets/%2Fetc%2Fpasswd/export.jsonl",
            "/api/datasets/..%5C..%5Cx",
        ]:
            response = await client.get(path)
            assert response.status_code == 404, (path, response.text)
            assert "root:" not in response.text

    async def test_dataset_key_in_a_run_never_becomes_a_path(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        response = await client.post("/api/tunix/run", json=local("../../../etc/passwd"))
        assert response.status_code == 202
        run = response.json()
        assert run["status"] == "failed"
        assert "dataset: ../../../etc/passwd not found" in run["stderr"]
        assert Path(run["output_dir"]).parent == settings.tunix_rt_output_root.resolve()

    async def test_output_dirs_leaving_the_root_are_422(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        key = await dataset(client)
        for output_dir in ["../x", "a/../../x", "/etc", "//etc", "~root/x", ".", "a/..", "./../x"]:
            response = await client.post("/api/tunix/run", json=local(key, output_dir=output_dir))
            assert response.status_code == 422, (output_dir, response.text)
            assert "output_dir" in response.json()["detail"]
        assert (await client.get("/api/tunix/runs")).json()["data"] == []
        assert not settings.tunix_rt_output_root.exists()

    async def test_percent_encoded_dots_are_a_plain_folder_name_inside_the_root(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        key = await dataset(client)
        response = await client.post("/api/tunix/run", json=local(key, output_dir="%2e%2e/x"))
        run = response.json()
        assert run["status"] == "completed"
        assert run["output_dir"] == str(settings.tunix_rt_output_root.resolve() / "%2e%2e" / "x")

    async def test_symlink_out_of_the_root_is_422(
        self, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
    ) -> None:
        key = await dataset(client)
        root = settings.tunix_rt_output_root
        (root / "inner").mkdir(parents=True)
        (root / "inner" / "up").symlink_to(tmp_path / "outside", target_is_directory=True)
        response = await client.post("/api/tunix/run", json=local(key, output_dir="inner/up/x"))
        assert response.status_code == 422
        assert not (tmp_path / "outside").exists()


SHELL_IDS = [
    "stand-in:ok; touch {marker}",
    "$(touch {marker})",
    "`touch {marker}`",
    "stand-in:ok | touch {marker}",
    "stand-in:ok && touch {marker} #",
    "'; touch {marker}; echo '",
]


class TestShellMetacharactersInModelIds:
    async def test_are_inert_in_a_local_run(
        self, client: httpx.AsyncClient, tmp_path: Path
    ) -> None:
        key = await dataset(client)
        marker = tmp_path / "pwned"
        for template in SHELL_IDS:
            model_id = template.format(marker=marker)
            response = await client.post("/api/tunix/run", json=local(key, model_id))
            assert response.status_code == 202
            run = response.json()
            # The runner got the id as data (an id it does not know) and failed cleanly.
            assert (run["status"], run["exit_code"]) == ("failed", 2), model_id
            assert "unknown action" in run["stderr"]
            manifest = yaml.safe_load((Path(run["output_dir"]) / "manifest.yaml").read_text())
            assert manifest["model_id"] == model_id
        assert not marker.exists()

    async def test_are_inert_in_a_dry_run(self, client: httpx.AsyncClient, tmp_path: Path) -> None:
        key = await dataset(client)
        marker = tmp_path / "pwned"
        for template in SHELL_IDS:
            body = {"dataset_key": key, "model_id": template.format(marker=marker)}
            run = (await client.post("/api/tunix/run", json=body)).json()
            assert run["status"] == "failed"
            assert "model id" in run["message"]
        assert not marker.exists()

    async def test_yaml_in_a_model_id_cannot_rewrite_the_manifest(
        self, client: httpx.AsyncClient, tmp_path: Path
    ) -> None:
        key = await dataset(client)
        model_id = f"stand-in:ok\noutput_dir: {tmp_path}\ndataset_path: /etc/passwd"
        run = (await client.post("/api/tunix/run", json=local(key, model_id))).json()
        manifest = yaml.safe_load((Path(run["output_dir"]) / "manifest.yaml").read_text())
        assert manifest["model_id"] == model_id
        assert manifest["output_dir"] == run["output_dir"]
        assert manifest["dataset_path"] == "dataset.jsonl"


BUILD = {"dataset_name": "n", "dataset_version": "v"}
BAD_TEXT = ["bad\u0000text", "lone \ud800 surrogate", "\udfff"]


def trace_variants(bad: str) -> list[dict[str, Any]]:
    """A trace with `bad` in each of its text fields in turn."""
    base = make_trace()
    step = base["steps"][0]
    return [
        {**base, "trace_version": bad},
        {**base, "prompt": bad},
        {**base, "final_answer": bad},
        {**base, "steps": [{**step, "type": bad}]},
        {**base, "steps": [{**step, "content": bad}]},
        {**base, "meta": {bad: "v"}},
        {**base, "meta": {"k": bad}},
        {**base, "meta": {"k": [{"deep": [bad]}]}},
    ]


class TestUnstorableText:
    @pytest.mark.parametrize("bad", BAD_TEXT, ids=["nul", "surrogate", "low-surrogate"])
    async def test_every_text_field_is_refused_and_nothing_stored(
        self, client: httpx.AsyncClient, bad: str
    ) -> None:
        key = await dataset(client)
        before = await stored_counts(client)
        requests: list[tuple[str, Any]] = [("/api/traces", t) for t in trace_variants(bad)]
        requests += [
            ("/api/traces/batch", {"traces": [make_trace(), trace_variants(bad)[1]]}),
            (
                "/api/datasets/build",
                {**BUILD, "filters": {bad: 1}},
            ),
            (
                "/api/datasets/build",
                {**BUILD, "filters": {"k": bad}},
            ),
            ("/api/tunix/run", {"dataset_key": bad, "model_id": "tiny-gemma3"}),
            ("/api/tunix/run", {"dataset_key": key, "model_id": bad}),
            ("/api/tunix/run", local(key, bad)),
            ("/api/tunix/run", local(key, output_dir=f"x{bad}")),
            ("/api/tunix/sft/manifest", {"dataset_key": key, "model_id": bad}),
            ("/api/tunix/sft/export", {"dataset_key": bad}),
        ]
        for path, body in requests:
            response = await post_raw(client, path, body)
            assert response.status_code == 422, (path, body, response.text)
            json.dumps(response.json())  # the error itself is clean JSON
        assert await stored_counts(client) == before

    async def test_bad_text_in_query_and_path_is_never_a_server_error(
        self, client: httpx.AsyncClient
    ) -> None:
        assert (await client.get("/api/tunix/runs?dataset_key=%00")).status_code == 422
        for url in [
            # Bytes that are not UTF-8 are decoded to U+FFFD: harmless text that matches nothing.
            "/api/tunix/runs?dataset_key=%ED%A0%80",
            "/api/tunix/runs?dataset_key=%FF%FE",
            "/api/datasets/a%00b",
            "/api/datasets/%ED%A0%80",
            "/api/datasets/%FF/export.jsonl",
            "/api/traces/%00",
        ]:
            response = await client.get(url)
            assert response.status_code < 500, (url, response.text)
            if response.status_code == 200:
                assert response.json()["data"] == []


class TestOutOfRangeQueries:
    @pytest.mark.parametrize("path", ["/api/traces", "/api/datasets", "/api/tunix/runs"])
    async def test_huge_and_negative_pages(self, client: httpx.AsyncClient, path: str) -> None:
        deepest = await client.get(path, params={"offset": 2**53})
        assert deepest.status_code == 200
        assert deepest.json()["data"] == []
        for params in [
            {"offset": 2**53 + 1},
            {"offset": 2**63},
            {"offset": 10**40},
            {"offset": -1},
            {"limit": 0},
            {"limit": 101},
            {"limit": 10**20},
            {"limit": "1e3"},
            {"offset": "NaN"},
        ]:
            response = await client.get(path, params=params)
            assert response.status_code == 422, (params, response.text)

    async def test_unknown_enum_values_are_422(self, client: httpx.AsyncClient) -> None:
        key = await dataset(client)
        trace_id = (await client.get("/api/traces")).json()["data"][0]["id"]
        for method, url, body in [
            ("GET", "/api/tunix/runs?status=exploded", None),
            ("GET", "/api/tunix/runs?mode=cloud", None),
            ("GET", "/api/tunix/runs?status=RUNNING", None),
            ("GET", f"/api/datasets/{key}/export.jsonl?format=csv", None),
            ("POST", f"/api/traces/{trace_id}/score", {"criteria": "vibes"}),
            (
                "POST",
                "/api/datasets/build",
                {"dataset_name": "n", "dataset_version": "v", "selection_strategy": "best"},
            ),
        ]:
            response = await client.request(method, url, json=body)
            assert response.status_code == 422, (url, response.text)


class TestWrongJsonTypes:
    async def test_are_422_and_store_nothing(self, client: httpx.AsyncClient) -> None:
        key = await dataset(client)
        before = await stored_counts(client)
        cases: list[tuple[str, Any]] = [
            ("/api/traces", []),
            ("/api/traces", "trace"),
            ("/api/traces", 42),
            ("/api/traces", None),
            ("/api/traces", {**make_trace(), "prompt": 123}),
            ("/api/traces", {**make_trace(), "steps": "many"}),
            ("/api/traces", {**make_trace(), "steps": [{"i": "one", "type": "t", "content": "c"}]}),
            ("/api/traces", {**make_trace(), "meta": ["not", "a", "dict"]}),
            ("/api/traces/batch", {"traces": make_trace()}),
            ("/api/datasets/build", {"dataset_name": ["n"], "dataset_version": "v"}),
            ("/api/datasets/build", {"dataset_name": "n", "dataset_version": "v", "limit": 1.5}),
            ("/api/datasets/build", {"dataset_name": "n", "dataset_version": "v", "seed": "x"}),
            ("/api/tunix/run", {"dataset_key": key, "model_id": {"id": 1}}),
            ("/api/tunix/run", {"dataset_key": key, "model_id": "m", "max_steps": "lots"}),
            ("/api/tunix/run", {"dataset_key": key, "model_id": "m", "timeout_seconds": "inf"}),
            ("/api/tunix/sft/export", {"trace_ids": ["not-a-uuid"]}),
        ]
        for path, body in cases:
            response = await client.post(path, json=body)
            assert response.status_code == 422, (path, body, response.text)
        for raw, content_type in [
            (b"{", "application/json"),
            (b'{"prompt": "x",}', "application/json"),
            (b"\xff\xfe\x00garbage", "application/json"),
            (b"prompt=x", "application/x-www-form-urlencoded"),
            (b"", "application/json"),
            # Python's JSON parser reads these as floats JSON itself cannot write back.
            (b'{"trace_version": "1", "prompt": 1e999}', "application/json"),
            (b'{"trace_version": NaN, "prompt": -Infinity}', "application/json"),
        ]:
            response = await client.post(
                "/api/traces", content=raw, headers={"content-type": content_type}
            )
            assert response.status_code == 422, (raw, response.text)
        for raw in [b'"learning_rate": NaN', b'"learning_rate": 1e999', b'"max_steps": Infinity']:
            body = b'{"dataset_key": "%s", "model_id": "m", %s}' % (key.encode(), raw)
            response = await client.post(
                "/api/tunix/run", content=body, headers={"content-type": "application/json"}
            )
            assert response.status_code == 422, (raw, response.text)
        assert await stored_counts(client) == before


class TestOversizeBodies:
    async def test_are_413_and_store_nothing(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        huge = "x" * (settings.trace_max_bytes + 1)
        big_trace = json.dumps(make_trace(prompt=huge)).encode()

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
            for start in range(0, len(big_trace), 64 * 1024):
                yield big_trace[start : start + 64 * 1024]

        for path, content in [
            ("/api/traces", big_trace),
            ("/api/traces", chunks()),
            ("/api/tunix/run", json.dumps({"dataset_key": "k", "model_id": huge * 2}).encode()),
            ("/api/datasets/build", json.dumps({"filters": {"k": huge * 2}}).encode()),
        ]:
            response = await client.post(
                path, content=content, headers={"content-type": "application/json"}
            )
            assert response.status_code == 413, (path, response.text[:200])
            assert "exceeds the limit" in response.json()["detail"]
        assert await stored_counts(client) == (0, 0, 0)


class TestNoisyChild:
    def test_ten_megabytes_and_invalid_utf8_cost_the_server_no_memory(
        self, shared_server: Server
    ) -> None:
        key = build_dataset(shared_server.http, count=1)
        pid = shared_server.process.pid
        before = rss_kib(pid)
        size = 10 * 1024 * 1024
        flood = shared_server.http.post(
            "/api/tunix/run",
            json={"dataset_key": key, "model_id": f"stand-in:flood:{size}", "dry_run": False},
        ).json()
        bad = shared_server.http.post(
            "/api/tunix/run",
            json={"dataset_key": key, "model_id": "stand-in:bad-bytes", "dry_run": False},
        ).json()
        grown_mib = (rss_kib(pid) - before) / 1024

        assert flood["status"] == "completed"
        stored = shared_server.http.get(f"/api/tunix/runs/{flood['run_id']}").json()["stdout"]
        assert len(stored.encode()) <= 64 * 1024  # TUNIX_RUN_LOG_MAX_BYTES default
        assert "FIRST LINE" in stored and stored.endswith("LAST LINE\n")
        assert "bytes truncated ...]" in stored
        assert (Path(flood["output_dir"]) / "stdout.log").stat().st_size > size
        assert grown_mib < 20, f"server grew by {grown_mib:.1f} MiB"

        assert bad["status"] == "completed"
        assert "before \ufffd\ufffd after \ufffd" in bad["stdout"]
        assert bad["stderr"] == "err \ufffd bytes\n"
