"""The UI as a user works it, and the little setup journeys do through the API."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.live_server import Server

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Workbench:
    """What a user does on the one-page UI, in the words of its panels."""

    def __init__(self, page: Page, server: Server) -> None:
        self.page = page
        self.server = server

    def open(self) -> None:
        self.page.goto(self.server.url)
        expect(self.page.get_by_test_id("health-status")).to_have_attribute("data-state", "healthy")

    def by_id(self, test_id: str) -> Locator:
        return self.page.get_by_test_id(test_id)

    # Datasets panel
    def build_dataset(self, name: str, filters: str = "{}") -> Locator:
        self.by_id("dataset-name").fill(name)
        self.by_id("dataset-filters").fill(filters)
        self.by_id("dataset-build").click()
        result = self.by_id("dataset-build-result")
        expect(result).to_contain_text(f"Built {name}-v1")
        return result

    # Tunix panel
    def dry_run(self, dataset_key: str) -> str:
        """Dry-run a dataset from the Tunix panel; the run id the result shows."""
        self.by_id("tunix-dataset-key").fill(dataset_key)
        # The previous result stays on screen until the new one replaces it; wait for that.
        previous = self._shown_run_id()
        self.by_id("tunix-dry-run").click()
        run_id = self.by_id("tunix-result-run-id")
        if previous is not None:
            expect(run_id).not_to_have_text(previous)
        expect(run_id).to_have_text(UUID)
        return run_id.inner_text()

    def _shown_run_id(self) -> str | None:
        shown = self.by_id("tunix-result-run-id")
        return shown.inner_text() if shown.count() else None

    # Run History panel
    def run_status(self, run_id: str) -> Locator:
        return self.by_id(f"run-status-{run_id}")

    def listed_runs(self) -> list[tuple[str, str]]:
        """(run id, status) of every row in Run History, top to bottom."""
        # One read of the whole table: the panel re-renders while it polls.
        rows: list[list[str]] = self.page.eval_on_selector_all(
            "[data-testid^='run-row-']",
            """rows => rows.map(row => [
                row.dataset.testid.slice('run-row-'.length),
                row.querySelector('[data-status]').dataset.status,
            ])""",
        )
        return [(run_id, status) for run_id, status in rows]

    def screenshot(self, element: Locator, path: Path, margin: int = 12) -> None:
        """The element and a little of the page around it, so its edges stay visible."""
        element.scroll_into_view_if_needed()
        box = element.bounding_box()
        assert box, "nothing to photograph"
        scroll_y: float = self.page.evaluate("window.scrollY")
        self.page.screenshot(
            path=path,
            full_page=True,
            clip={
                "x": max(0, box["x"] - margin),
                "y": max(0, box["y"] + scroll_y - margin),
                "width": box["width"] + 2 * margin,
                "height": box["height"] + 2 * margin,
            },
        )

    def open_run(self, run_id: str) -> Locator:
        self.by_id(f"run-row-{run_id}").click()
        detail = self.by_id("run-detail")
        expect(detail).to_have_attribute("data-run-id", run_id)
        return detail


def store_traces(server: Server, source: str, count: int) -> None:
    """Setup through the API: traces a dataset can select by meta.source."""
    for i in range(count):
        response = server.http.post(
            "/api/traces",
            json={
                "trace_version": "1.0",
                "prompt": f"What is {i} + {i}?",
                "steps": [{"i": 0, "type": "compute", "content": f"{i} + {i} = {2 * i}"}],
                "final_answer": str(2 * i),
                "meta": {"source": source},
            },
        )
        assert response.status_code == 201, response.text
