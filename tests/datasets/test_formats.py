"""Export formats: exact records for known traces, and the documented examples stay true."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from tunix_rt.datasets.formats import (
    ExportFormat,
    TraceRecord,
    TrainingExampleRecord,
    TunixSftRecord,
    render,
    render_tunix_sft,
    to_jsonl,
)

TRACE_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "DATASET_FORMATS.md"


def payload(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "trace_version": "1.0",
        "prompt": "Add 2 and 3.",
        "final_answer": "5",
        # Uploaded out of order: the templates follow i, the trace format keeps the upload.
        "steps": [
            {"i": 1, "type": "compute", "content": "2 + 3 = 5"},
            {"i": 0, "type": "plan", "content": "Add the numbers."},
        ],
        "meta": {"source": "unit"},
    }
    body.update(overrides)
    return body


class TestRenderTrace:
    def test_exact_line(self) -> None:
        line = to_jsonl(render(ExportFormat.trace, TRACE_ID, payload()))

        assert line == (
            '{"id":"00000000-0000-4000-8000-000000000001","trace_version":"1.0",'
            '"prompt":"Add 2 and 3.","final_answer":"5","steps":['
            '{"i":1,"type":"compute","content":"2 + 3 = 5"},'
            '{"i":0,"type":"plan","content":"Add the numbers."}],"meta":{"source":"unit"}}\n'
        )

    def test_field_order_does_not_depend_on_stored_key_order(self) -> None:
        stored = dict(reversed(list(payload().items())))

        assert list(render("trace", TRACE_ID, stored)) == [
            "id",
            "trace_version",
            "prompt",
            "final_answer",
            "steps",
            "meta",
        ]

    def test_a_trace_without_meta_gets_none_added(self) -> None:
        body = payload()
        del body["meta"]

        assert "meta" not in render("trace", TRACE_ID, body)

    def test_unknown_payload_keys_are_kept(self) -> None:
        record = render("trace", TRACE_ID, payload(source_model="m1"))

        assert record["source_model"] == "m1"


class TestRenderTunixSft:
    def test_exact_record(self) -> None:
        record = render_tunix_sft(TRACE_ID, payload())

        prompt = "<start_of_turn>user\nAdd 2 and 3.<end_of_turn>\n<start_of_turn>model\n"
        completion = "Add the numbers.\n2 + 3 = 5\n5<end_of_turn>"
        assert record == {
            "id": "00000000-0000-4000-8000-000000000001",
            "prompt": prompt,
            "completion": completion,
            "text": prompt + completion,
            "meta": {"source": "unit"},
        }

    def test_exact_line(self) -> None:
        line = to_jsonl(render(ExportFormat.tunix_sft, str(TRACE_ID), payload()))

        assert line == (
            '{"id":"00000000-0000-4000-8000-000000000001",'
            r'"prompt":"<start_of_turn>user\nAdd 2 and 3.<end_of_turn>\n<start_of_turn>model\n",'
            r'"completion":"Add the numbers.\n2 + 3 = 5\n5<end_of_turn>",'
            r'"text":"<start_of_turn>user\nAdd 2 and 3.<end_of_turn>\n<start_of_turn>model\n'
            r'Add the numbers.\n2 + 3 = 5\n5<end_of_turn>",'
            '"meta":{"source":"unit"}}\n'
        )

    def test_missing_meta_is_an_empty_object(self) -> None:
        assert render_tunix_sft(TRACE_ID, payload(meta=None))["meta"] == {}

    def test_no_steps_leaves_only_the_answer(self) -> None:
        record = render_tunix_sft(TRACE_ID, payload(steps=[]))

        assert record["completion"] == "5<end_of_turn>"


class TestRenderTrainingExample:
    def test_exact_line(self) -> None:
        line = to_jsonl(render("training_example", TRACE_ID, payload()))

        assert line == (
            '{"id":"00000000-0000-4000-8000-000000000001","prompt":"Add 2 and 3.",'
            r'"response":"Add the numbers.\n2 + 3 = 5\n5","metadata":{"source":"unit"}}'
            "\n"
        )


class TestRender:
    def test_unknown_format_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="csv"):
            render("csv", TRACE_ID, payload())

    @pytest.mark.parametrize(
        ("fmt", "schema"),
        [
            (ExportFormat.trace, TraceRecord),
            (ExportFormat.tunix_sft, TunixSftRecord),
            (ExportFormat.training_example, TrainingExampleRecord),
        ],
    )
    def test_records_validate_against_their_schema(self, fmt: ExportFormat, schema: Any) -> None:
        record = render(fmt, TRACE_ID, payload())

        assert schema.model_validate(record).model_dump(mode="json", exclude_unset=True) == record


class TestToJsonl:
    def test_one_line_with_text_kept_as_is(self) -> None:
        line = to_jsonl({"text": "naïve\nline ✓", "n": 1})

        assert line == '{"text":"naïve\\nline ✓","n":1}\n'
        assert json.loads(line) == {"text": "naïve\nline ✓", "n": 1}


class TestDocumentedExamples:
    def test_each_example_line_is_what_the_code_renders(self) -> None:
        text = DOCS.read_text(encoding="utf-8")
        blocks = dict(re.findall(r"<!-- example: (\w+) -->\n```jsonl?\n(.*?)\n```", text, re.S))
        source = json.loads(blocks.pop("source"))

        assert set(blocks) == {f.value for f in ExportFormat}
        for fmt, line in blocks.items():
            assert line + "\n" == to_jsonl(render(fmt, source["id"], source["payload"])), fmt
