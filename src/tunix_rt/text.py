"""Text every supported database can store: no NUL characters, no lone surrogates."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator


def _problem(value: str) -> str | None:
    if "\x00" in value:
        return "must not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode (no lone surrogates)"
    return None


def storable(value: str) -> str:
    problem = _problem(value)
    if problem:
        raise ValueError(problem)
    return value


def storable_json(value: Any) -> Any:
    """The same rule applied to every key and string inside a JSON value."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            storable(item)
        elif isinstance(item, dict):
            for key, inner in item.items():
                storable(str(key))
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)
    return value


StorableStr = Annotated[str, AfterValidator(storable)]
