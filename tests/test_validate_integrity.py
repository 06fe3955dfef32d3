"""``validate`` proves a dataset folder is what was built: manifest, and every row re-rendered.

One small real build per module (two chat templates with no MCP trace, a two-target spec, 40
rows) in a folder of its own inputs; each test alters a copy of it the way a hand edit would.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from hestai_datagen.checks import GateConfig
from hestai_datagen.checks.integrity import ValidateOptions, validate_path
from hestai_datagen.cli import app
from hestai_datagen.dataset import load_manifest
from hestai_datagen.examples.model import Example
from hestai_datagen.pipeline import prepare, run_build
from hestai_datagen.pipeline.provenance import MISMATCH_ID, UNVERIFIABLE_ID, first_difference
from hestai_datagen.spec import BuildConfig
from hestai_datagen.spec.config import load_config

RUNNER = CliRunner(env={"COLUMNS": "250"})
ROWS = 40

SPEC = """\
===VALIDATE_TEST_SPEC===
META:
  DOCUMENT_TYPE::TRAINING_SPECIFICATION

SECTION_III:ARCHITECTURE_SPECIFIC_CODE:
  PRIORITY::P3
  DOMAIN::HEPHAESTUS
  SORTING:
    FOCUS::"ordering values by a key"
  COUNTING:
    FOCUS::"counting values in a batch"
===END===
"""

VOCAB = {
    "words.yaml": "fruits: ["
    + ", ".join(
        f"{a}{b}"
        for a in ("apple", "pear", "plum", "fig", "kiwi", "lime", "date", "guava")
        for b in ("", "-red", "-green", "-gold", "-wild", "-sweet")
    )
    + "]\n",
    "keys.yaml": "keys: [length, name, weight, ripeness, price, origin]\n",
}

SORTING = """\
id: p3.validate.sorting
priority: P3
covers: [SECTION_III:ARCHITECTURE_SPECIFIC_CODE.SORTING]
description: sort a batch of values by a key
slots:
  items: {vocab: words.fruits, count: 6}
  key: keys.keys
  batch: {int: [1, 1000000]}
messages:
  - role: system
    content: You are a careful assistant who explains how values are ordered.
  - role: user
    content: "Batch {{ batch }}: sort {{ items | join(', ') }} by {{ key }}, please."
  - role: assistant
    content: |
      Sorted by {{ key }}, batch {{ batch }} reads {{ items | sort | join(' then ') }}.
      The first is {{ (items | sort)[0] }} and the last is {{ (items | sort)[-1] }}.
"""

COUNTING = """\
id: p3.validate.counting
priority: P3
covers: [SECTION_III:ARCHITECTURE_SPECIFIC_CODE.COUNTING]
description: count the values of a batch
slots:
  items: {vocab: words.fruits, count: 5}
  batch: {int: [1, 1000000]}
messages:
  - role: user
    content: "How many values are in batch {{ batch }}: {{ items | join(' / ') }}?"
  - role: assistant
    content: |
      Batch {{ batch }} holds {{ items | length }} values: {{ items | join(', ') }}.
      Counting them one by one gives {{ items | length }}, and none of them repeats.
"""

BUILD_YAML = f"""\
examples: {ROWS}
seed: 11
spec: spec.oct.md
templates: templates
vocabularies: vocab
priority_shares: {{P3: 1.0}}
output: {{format: jsonl, max_shard_bytes: 6000}}
quality: {{disabled_checks: [dup.near]}}
"""


def write_inputs(root: Path) -> Path:
    """The spec, templates, vocabularies and build config of the test build; the config path."""
    (root / "templates").mkdir(parents=True)
    (root / "vocab").mkdir()
    (root / "spec.oct.md").write_text(SPEC)
    (root / "templates" / "sorting.yaml").write_text(SORTING)
    (root / "templates" / "counting.yaml").write_text(COUNTING)
    for name, text in VOCAB.items():
        (root / "vocab" / name).write_text(text)
    (root / "build.yaml").write_text(BUILD_YAML)
    return root / "build.yaml"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="module")
def built(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "dataset"
    run_build(prepare(_config(inputs), inputs), out, cache_dir=None)
    return out


@pytest.fixture
def folder(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built folder, for one test to alter."""
    return Path(shutil.copytree(built, tmp_path / "dataset"))


def _config(config_path: Path) -> BuildConfig:
    return load_config(config_path, config_path.parent)


def _options(
    config_path: Path, *, provenance: bool = True, sample: int | None = None
) -> ValidateOptions:
    return ValidateOptions(
        gate=GateConfig.from_build_config(config_path),
        build=_config(config_path),
        cache_dir=None,
        provenance=provenance,
        sample=sample,
    )


def _cli(path: Path, config_path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = RUNNER.invoke(
        app, ["validate", str(path), "--config", str(config_path), "--json", *extra]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, orjson.loads(result.stdout)


def _found(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["check_id"], f["location"]) for f in report["failures"]}


def _shards(folder: Path) -> list[str]:
    return [s.path for s in load_manifest(folder).shards]


def _rehash_manifest(folder: Path, rel: str) -> None:
    """Make the manifest agree with an edited shard again (what a careful forger does)."""
    manifest = orjson.loads((folder / "manifest.json").read_bytes())
    data = (folder / rel).read_bytes()
    for entry in manifest["shards"]:
        if entry["path"] == rel:
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            entry["bytes"] = len(data)
    (folder / "manifest.json").write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))


def _edit_row(shard: Path, line: int, edit: dict[str, object] | None = None) -> Example:
    """Change the last assistant message of row ``line`` (0-based) of a JSONL shard, or apply
    ``edit`` (top-level keys, or ``meta`` keys under ``meta``); the edited row."""
    lines = shard.read_bytes().splitlines(keepends=True)
    row = orjson.loads(lines[line])
    if edit is None:
        last = max(i for i, m in enumerate(row["messages"]) if m["role"] == "assistant")
        row["messages"][last]["content"] = (
            row["messages"][last]["content"]
            .replace("Sorted", "Ordered", 1)
            .replace("holds", "has", 1)
        )
    else:
        meta = edit.pop("meta", None)
        row.update(edit)
        if isinstance(meta, dict):
            row["meta"].update(meta)
    lines[line] = orjson.dumps(row) + b"\n"
    shard.write_bytes(b"".join(lines))
    return Example.model_validate(row)


def test_the_build_is_small_and_made_of_both_templates(built: Path) -> None:
    manifest = load_manifest(built)
    assert sum(manifest.split_rows().values()) == ROWS
    assert len(manifest.shards) >= 3
    assert {"p3.validate.sorting", "p3.validate.counting"} <= set(manifest.templates)


def test_untouched_folder_validates_clean_via_cli(built: Path, inputs: Path) -> None:
    code, report = _cli(built, inputs)
    assert code == 0, report["failures"]
    assert report["ok"] is True and report["failures"] == []
    checks = report["stats"]["checks"]
    assert checks[MISMATCH_ID] == {"ran": ROWS, "rejected": 0, "warned": 0, "crashed": 0}
    assert checks["manifest.shard_hash"]["ran"] == len(_shards(built))
    ids = [c["id"] for c in report["checks"]]
    assert ids[0] == "manifest.missing" and ids[-1] == UNVERIFIABLE_ID
    assert "format.row_model" in ids
    text = RUNNER.invoke(app, ["validate", str(built), "--config", str(inputs)])
    assert text.exit_code == 0, text.output
    assert "manifest: intact" in text.stdout
    assert (
        f"provenance: {ROWS} rows checked, 0 mismatched, 0 could not be re-rendered" in text.stdout
    )
    assert f"{ROWS} rows: {ROWS} passed, 0 rejected; ok" in text.stdout


def test_untouched_folder_validates_clean_via_library(built: Path, inputs: Path) -> None:
    report = validate_path(built, _options(inputs))
    assert report.ok and report.failures == [] and report.rows == ROWS
    assert report.stats.checks[MISMATCH_ID].ran == ROWS


def test_edited_message_with_the_manifest_fixed_is_a_provenance_mismatch(
    folder: Path, inputs: Path
) -> None:
    rel = _shards(folder)[0]
    edited = _edit_row(folder / rel, 1)
    _rehash_manifest(folder, rel)
    code, report = _cli(folder, inputs)
    assert code == 1
    failures = report["failures"]
    assert [f["check_id"] for f in failures] == [MISMATCH_ID]
    [failure] = failures
    last = len(edited.messages) - 1
    assert failure["row_id"] == edited.id and failure["location"] == f"{rel}:2"
    assert failure["message_index"] == last
    assert edited.id in failure["reason"] and f"messages.{last}.content" in failure["reason"]
    lib = validate_path(folder, _options(inputs))
    assert [(f.check_id, f.row_id) for f in lib.failures] == [(MISMATCH_ID, edited.id)]


def test_edited_shard_without_fixing_the_manifest_is_a_shard_hash_finding(
    folder: Path, inputs: Path
) -> None:
    rel = _shards(folder)[0]
    edited = _edit_row(folder / rel, 0)
    code, report = _cli(folder, inputs)
    assert code == 1
    assert ("manifest.shard_hash", rel) in _found(report)
    assert (MISMATCH_ID, f"{rel}:1") in _found(report)
    lib = validate_path(folder, _options(inputs, provenance=False))
    assert [(f.check_id, f.location) for f in lib.failures] == [("manifest.shard_hash", rel)]
    assert edited.id


def test_deleted_shard_is_missing(folder: Path, inputs: Path) -> None:
    rel = _shards(folder)[-1]
    (folder / rel).unlink()
    code, report = _cli(folder, inputs)
    assert code == 1
    assert _found(report) == {("manifest.missing_shard", rel)}
    lib = validate_path(folder, _options(inputs))
    assert [(f.check_id, f.location) for f in lib.failures] == [("manifest.missing_shard", rel)]
    assert lib.stats.checks["manifest.missing_shard"].rejected == 1


def test_stray_shard_is_extra(folder: Path, inputs: Path) -> None:
    stray = "data/train-00099-of-00099.jsonl"
    shutil.copy(folder / _shards(folder)[0], folder / stray)
    code, report = _cli(folder, inputs)
    assert code == 1
    assert ("manifest.extra_shard", stray) in _found(report)
    lib = validate_path(folder, _options(inputs, provenance=False))
    assert ("manifest.extra_shard", stray) in {(f.check_id, f.location) for f in lib.failures}


def test_altered_rejects_file_and_row_count(folder: Path, inputs: Path) -> None:
    with (folder / "rejects.jsonl").open("ab") as rejects:
        rejects.write(b'{"id": "planted"}\n')
    rel = _shards(folder)[0]
    lines = (folder / rel).read_bytes().splitlines(keepends=True)
    (folder / rel).write_bytes(b"".join(lines[1:]))
    _rehash_manifest(folder, rel)
    report = validate_path(folder, _options(inputs, provenance=False))
    found = {(f.check_id, f.location) for f in report.failures}
    assert found == {("manifest.file_hash", "rejects.jsonl"), ("manifest.row_count", rel)}


def test_folder_without_manifest(folder: Path, inputs: Path) -> None:
    (folder / "manifest.json").unlink()
    code, report = _cli(folder, inputs)
    assert code == 1
    assert _found(report) == {("manifest.missing", "manifest.json")}
    code, report = _cli(folder, inputs, "--no-manifest")
    assert code == 0 and report["failures"] == []
    assert not any(c["id"].startswith("manifest.") for c in report["checks"])


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        ({"meta": {"seed": 12}}, "is not the build's seed 11"),
        ({"meta": {"template_hash": "0" * 64}}, "meta.template_hash is not the build's sha256"),
        ({"domain": "HERMES"}, "domain differs from the re-rendered row"),
        ({"spec_refs": ["SECTION_III:ARCHITECTURE_SPECIFIC_CODE.SORTING", "X"]}, "spec_refs"),
    ],
)
def test_forged_provenance_is_a_mismatch(
    folder: Path, inputs: Path, edit: dict[str, object], said: str
) -> None:
    rel = _shards(folder)[0]
    edited = _edit_row(folder / rel, 0, edit)
    _rehash_manifest(folder, rel)
    report = validate_path(folder, _options(inputs))
    [failure] = report.failures
    assert failure.check_id == MISMATCH_ID and failure.row_id == edited.id
    assert said in failure.reason


def test_a_loose_jsonl_shard_is_checked_by_re_rendering(folder: Path, inputs: Path) -> None:
    shard = folder / _shards(folder)[0]
    assert validate_path(shard, _options(inputs)).ok
    edited = _edit_row(shard, 0)
    code, report = _cli(shard, inputs)
    assert code == 1
    assert _found(report) == {(MISMATCH_ID, f"{shard}:1")}
    edited_seed = _edit_row(shard, 1, {"meta": {"seed": 12}})
    failures = validate_path(shard, _options(inputs)).failures
    assert [f.row_id for f in failures] == [edited.id, edited_seed.id]
    assert "id differs" in failures[1].reason


def test_sample_re_renders_a_fixed_subset(folder: Path, inputs: Path) -> None:
    code, report = _cli(folder, inputs, "--sample", "5")
    assert code == 0
    assert report["stats"]["checks"][MISMATCH_ID]["ran"] == 5
    # editing every row: the sample finds exactly five of them, the same five every time
    for rel in _shards(folder):
        shard = folder / rel
        for line in range(len(shard.read_bytes().splitlines())):
            _edit_row(shard, line)
        _rehash_manifest(folder, rel)
    first = validate_path(folder, _options(inputs, sample=5))
    again = validate_path(folder, _options(inputs, sample=5))
    assert len(first.failures) == 5
    assert [f.row_id for f in first.failures] == [f.row_id for f in again.failures]


def test_rows_whose_inputs_changed_are_one_warning(
    built: Path, inputs: Path, tmp_path: Path
) -> None:
    changed = write_inputs(tmp_path / "changed")
    template = changed.parent / "templates" / "counting.yaml"
    template.write_text(template.read_text().replace("one by one", "one at a time"))
    report = validate_path(built, _options(changed))
    assert report.ok
    [warning] = report.failures
    counting = load_manifest(built).counts["scenarios"]["p3.validate.counting"]
    assert warning.check_id == UNVERIFIABLE_ID and warning.severity == "warning"
    assert warning.reason.startswith(f"{counting} of {ROWS} rows could not be re-rendered here")
    assert "template changed since the build" in warning.reason
    assert report.stats.checks[MISMATCH_ID].ran == ROWS - counting
    # a vocabulary file both templates draw from: every row; a template gone: its rows
    vocab = changed.parent / "vocab" / "words.yaml"
    vocab.write_text(vocab.read_text().replace("apple", "apricot"))
    (changed.parent / "templates" / "counting.yaml").unlink()
    [warning] = validate_path(built, _options(changed)).failures
    assert f"{ROWS} of {ROWS} rows" in warning.reason
    assert "vocabulary words.yaml changed since the build" in warning.reason
    assert "template not in the local templates" in warning.reason
    code, cli_report = _cli(built, changed)
    assert code == 0 and _found(cli_report) == {(UNVERIFIABLE_ID, str(built))}


def test_parquet_rows_are_re_rendered_too(inputs: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    config = tmp_path / "build.yaml"
    config.write_text(
        inputs.read_text()
        .replace("format: jsonl", "format: parquet")
        .replace("spec: spec.oct.md", f"spec: {inputs.parent / 'spec.oct.md'}")
        .replace("templates: templates", f"templates: {inputs.parent / 'templates'}")
        .replace("vocabularies: vocab", f"vocabularies: {inputs.parent / 'vocab'}")
    )
    out = tmp_path / "dataset"
    run_build(prepare(_config(config), config), out, cache_dir=None)
    assert validate_path(out, _options(config)).ok
    shard = out / _shards(out)[0]
    table = pq.read_table(shard)
    rows = table.to_pylist()
    rows[0]["messages"][-1]["content"] += " Trust me."
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), shard)
    found = {(f.check_id, f.location) for f in validate_path(out, _options(config)).failures}
    assert found == {
        ("manifest.shard_hash", _shards(out)[0]),
        (MISMATCH_ID, f"{_shards(out)[0]}:1"),
    }


def test_no_provenance_skips_re_rendering(folder: Path, inputs: Path) -> None:
    _edit_row(folder / _shards(folder)[0], 0)
    _rehash_manifest(folder, _shards(folder)[0])
    code, report = _cli(folder, inputs, "--no-provenance")
    assert code == 0 and report["failures"] == []
    assert MISMATCH_ID not in report["stats"]["checks"]


def test_first_difference_names_the_first_differing_field() -> None:
    stored: dict[str, Any] = {
        "id": "a",
        "messages": [{"content": "x"}, {"content": "y"}],
        "meta": {"seed": 1},
    }
    assert first_difference(stored, stored) is None
    other = {"id": "a", "messages": [{"content": "x"}, {"content": "z"}], "meta": {"seed": 2}}
    assert first_difference(stored, other) == ("messages.1.content", "y", "z")
    shorter = {**stored, "messages": stored["messages"][:1]}
    assert first_difference(stored, shorter) == ("messages", "2 items", "1 items")
    assert first_difference({"n": 1}, {"n": True}) == ("n", 1, True)
