"""Bounded run logs: the head and the tail of a child's output, valid UTF-8, with a cut marker.

A run's stdout can be megabytes; the registry keeps at most `limit` bytes of each stream.
The start shows how the run was set up and the end shows how it finished, so both are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

# Bytes read around a cut point to find a character boundary (a UTF-8 character is 1-4 bytes).
_MAX_CHAR_BYTES = 4

Reader = Callable[[int, int], bytes]


def marker(cut: int) -> str:
    return f"\n[... {cut} bytes truncated ...]\n"


def truncate_bytes(data: bytes, limit: int) -> str:
    """`data` decoded (invalid bytes replaced) and cut to at most `limit` UTF-8 bytes."""
    return _truncate(lambda start, end: data[start:end], len(data), limit)


def read_truncated(path: Path, limit: int) -> str:
    """A log file's head and tail, reading at most about 2 x `limit` bytes of it."""
    with path.open("rb") as handle:

        def read(start: int, end: int) -> bytes:
            handle.seek(start)
            return handle.read(max(0, end - start))

        return _truncate(read, path.stat().st_size, limit)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _is_continuation(byte: int) -> bool:
    return byte & 0b1100_0000 == 0b1000_0000


def _head_end(read: Reader, at: int) -> int:
    """Largest offset <= `at` that does not fall inside a UTF-8 character."""
    window_start = max(0, at - _MAX_CHAR_BYTES + 1)
    window = read(window_start, at + 1)
    end = at
    # Step back over continuation bytes only: anything else starts a character (or is invalid,
    # and invalid bytes are replaced one by one, so cutting before them is safe too).
    while end > window_start and end - window_start < len(window):
        if not _is_continuation(window[end - window_start]):
            break
        end -= 1
    return end


def _tail_start(read: Reader, at: int, total: int) -> int:
    """Smallest offset >= `at` that does not fall inside a UTF-8 character."""
    window = read(at, min(total, at + _MAX_CHAR_BYTES))
    start = at
    for byte in window[: _MAX_CHAR_BYTES - 1]:
        if not _is_continuation(byte):
            break
        start += 1
    return start


def _truncate(read: Reader, total: int, limit: int) -> str:
    if total <= limit:
        whole = _decode(read(0, total))
        if len(whole.encode()) <= limit:
            return whole
    # The marker's length depends on the number cut; the total bounds it from above.
    budget = limit - len(marker(total).encode())
    head_budget, tail_budget = budget // 2, budget - budget // 2
    while True:
        head_end = _head_end(read, min(head_budget, total))
        tail_start = _tail_start(read, max(total - tail_budget, head_end), total)
        head = _decode(read(0, head_end))
        tail = _decode(read(tail_start, total))
        cut_marker = marker(tail_start - head_end)
        text = head + cut_marker + tail
        size = len(text.encode())
        if size <= limit:
            return text
        # Replacement characters are 3 bytes for 1 invalid byte: shrink in proportion, retry.
        kept = size - len(cut_marker.encode())
        ratio = (limit - len(cut_marker.encode())) / kept
        head_budget = max(0, min(int(head_budget * ratio), head_budget - 1))
        tail_budget = max(0, min(int(tail_budget * ratio), tail_budget - 1))
