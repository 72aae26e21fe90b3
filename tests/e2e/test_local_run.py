"""A real Tunix training run of tiny-gemma3 started from the browser, watched in Run History."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.workbench import UUID, Workbench, store_traces
from tests.live_server import Server

pytestmark = pytest.mark.e2e

# tiny-gemma3 trains 5 steps in 25-45 s on two cores; leave room for a busy machine.
TRAINING_TIMEOUT_MS = 150_000
LOSS_LINE = re.compile(r"step \d+ loss \d+\.\d+")


def test_local_run_shows_running_then_completed_with_loss_lines(
    sqlite_database: str, page: Page, serve: Callable[[str], Server], screenshot_dir: Path
) -> None:
    server = serve(sqlite_database)
    store_traces(server, "e2e", 4)
    wb = Workbench(page, server)
    wb.open()
    wb.build_dataset("train")
    wb.by_id("dataset-use-train-v1").click()

    # Earlier runs in other states, so the history shows them side by side.
    checked = wb.dry_run("train-v1")
    refused = wb.dry_run("absent-v1")
    timed_out = server.http.post(
        "/api/tunix/run",
        json={
            "dataset_key": "train-v1",
            "model_id": "tiny-gemma3",
            "dry_run": False,
            "max_steps": 5,
            "timeout_seconds": 1,
        },
    ).json()
    assert timed_out["status"] == "timeout", timed_out
    wb.by_id("run-refresh").click()
    expect(wb.run_status(timed_out["run_id"])).to_have_text("Timed out")

    wb.by_id("tunix-dataset-key").fill("train-v1")
    wb.by_id("tunix-max-steps").fill("5")
    wb.by_id("tunix-batch-size").fill("2")
    wb.by_id("tunix-max-seq-length").fill("128")
    expect(wb.by_id("tunix-status")).to_contain_text("Tunix available")
    expect(wb.by_id("tunix-run-local")).to_be_enabled()
    wb.by_id("tunix-run-local").click()

    # While it trains: a new top row, `running`, and the Tunix panel still waiting.
    top_status = page.locator("[data-testid^='run-row-']").first.locator("[data-status]")
    expect(top_status).to_have_attribute("data-status", "running", timeout=30_000)
    expect(top_status).to_have_text("Running")
    expect(wb.by_id("tunix-running")).to_be_visible()
    listed = wb.listed_runs()
    training = listed[0][0]
    assert UUID.match(training)
    assert listed[1:] == [
        (timed_out["run_id"], "timeout"),
        (refused, "failed"),
        (checked, "completed"),
    ]
    wb.screenshot(wb.by_id("run-history"), screenshot_dir / "run-history.png")

    detail = wb.open_run(training)
    expect(detail.get_by_test_id("run-detail-status")).to_have_attribute("data-status", "running")

    # Then it ends by itself: no click, no reload.
    expect(wb.by_id("tunix-result-status")).to_have_attribute(
        "data-status", "completed", timeout=TRAINING_TIMEOUT_MS
    )
    expect(wb.by_id("tunix-result-run-id")).to_have_text(training)
    expect(wb.run_status(training)).to_have_attribute("data-status", "completed")
    expect(detail.get_by_test_id("run-detail-status")).to_have_attribute("data-status", "completed")
    expect(wb.by_id("run-detail-exit-code")).to_have_text("0")
    expect(wb.by_id("run-detail-message")).to_contain_text("Training completed")
    expect(wb.by_id("run-stdout")).to_contain_text(LOSS_LINE)
    assert len(LOSS_LINE.findall(wb.by_id("run-stdout").inner_text())) >= 5
    wb.screenshot(detail, screenshot_dir / "run-details.png", margin=4)
