"""Request body size limits, enforced before any handler parses JSON."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tunix_rt.settings import MIB, Settings

# Bodies of the non-trace endpoints are small JSON objects.
DEFAULT_MAX_BYTES = MIB
# A batch holds many traces; each one is still checked against TRACE_MAX_BYTES on its own.
BATCH_FACTOR = 16


def body_limit(path: str, settings: Settings) -> int:
    if path.rstrip("/") == "/api/traces/batch":
        return settings.trace_max_bytes * BATCH_FACTOR
    if path.startswith("/api/traces"):
        return settings.trace_max_bytes
    return DEFAULT_MAX_BYTES


class BodySizeLimit:
    """Answers 413 for a body over its path's limit, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"], self.settings)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, limit)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Send, limit: int) -> None:
    payload = json.dumps({"detail": f"Request body exceeds the limit of {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
