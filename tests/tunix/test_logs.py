"""Log truncation: head and tail kept, a marker with the bytes cut, always valid UTF-8."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tunix_rt.tunix.logs import read_truncated, truncate_bytes

LIMIT = 1024
MARKER = re.compile(r"\n\[\.\.\. (\d+) bytes truncated \.\.\.\]\n")


def split(text: str) -> tuple[str, int, str]:
    match = MARKER.search(text)
    assert match, "no truncation marker"
    return text[: match.start()], int(match.group(1)), text[match.end() :]


class TestTruncateBytes:
    def test_short_text_is_kept_whole(self) -> None:
        assert truncate_bytes(b"step 1 loss 0.5\n", LIMIT) == "step 1 loss 0.5\n"

    def test_exactly_the_limit_is_kept_whole(self) -> None:
        data = b"a" * LIMIT
        assert truncate_bytes(data, LIMIT) == data.decode()

    def test_long_text_keeps_head_and_tail_and_counts_the_cut(self) -> None:
        data = b"HEAD" + b"m" * 100_000 + b"TAIL"
        text = truncate_bytes(data, LIMIT)
        assert len(text.encode()) <= LIMIT
        head, cut, tail = split(text)
        assert head.startswith("HEAD")
        assert tail.endswith("TAIL")
        assert len(head) + cut + len(tail) == len(data)
        assert len(text.encode()) > LIMIT - 10  # the budget is used, not wasted

    def test_multibyte_characters_are_never_split(self) -> None:
        for char in ("é", "€", "🙂"):
            original = (char * 10_000).encode()
            for limit in (LIMIT, LIMIT + 1, LIMIT + 2, LIMIT + 3):
                text = truncate_bytes(original, limit)
                assert "\ufffd" not in text
                head, cut, tail = split(text)
                assert set(head + tail) == {char}
                assert len(head.encode()) + cut + len(tail.encode()) == len(original)
                assert len(text.encode()) <= limit

    def test_invalid_bytes_are_replaced(self) -> None:
        assert truncate_bytes(b"ok \xff\xfe \xc3", LIMIT) == "ok \ufffd\ufffd \ufffd"

    def test_many_invalid_bytes_still_fit_the_limit(self) -> None:
        # Each invalid byte becomes a 3-byte replacement character.
        text = truncate_bytes(b"\xff" * (LIMIT - 10), LIMIT)
        assert len(text.encode()) <= LIMIT
        assert "bytes truncated" in text
        assert set(MARKER.sub("", text)) == {"\ufffd"}


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=5000), limit=st.integers(min_value=LIMIT, max_value=3000))
def test_any_bytes_fit_the_limit_as_valid_text(data: bytes, limit: int) -> None:
    text = truncate_bytes(data, limit)
    assert len(text.encode("utf-8")) <= limit
    if len(data) <= limit and len(data.decode("utf-8", "replace").encode()) <= limit:
        assert text == data.decode("utf-8", "replace")


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=2000, max_size=4000))
def test_valid_text_keeps_an_exact_prefix_and_suffix(text: str) -> None:
    result = truncate_bytes(text.encode(), LIMIT)
    head, cut, tail = split(result)
    assert text.startswith(head)
    assert text.endswith(tail)
    assert len(head.encode()) + cut + len(tail.encode()) == len(text.encode())


class TestReadTruncated:
    def test_file_gives_the_same_text_as_bytes(self, tmp_path: Path) -> None:
        data = "début ✓\n".encode() * 200_000 + b"\xff end\n"
        path = tmp_path / "stdout.log"
        path.write_bytes(data)
        text = read_truncated(path, 64 * 1024)
        assert text == truncate_bytes(data, 64 * 1024)
        assert text.endswith("\ufffd end\n")

    def test_small_file_is_read_whole(self, tmp_path: Path) -> None:
        path = tmp_path / "stderr.log"
        path.write_bytes(b"warning: x\n")
        assert read_truncated(path, LIMIT) == "warning: x\n"

    def test_empty_file(self, tmp_path: Path) -> None:
        path = tmp_path / "stderr.log"
        path.write_bytes(b"")
        assert read_truncated(path, LIMIT) == ""
