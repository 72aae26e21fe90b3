"""Query plans of the run list: EXPLAIN of the exact query the API runs, and what is wrong in it.

Shared by the bench (which saves the plans beside its figures) and by the query-plan test.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, Executable

TABLE = "tunix_runs"


class Explain(Executable, ClauseElement):
    """`EXPLAIN <select>` compiled by the dialect, so parameters bind exactly as in the API."""

    inherit_cache = False

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement


@compiles(Explain)
def _compile_explain(element: Explain, compiler: SQLCompiler, **kw: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN" if compiler.dialect.name == "sqlite" else "EXPLAIN"
    return f"{prefix} {compiler.process(element.statement, **kw)}"


async def explain(conn: AsyncConnection, statement: Select[Any]) -> list[str]:
    """The plan as text lines (SQLite: the detail column; PostgreSQL: the text format)."""
    rows = (await conn.execute(Explain(statement))).all()
    if conn.dialect.name == "sqlite":
        return [str(row[-1]) for row in rows]
    return [str(row[0]) for row in rows]


_PG_NODE = re.compile(r"^\s*(?:->\s+)?([A-Z][A-Za-z ]+?)(?: on | using |\s{2}\(|$)")


def plan_problems(dialect: str, lines: list[str]) -> list[str]:
    """Why a list plan would grow with the table: a full scan, a sort, or no index at all."""
    problems: list[str] = []
    if dialect == "sqlite":
        for line in lines:
            # "SCAN tunix_runs USING INDEX ..." walks an index in order and stops at the limit.
            if line.startswith(f"SCAN {TABLE}") and "USING" not in line:
                problems.append(f"full table scan: {line}")
            if "TEMP B-TREE" in line:
                problems.append(f"sort in a temporary b-tree: {line}")
        if not any("USING INDEX" in line or "USING COVERING INDEX" in line for line in lines):
            problems.append("no index used")
        return problems
    for line in lines:
        match = _PG_NODE.match(line)
        node = match.group(1) if match else ""
        if node == "Seq Scan" and f" on {TABLE}" in line:
            problems.append(f"sequential scan: {line.strip()}")
        if node.endswith("Sort"):
            problems.append(f"sort: {line.strip()}")
    if not any(re.search(r"Index (Only )?Scan", line) for line in lines):
        problems.append("no index used")
    return problems
