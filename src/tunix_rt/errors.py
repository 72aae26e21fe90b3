"""One error base and one handler: every domain error becomes `{"detail": ...}` with its status."""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """The body of every error response."""

    detail: Any


class AppError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BadRequest(AppError):
    status_code = 400


class NotFound(AppError):
    status_code = 404

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind.capitalize()} {key} not found")


class Conflict(AppError):
    status_code = 409


class PayloadTooLarge(AppError):
    status_code = 413


class Unprocessable(AppError):
    status_code = 422


class NotImplementedYet(AppError):
    status_code = 501


class ServiceUnavailable(AppError):
    status_code = 503


def responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the domain errors a route can raise."""
    return {e.status_code: {"model": ErrorBody, "description": e.__name__} for e in errors}


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` means the database could not be reached (worth a retry), not a bad query."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated
    # Raised by the driver while (re)connecting: refused, reset, timed out.
    return isinstance(exc, (ConnectionError, TimeoutError))


def _db_text_error(exc: DBAPIError) -> str | None:
    """A value the database refused to store (NUL bytes, bad encoding): the client's fault."""
    text = str(exc.orig)
    for marker in ("invalid byte sequence", "\\u0000", "unsupported Unicode escape", "surrogates"):
        if marker in text:
            return (
                "text contains characters the database cannot store (e.g. NUL or lone surrogates)"
            )
    return None


# Echoing a whole oversized input back in a 422 helps nobody.
MAX_ECHOED_INPUT_CHARS = 1000


def _printable(value: Any) -> Any:
    """Makes an echoed value encodable: lone surrogates escaped, long text cut, NaN/inf quoted."""
    if isinstance(value, float) and not math.isfinite(value):
        # Python's JSON parser accepts NaN, Infinity and 1e999; JSON cannot carry them back.
        return str(value)
    if isinstance(value, str):
        if len(value) > MAX_ECHOED_INPUT_CHARS:
            value = value[:MAX_ECHOED_INPUT_CHARS] + "…"
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for error in exc.errors():
            error = dict(error)
            raw = jsonable_encoder(error.pop("input", None))
            if len(repr(raw)) <= MAX_ECHOED_INPUT_CHARS:
                error["input"] = raw
            errors.append(error)
        return JSONResponse({"detail": _printable(jsonable_encoder(errors))}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # FastAPI answers a body that is not even text (invalid UTF-8) with an undeclared 400;
        # it is malformed JSON like any other, so it gets the same 422 as a JSON syntax error.
        if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
            error = {"type": "json_invalid", "loc": ["body"], "msg": "Body is not UTF-8 JSON"}
            return JSONResponse({"detail": [error]}, status_code=422)
        return await http_exception_handler(request, exc)

    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(DBAPIError)
    async def _db_error(_: Request, exc: DBAPIError) -> JSONResponse:
        if database_unavailable(exc):
            return _unavailable_response(exc.orig)
        bad_text = _db_text_error(exc)
        if bad_text:
            return JSONResponse({"detail": bad_text}, status_code=422)
        raise exc

    @app.exception_handler(OSError)
    async def _os_error(_: Request, exc: OSError) -> JSONResponse:
        # Connection refused / reset while reaching the database server.
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return _unavailable_response(exc)
        raise exc


# Seconds a client is asked to wait before retrying while the database is unavailable.
RETRY_AFTER_SECONDS = 5
MAX_REASON_CHARS = 200


def _unavailable_response(cause: BaseException | None) -> JSONResponse:
    """503 naming the cause; the request's transaction was rolled back, so nothing was stored."""
    first_line = str(cause).strip().splitlines()[0] if cause is not None and str(cause) else ""
    reason = f"{type(cause).__name__}: {first_line[:MAX_REASON_CHARS]}".rstrip(": ")
    logger.warning("database unavailable: %s", reason)
    return JSONResponse(
        {
            "detail": f"Database unavailable ({reason}); the request was not carried out. "
            "Try again shortly: GET /api/health says when the database is back."
        },
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
