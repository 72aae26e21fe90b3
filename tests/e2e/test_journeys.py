"""What a user does in the browser: traces, comparison, datasets, dry-runs and the run history."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import unique_name
from tests.e2e.workbench import UUID, Workbench, store_traces
from tests.live_server import Server

pytestmark = pytest.mark.e2e

Serve = Callable[[str], Server]


def upload_edited_example(wb: Workbench, edit: Callable[[dict[str, object]], None]) -> str:
    """Load the example trace, edit it in the editor, upload it; the id the panel reports."""
    wb.by_id("trace-load-example").click()
    editor = wb.by_id("trace-editor")
    payload = json.loads(editor.input_value())
    edit(payload)
    editor.fill(json.dumps(payload, indent=2))
    wb.by_id("trace-upload").click()
    uploaded = wb.page.locator("[data-testid='trace-upload-result'] code")
    expect(uploaded).to_have_text(UUID)
    return uploaded.inner_text()


def fetch_and_score(wb: Workbench, trace_id: str, expected_prompt: str) -> str:
    """Fetch a trace back by the id the upload filled in, score it; the score the panel shows."""
    expect(wb.by_id("trace-id-input")).to_have_value(trace_id)
    wb.by_id("trace-fetch").click()
    expect(wb.by_id("trace-result-id")).to_have_text(trace_id)
    expect(wb.by_id("trace-payload")).to_contain_text(expected_prompt)
    wb.by_id("trace-score").click()
    shown = wb.by_id("trace-score-result")
    expect(shown).to_have_text(re.compile(r"^Score \d+\.\d\d$"))
    return shown.inner_text().removeprefix("Score ")


class TestTracesAndCompare:
    def test_two_uploaded_traces_are_scored_and_compared_side_by_side(
        self, sqlite_database: str, page: Page, serve: Serve
    ) -> None:
        wb = Workbench(page, serve(sqlite_database))
        wb.open()

        def short(payload: dict[str, object]) -> None:
            payload["prompt"] = "How far does a car go in 2 hours at 60 km/h?"
            payload["final_answer"] = "120 km"

        def thorough(payload: dict[str, object]) -> None:
            # Ten steps of 500 characters each earn the baseline's full 100 points.
            payload["prompt"] = "Explain, step by step, why 17 is prime."
            payload["steps"] = [
                {"i": i, "type": "reason", "content": f"step {i} " + "x" * 493} for i in range(10)
            ]
            payload["final_answer"] = "17 is prime"

        first = upload_edited_example(wb, short)
        first_score = fetch_and_score(wb, first, "How far does a car go")
        second = upload_edited_example(wb, thorough)
        assert second != first
        second_score = fetch_and_score(wb, second, "why 17 is prime")
        assert second_score == "100.00"
        assert float(first_score) < 100
        expect(wb.by_id(f"recent-trace-{first}")).to_be_visible()
        expect(wb.by_id(f"recent-trace-{second}")).to_be_visible()

        wb.by_id("compare-base").fill(first)
        wb.by_id("compare-other").fill(second)
        wb.by_id("compare-submit").click()

        expect(wb.by_id("compare-result")).to_be_visible()
        expect(wb.by_id("compare-base-score")).to_have_text(f"score {first_score}")
        expect(wb.by_id("compare-other-score")).to_have_text(f"score {second_score}")
        expect(wb.by_id("compare-base-prompt")).to_have_text(
            "How far does a car go in 2 hours at 60 km/h?"
        )
        expect(wb.by_id("compare-other-answer")).to_have_text("17 is prime")
        expect(wb.page.locator("[data-testid='compare-other-steps'] li")).to_have_count(10)
        base = wb.by_id("compare-base-column").bounding_box()
        other = wb.by_id("compare-other-column").bounding_box()
        assert base and other
        assert base["x"] + base["width"] <= other["x"], "columns are not side by side"
        assert abs(base["y"] - other["y"]) < 5, "columns do not start on the same line"


class TestDatasets:
    def test_built_dataset_is_listed_with_its_trace_count(
        self, sqlite_database: str, page: Page, serve: Serve
    ) -> None:
        server = serve(sqlite_database)
        source = unique_name("e2e")
        store_traces(server, source, 3)
        store_traces(server, "someone-else", 2)
        wb = Workbench(page, server)
        wb.open()
        expect(wb.by_id("dataset-list-empty")).to_be_visible()

        result = wb.build_dataset("maths", filters=json.dumps({"source": source}))

        expect(result).to_have_text("Built maths-v1 with 3 traces")
        expect(wb.by_id("dataset-row-maths-v1")).to_be_visible()
        expect(wb.by_id("dataset-count-maths-v1")).to_have_text("3")
        expect(wb.by_id("dataset-list-empty")).to_have_count(0)


class TestDryRun:
    def test_dry_run_lands_on_top_of_run_history_with_its_checks(
        self, file_database: str, page: Page, serve: Serve
    ) -> None:
        server = serve(file_database)
        store_traces(server, "e2e", 2)
        wb = Workbench(page, server)
        wb.open()
        wb.build_dataset("sums")
        wb.by_id("dataset-use-sums-v1").click()
        expect(wb.by_id("tunix-dataset-key")).to_have_value("sums-v1")
        expect(wb.by_id("runs-empty")).to_be_visible()

        first = wb.dry_run("sums-v1")
        expect(wb.by_id("tunix-result-status")).to_have_attribute("data-status", "completed")
        second = wb.dry_run("sums-v1")
        expect(wb.by_id("tunix-result-status")).to_have_attribute("data-status", "completed")

        # No reload: the panel hears about the run from the Tunix panel.
        expect(wb.run_status(second)).to_have_attribute("data-status", "completed")
        expect(wb.run_status(second)).to_have_text("Completed")
        assert wb.listed_runs() == [(second, "completed"), (first, "completed")]

        detail = wb.open_run(second)
        expect(detail.get_by_test_id("run-detail-status")).to_have_attribute(
            "data-status", "completed"
        )
        expect(wb.by_id("run-detail-exit-code")).to_have_text("0")
        stdout = wb.by_id("run-stdout")
        expect(stdout).to_contain_text("[ok] dataset: sums-v1 exists with 2 traces")
        expect(stdout).to_contain_text("[ok] model: 'tiny-gemma3' can be loaded by the runner")
        expect(stdout).to_contain_text("Dry run passed")
        expect(wb.by_id("run-stderr")).to_have_text("(empty)")

    def test_dry_runs_of_missing_and_empty_datasets_fail_with_the_reason(
        self, file_database: str, page: Page, serve: Serve
    ) -> None:
        server = serve(file_database)
        store_traces(server, "e2e", 1)
        wb = Workbench(page, server)
        wb.open()
        built = wb.build_dataset("nothing", filters=json.dumps({"source": "no-such-source"}))
        expect(built).to_have_text("Built nothing-v1 with 0 traces")
        expect(wb.by_id("dataset-count-nothing-v1")).to_have_text("0")

        missing = wb.dry_run("missing-v1")
        expect(wb.by_id("tunix-result-status")).to_have_attribute("data-status", "failed")
        empty = wb.dry_run("nothing-v1")
        expect(wb.by_id("tunix-result-status")).to_have_attribute("data-status", "failed")

        expect(wb.run_status(empty)).to_have_text("Failed")
        assert wb.listed_runs() == [(empty, "failed"), (missing, "failed")]
        wb.open_run(missing)
        expect(wb.by_id("run-detail-status")).to_have_attribute("data-status", "failed")
        expect(wb.by_id("run-stderr")).to_contain_text("dataset: missing-v1 not found")
        wb.open_run(empty)
        expect(wb.by_id("run-detail-status")).to_have_attribute("data-status", "failed")
        expect(wb.by_id("run-stderr")).to_contain_text("dataset: nothing-v1 is empty")


class TestRestart:
    def test_runs_are_listed_with_the_same_statuses_after_a_restart(
        self, file_database: str, page: Page, serve: Serve
    ) -> None:
        server = serve(file_database)
        store_traces(server, "e2e", 1)
        wb = Workbench(page, server)
        wb.open()
        wb.build_dataset("kept")
        passed = wb.dry_run("kept-v1")
        failed = wb.dry_run("gone-v1")
        expect(wb.run_status(failed)).to_have_attribute("data-status", "failed")
        before = wb.listed_runs()
        assert before == [(failed, "failed"), (passed, "completed")]

        server.stop()
        # The new server has a new port, so "reload" is opening the workbench at its address.
        wb = Workbench(page, serve(file_database))
        wb.open()

        expect(wb.run_status(passed)).to_have_attribute("data-status", "completed")
        assert wb.listed_runs() == before
        wb.open_run(failed)
        expect(wb.by_id("run-stderr")).to_contain_text("dataset: gone-v1 not found")
