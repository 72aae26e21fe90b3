"""GET /api/health against a live and a dead database."""

from __future__ import annotations

import httpx

from tunix_rt.app import create_app
from tunix_rt.settings import Settings

# Nothing listens on port 1: connections are refused at once.
DEAD_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:1/nothing"


class TestHealth:
    async def test_healthy(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/health")
        assert response.status_code == 200
        assert response.json() == {"status": "healthy", "database": "ok"}

    async def test_unreachable_database_is_503_with_reason(self) -> None:
        app = create_app(Settings(database_url=DEAD_PG_URL, db_pool_timeout=1))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                response = await client.get("/api/health")
                assert response.status_code == 503
                body = response.json()
                assert body["status"] == "unhealthy"
                assert body["database"] != "ok" and body["database"]

                # Other endpoints say the database is unavailable instead of failing with 500.
                listing = await client.get("/api/traces")
                assert listing.status_code == 503
                assert "Database unavailable" in listing.json()["detail"]


class TestUi:
    async def test_root_serves_the_ui_or_a_build_hint(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/")
        assert response.status_code == 200
        assert "text/html" in response.headers["content-type"]
        assert "tunix-rt" in response.text

    async def test_openapi_lists_the_api(self, client: httpx.AsyncClient) -> None:
        spec = (await client.get("/openapi.json")).json()
        assert "/api/traces" in spec["paths"]
        assert (await client.get("/docs")).status_code == 200
