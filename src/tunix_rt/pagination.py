"""One page envelope for every list endpoint."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

T = TypeVar("T")

MAX_LIMIT = 100


class Pagination(BaseModel):
    limit: int
    offset: int
    next_offset: int | None


class Page(BaseModel, Generic[T]):
    data: list[T]
    pagination: Pagination


LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page")]
# Bounded so offsets stay within a 64-bit integer on every database.
OffsetQuery = Annotated[int, Query(ge=0, le=2**53, description="Rows to skip")]


def make_page(rows: list[T], limit: int, offset: int) -> Page[T]:
    """`rows` holds up to limit + 1 items; the extra one only says a next page exists."""
    has_more = len(rows) > limit
    return Page[T](
        data=rows[:limit],
        pagination=Pagination(
            limit=limit, offset=offset, next_offset=offset + limit if has_more else None
        ),
    )
