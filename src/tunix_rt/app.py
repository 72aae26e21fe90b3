"""create_app(): wires routers, the database lifespan, limits and the built web UI."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from tunix_rt import __version__
from tunix_rt.datasets.router import router as datasets_router
from tunix_rt.db import create_engine, create_session_factory
from tunix_rt.errors import ServiceUnavailable, install_error_handlers, responses
from tunix_rt.health import router as health_router
from tunix_rt.limits import BodySizeLimit
from tunix_rt.settings import Settings, get_settings
from tunix_rt.traces.router import router as traces_router
from tunix_rt.tunix.lifecycle import on_startup as tunix_on_startup
from tunix_rt.tunix.router import router as tunix_router

# Editable installs run from the repo, where `make run` builds the UI.
DEFAULT_UI_DIR = Path(__file__).resolve().parents[2] / "frontend" / "dist"

UI_MISSING_PAGE = """<!doctype html><title>tunix-rt</title>
<p>The web UI is not built. Run <code>make run</code>
(or <code>npm --prefix frontend run build</code>). The API is at <a href="/docs">/docs</a>.</p>"""


def create_app(settings: Settings | None = None, *, ui_dir: Path | None = None) -> FastAPI:
    settings = settings or get_settings()
    ui_dir = ui_dir or DEFAULT_UI_DIR

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        app.state.engine = engine
        app.state.session_factory = create_session_factory(engine)
        try:
            await tunix_on_startup(app.state.session_factory, settings)
            # Everything alive now (imported modules, the app) lives as long as the process:
            # taking it out of the collector's view makes full collections, and so the worst
            # request latencies, far cheaper.
            gc.freeze()
            yield
        finally:
            await engine.dispose()

    app = FastAPI(
        title="tunix-rt",
        version=__version__,
        description="Reasoning traces, datasets and Tunix SFT runs, with a run registry.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)

    api = APIRouter(prefix="/api")
    api.include_router(health_router)
    api.include_router(traces_router)
    api.include_router(datasets_router)
    api.include_router(tunix_router)
    # Any route that reaches the database answers 503 while it is unreachable.
    app.include_router(api, responses=responses(ServiceUnavailable))

    if (ui_dir / "index.html").is_file():
        app.mount("/", StaticFiles(directory=ui_dir, html=True), name="ui")
    else:

        @app.get("/", include_in_schema=False)
        async def ui_missing() -> HTMLResponse:
            return HTMLResponse(UI_MISSING_PAGE)

    app.add_middleware(BodySizeLimit, settings=settings)
    return app
