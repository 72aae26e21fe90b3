"""Browser journeys: Debian's Chromium, driven by Playwright, against real `tunix-rt serve`.

Each journey starts its own server on its own database (see tests/live_server.py) and talks to it
through the built UI in frontend/dist, as a user would.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.live_server import Server

T = TypeVar("T")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
UI_INDEX = REPO / "frontend" / "dist" / "index.html"
IMAGES = REPO / "docs" / "images"
VIEWPORT = {"width": 1280, "height": 900}

# A loaded 2-core machine can take seconds to answer; a failing wait still ends in bounded time.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browsers` (apt-get install chromium)")
    if not UI_INDEX.exists():
        pytest.fail("frontend/dist is missing: run `npm --prefix frontend run build`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def sqlite_database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'registry.db'}"


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[[str], Server]]:
    """Starts `tunix-rt serve` on a database; every server it started is stopped afterwards."""
    started: list[Server] = []

    def start(database_url: str) -> Server:
        server = Server(database_url, tmp_path)
        started.append(server)
        return server

    yield start
    errors = []
    for server in started:
        try:
            server.stop()
        except subprocess.TimeoutExpired as hung:  # stop() has killed it by now
            errors.append(hung)
    if errors:
        raise errors[0]


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """docs/images when TUNIX_RT_SCREENSHOTS=1, so a plain `make test` leaves the tree clean."""
    if os.environ.get("TUNIX_RT_SCREENSHOTS") == "1":
        IMAGES.mkdir(parents=True, exist_ok=True)
        return IMAGES
    return tmp_path
