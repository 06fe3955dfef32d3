"""The default build (spec, templates and config of the repo), end to end (slow: records MCP
traces, renders, checks, writes).

Proves what the README promises: byte-identical output for any worker count and after an
interrupted run resumes, a folder ``datasets`` loads with the counts the manifest states, no
duplicate across splits, and MCP traces that pass our checks and the official schemas.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from _mcp_schema import schema_errors
from typer.testing import CliRunner

from hestai_datagen.cli import app
from hestai_datagen.cli.options import resolve_config
from hestai_datagen.dataset import cross_split_duplicates, iter_shard_rows, load_manifest
from hestai_datagen.examples.model import Example
from hestai_datagen.examples.recordings import record_for
from hestai_datagen.mcp_traces import check_trace
from hestai_datagen.pipeline import JOURNAL_FILE, prepare, run_build
from hestai_datagen.scenarios import load_scenarios
from hestai_datagen.spec import BuildConfig

pytestmark = pytest.mark.slow

CACHE = Path(__file__).resolve().parents[1] / "data" / "cache" / "recordings"


def _config(**updates: object) -> BuildConfig:
    config = resolve_config(None)
    return config.model_validate({**config.model_dump(), **updates})


def _build(out: Path, *, workers: int = 1, **updates: object) -> Path:
    run_build(prepare(_config(**updates), None), out, cache_dir=CACHE, workers=workers)
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _rows(folder: Path) -> Iterator[tuple[str, Example]]:
    for shard in load_manifest(folder).shards:
        for row in iter_shard_rows(folder / shard.path):
            yield shard.split, Example.model_validate(row)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("one") / "build")


def test_output_is_byte_identical_for_any_worker_count(built: Path, tmp_path: Path) -> None:
    two = _build(tmp_path / "two", workers=2)
    assert _files(two) == _files(built)
    assert not (built / JOURNAL_FILE).exists()


def test_another_seed_gives_other_rows(built: Path, tmp_path: Path) -> None:
    other = _build(tmp_path / "other", seed=7)
    ours = {e.meta.instance for _, e in _rows(built)}
    theirs = {e.meta.instance for _, e in _rows(other)}
    assert ours != theirs


def test_an_interrupted_build_resumes_to_the_same_bytes(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "resumed"
    inputs = prepare(_config(), None)

    def interrupt(accepted: int, wanted: int, tried: int) -> None:
        if accepted < wanted:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_build(inputs, out, cache_dir=CACHE, progress=interrupt)
    assert (out / JOURNAL_FILE).exists()
    assert not (out / "data").exists() and not list(out.glob(".partial-*"))
    # a cut-short last line, as a kill during a write leaves it
    with (out / JOURNAL_FILE).open("ab") as journal:
        journal.write(b'{"template":"p1.')
    result = run_build(inputs, out, cache_dir=CACHE)
    assert result.resumed >= 256
    assert _files(out) == _files(built)


def test_datasets_loads_the_folder_with_the_manifest_counts(built: Path) -> None:
    from datasets import load_dataset

    manifest = load_manifest(built)
    loaded = load_dataset(str(built))
    assert {name: len(split) for name, split in loaded.items()} == manifest.counts["splits"]
    first = loaded["train"][0]
    Example.model_validate(first)
    # nothing was rejected, so the card declares no (empty, unloadable) rejects config
    assert manifest.counts["rejects"]["rejects.jsonl"] == 0
    assert "config_name: rejects" not in (built / "README.md").read_text()


def test_a_parquet_build_loads_with_the_same_rows(built: Path, tmp_path: Path) -> None:
    from datasets import load_dataset

    output = {**_config().output.model_dump(), "format": "parquet"}
    parquet = _build(tmp_path / "parquet", output=output)
    assert sorted(p.name for p in (parquet / "data").iterdir())[0].endswith(".parquet")
    loaded = load_dataset(str(parquet))
    assert {name: len(split) for name, split in loaded.items()} == (
        load_manifest(parquet).counts["splits"]
    )
    as_jsonl = {e.id: e for _, e in _rows(built)}
    for split, rows in loaded.items():
        for row in rows.select(range(0, len(rows), 50)):
            assert Example.model_validate(row) == as_jsonl[row["id"]], (split, row["id"])


def test_no_duplicate_crosses_splits(built: Path) -> None:
    assert cross_split_duplicates(built) == []


def test_every_row_covers_the_plan_and_traces_are_true_to_the_spec(built: Path) -> None:
    covered: set[str] = set()
    traced = 0
    for _, example in _rows(built):
        covered.update(example.spec_refs)
        if not example.trace:
            continue
        traced += 1
        assert check_trace(example.trace) == [], example.id
        version = example.trace[0].protocol_version
        checked, errors = schema_errors(example.trace, version)
        assert checked > 0 and errors == [], (example.id, errors)
    targets = {row.element.path for row in prepare(_config(), None).plan.coverage}
    assert covered >= targets
    assert traced > 0


def test_a_default_build_rejects_nothing_and_every_check_ran_on_every_row(built: Path) -> None:
    """A reject from the project's own templates is a template bug (a failed check, or too
    little variety: a duplicate); ``hestai-datagen templates variety`` finds the latter."""
    gate = orjson.loads((built / "stats.json").read_bytes())["gate"]
    assert gate["accepted"] == gate["tried"] == _config().examples
    assert gate["rejected"] == 0
    assert (built / "rejects.jsonl").read_bytes() == b""
    per_row = {
        cid: s for cid, s in gate["checks"].items() if not cid.startswith(("dup.", "split."))
    }
    assert len(per_row) > 20
    assert all(s["ran"] == gate["tried"] for s in per_row.values()), per_row
    assert all(s["crashed"] == 0 for s in per_row.values()), per_row


def test_traces_cover_every_transport_and_scenario(built: Path) -> None:
    seen: dict[str, set[str]] = {}
    for _, example in _rows(built):
        for message in example.trace:
            seen.setdefault(message.transport, set()).add(message.protocol_version)
    assert {"memory", "stdio", "streamable-http", "sse"} <= set(seen), seen
    assert all(len(seen[t]) >= 2 for t in ("memory", "stdio", "streamable-http")), seen
    # which recording each trace is: every scenario the recorder has (errors included) is taught
    config = _config()
    templates = load_scenarios(config.templates, config.vocabularies).templates
    recordings = record_for(templates, CACHE)
    scenario_of = {tuple(m.raw for m in r.messages): k.scenario for k, r in recordings.items()}
    taught = {scenario_of[tuple(m.raw for m in e.trace)] for _, e in _rows(built) if e.trace}
    assert taught == {key.scenario for key in recordings}


def test_cli_build_then_validate(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    runner = CliRunner()
    result = runner.invoke(app, ["build", "-n", "120", "--out", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "Build summary" in result.output
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["counts"]["build"]["examples"] == 120
    checked = runner.invoke(app, ["validate", str(out)])
    assert checked.exit_code == 0, checked.output
