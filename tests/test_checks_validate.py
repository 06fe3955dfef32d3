"""validate_rows / iter_rows_from_path: existing rows, hand-edited faults, JSONL and parquet."""

from __future__ import annotations

from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_checks_rows import (
    good_rows,
    make_gate,
    no_octave_problems,
    no_trace_problems,
    replace_message,
    tool_call_row,
)

from hestai_datagen.checks import QualityGate, iter_rows_from_path, validate_rows
from hestai_datagen.errors import DatasetError
from hestai_datagen.examples import Example, Message

FAKE_KEY = "hf_" + "QwErTyUiOpAsDfGhJkLzXcVbNm12345678"


def planted_rows() -> tuple[list[bytes], dict[int, str]]:
    """Good rows with faults planted by hand, and the check id each planted line must show."""
    good = good_rows()
    lines = [row.to_json_line().rstrip(b"\n") for row in good]
    faults: dict[int, str] = {}

    def plant(line: bytes, check_id: str) -> None:
        lines.append(line)
        faults[len(lines)] = check_id

    plant(b'{"id": "truncated", "priority": "P1", "messages": [', "format.row_model")
    as_dict = orjson.loads(lines[0])
    del as_dict["messages"][3]["tool_call_id"]
    as_dict["id"] = "edited-no-call-id"
    plant(orjson.dumps(as_dict), "format.row_model")
    edited = good[0].model_copy(update={"id": "edited-secret"})
    edited = replace_message(
        edited, 1, Message(role="user", content=f"My token is {FAKE_KEY}, greet Alice")
    )
    plant(edited.to_json_line().rstrip(), "constitution.secret")
    unanswered = good[0].model_copy(update={"id": "edited-unanswered"})
    unanswered = unanswered.model_copy(
        update={"messages": [*unanswered.messages[:3], unanswered.messages[4]]}
    )
    plant(unanswered.to_json_line().rstrip(), "format.tool_call_answered")
    broken_code = replace_message(
        good[0].model_copy(update={"id": "edited-code"}),
        4,
        Message(role="assistant", content="```python\nasync def main(:\n    pass\n```"),
    )
    plant(broken_code.to_json_line().rstrip(), "code.python_parses")
    copy = good[1].model_copy(update={"id": "edited-copy"})
    plant(copy.to_json_line().rstrip(), "dup.exact")
    return lines, faults


def gate() -> QualityGate:
    return make_gate()


def test_validate_rows_lists_every_planted_fault(tmp_path: Path) -> None:
    lines, faults = planted_rows()
    path = tmp_path / "train.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    report = validate_rows(iter_rows_from_path(path), gate=gate())
    listed = {(f.location, f.check_id) for f in report.failures}
    expected = {(f"{path}:{line}", check_id) for line, check_id in faults.items()}
    assert expected <= listed
    assert {loc for loc, _ in listed} == {loc for loc, _ in expected}  # good rows are clean
    assert report.rows == len(lines) and not report.ok
    assert report.stats.rejected == len(faults) and report.stats.accepted == len(lines) - len(
        faults
    )
    row_model = report.stats.checks["format.row_model"]
    assert (row_model.ran, row_model.rejected) == (len(lines), 2)
    pydantic_reason = next(
        f.reason for f in report.failures if f.location.endswith(f":{len(good_rows()) + 2}")
    )
    assert "messages.3" in pydantic_reason and "tool_call_id" in pydantic_reason


def test_clean_rows_validate_ok(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join(row.to_json_line() for row in good_rows()) + b"\n")
    report = validate_rows(iter_rows_from_path(path), gate=gate())
    assert report.ok and report.failures == [] and report.rows == 5


def write_parquet(path: Path, rows: list[Example]) -> None:
    table = pa.Table.from_pylist([row.model_dump(mode="json") for row in rows])
    pq.write_table(table, path)


def test_dataset_folder_with_parquet_and_jsonl_shards(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    rows = good_rows()
    write_parquet(data / "train-00000-of-00001.parquet", rows[:3])
    bad = tool_call_row(index=9).model_copy(update={"id": "p1-mcp-0009", "tools": "[]"})
    (data / "test-00000-of-00001.jsonl").write_bytes(rows[3].to_json_line() + bad.to_json_line())
    (tmp_path / "README.md").write_text("card")
    located = list(iter_rows_from_path(tmp_path))
    assert [loc for loc, _ in located] == [
        "data/test-00000-of-00001.jsonl:1",
        "data/test-00000-of-00001.jsonl:2",
        "data/train-00000-of-00001.parquet:1",
        "data/train-00000-of-00001.parquet:2",
        "data/train-00000-of-00001.parquet:3",
    ]
    assert Example.model_validate_json(located[2][1]) == rows[0]  # parquet → same row as JSONL
    report = validate_rows(located, gate=gate())
    assert [(f.location, f.check_id) for f in report.failures] == [
        ("data/test-00000-of-00001.jsonl:2", "format.tool_name_offered")
    ]


def test_missing_path_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        iter_rows_from_path(tmp_path / "nowhere")


def test_folder_without_shards_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no data/"):
        iter_rows_from_path(tmp_path)


def test_unreadable_parquet_is_a_dataset_error(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    path.write_bytes(b"not parquet at all")
    with pytest.raises(DatasetError, match="cannot read parquet"):
        list(iter_rows_from_path(path))


def test_duplicates_are_found_across_shards(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    row = good_rows()[2]
    (data / "train-00000-of-00001.jsonl").write_bytes(row.to_json_line())
    (data / "validation-00000-of-00001.jsonl").write_bytes(
        row.model_copy(update={"id": "copy"}).to_json_line()
    )
    report = validate_rows(
        iter_rows_from_path(tmp_path),
        gate=QualityGate(trace_checker=no_trace_problems, octave_checker=no_octave_problems),
    )
    assert [(f.location, f.check_id) for f in report.failures] == [
        ("data/validation-00000-of-00001.jsonl:1", "dup.exact")
    ]
    assert report.stats.duplicates_per_scenario["redis_streams"].exact == 1


def test_parquet_written_with_the_dataset_schema_reads_back_as_the_same_rows(
    tmp_path: Path,
) -> None:
    features = pytest.importorskip("hestai_datagen.dataset.features")
    rows = good_rows()
    (tmp_path / "data").mkdir()
    table = pa.Table.from_pylist(
        [row.model_dump(mode="json") for row in rows], schema=features.example_schema()
    )
    pq.write_table(table, tmp_path / "data" / "train-00000-of-00001.parquet")
    read = [Example.model_validate_json(raw) for _, raw in iter_rows_from_path(tmp_path)]
    assert read == rows
