"""The dataset folder: shards, card, charts, manifest; loads with ``datasets``; byte-identical;
atomic; altered folders are caught; the CLI's ``validate`` side (``verify_manifest``)."""

from __future__ import annotations

import filecmp
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import datasets
import orjson
import pyarrow.parquet as pq
import pytest
import yaml
from _rows import REPO, build_dataset, build_info, make_rows
from PIL import Image

from hestai_datagen.dataset import (
    DatasetWriter,
    HeldOutConfig,
    SplitConfig,
    example_features,
    load_manifest,
    verify_manifest,
)
from hestai_datagen.dataset.charts import CHART_FILES
from hestai_datagen.errors import DatasetError
from hestai_datagen.examples.model import Example


@pytest.fixture(scope="module", params=["jsonl", "parquet"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"build-{request.param}") / "build"
    build_dataset(out, fmt=request.param)
    return out


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_load_dataset_gives_the_splits_features_and_counts(built: Path) -> None:
    manifest = load_manifest(built)
    loaded = datasets.load_dataset(str(built), cache_dir=str(built.parent / "hf-cache"))
    assert set(loaded) == {"train", "validation", "test"}
    for split, dataset in loaded.items():
        assert dataset.features == example_features()
        assert dataset.num_rows == manifest.counts["splits"][split]
    row = loaded["train"][0]
    example = Example.model_validate(row)
    assert (
        example.to_json_line() == Example.model_validate_json(example.to_json_line()).to_json_line()
    )


def test_rejects_config_loads_separately(built: Path) -> None:
    rejects = datasets.load_dataset(str(built), "rejects", cache_dir=str(built.parent / "hf-rj"))
    assert list(rejects) == ["rejected"]
    row = rejects["rejected"][0]
    assert row["check_id"] == "tool-args-schema"
    assert Example.model_validate_json(row["row"]).id == row["id"]


def test_rows_round_trip_byte_for_byte(built: Path) -> None:
    manifest = load_manifest(built)
    by_id = {r.id: r.to_json_line() for r in make_rows()}
    seen = 0
    for shard in manifest.shards:
        path = built / shard.path
        if path.suffix == ".jsonl":
            lines = path.read_bytes().splitlines(keepends=True)
            for line in lines:
                assert by_id[orjson.loads(line)["id"]] == line
            seen += len(lines)
        else:
            for row in pq.read_table(path).to_pylist():
                assert Example.model_validate(row).to_json_line() == by_id[row["id"]]
                seen += 1
    assert seen == len(by_id)


def test_shards_respect_the_size_limit_and_names(built: Path) -> None:
    manifest = load_manifest(built)
    names = [Path(s.path).name for s in manifest.shards]
    ext = manifest.data_format
    for split in {s.split for s in manifest.shards}:
        mine = sorted(n for n in names if n.startswith(f"{split}-"))
        total = len(mine)
        assert mine == [f"{split}-{i:05d}-of-{total:05d}.{ext}" for i in range(total)]
    assert sum(1 for s in manifest.shards if s.split == "train") > 1
    if ext == "jsonl":
        assert all(s.bytes <= 16_000 for s in manifest.shards)


def test_manifest_names_every_input_and_file(built: Path) -> None:
    manifest = load_manifest(built)
    assert manifest.seed == 7
    assert manifest.generator_version == "0.1.0"
    assert manifest.spec.path.endswith(".oct.md") and len(manifest.spec.sha256) == 64
    assert manifest.config is not None
    assert len(manifest.templates) == 6
    files = {f.path for f in manifest.files}
    assert {"README.md", "rejects.jsonl", "stats.json", *CHART_FILES} <= files
    assert sum(manifest.split_rows().values()) == len(make_rows())
    assert verify_manifest(built) == []


def test_card_metadata_and_true_figures(built: Path) -> None:
    text = (built / "README.md").read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    manifest = load_manifest(built)
    ext = manifest.data_format
    default = next(c for c in front["configs"] if c["config_name"] == "default")
    assert default["data_files"] == [
        {"split": s, "path": f"data/{s}-*.{ext}"} for s in ("train", "validation", "test")
    ]
    assert any(c["config_name"] == "rejects" for c in front["configs"])
    info = next(i for i in front["dataset_info"] if i["config_name"] == "default")
    assert datasets.Features._from_yaml_list(info["features"]) == example_features()
    assert {s["name"]: s["num_examples"] for s in info["splits"]} == manifest.counts["splits"]
    assert front["license"] and front["task_categories"] and front["size_categories"] == ["n<1K"]
    body = text.split("---\n", 2)[2]
    for split, count in manifest.counts["splits"].items():
        assert re.search(rf"\| {split} \| {count} \|", body)
    for scenario, count in manifest.counts["scenarios"].items():
        assert re.search(rf"\| {re.escape(scenario)} \| P\d|\| {re.escape(scenario)} \|", body)
        assert f"| {count} |" in body
    for chart in CHART_FILES:
        assert f"]({chart})" in body
    assert "tool-args-schema" in body and "hestai-datagen build --out data/build --seed 7" in body
    assert "6 of 6 spec references" in body
    example_json = body.split("```json\n", 1)[1].split("\n```", 1)[0]
    shown = Example.model_validate_json(example_json)
    assert shown.to_json_line() in {r.to_json_line() for r in make_rows()}


def test_charts_are_pngs_without_software_or_dates(built: Path) -> None:
    for chart in CHART_FILES:
        image = Image.open(built / chart)
        assert image.format == "PNG" and image.width > 100
        assert "Software" not in image.info
        assert b"tIME" not in (built / chart).read_bytes()


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_identical_input_gives_identical_bytes(tmp_path: Path, fmt: str) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    build_dataset(a, fmt=fmt)  # type: ignore[arg-type]
    build_dataset(b, fmt=fmt)  # type: ignore[arg-type]
    assert _tree(a) == _tree(b)
    assert not filecmp.dircmp(a, b).diff_files


def test_rebuild_into_the_same_folder_replaces_old_shards(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_dataset(out, max_shard_bytes=8_000)
    build_dataset(out, max_shard_bytes=1_000_000)
    assert verify_manifest(out) == []
    assert len(list((out / "data").iterdir())) == 3
    assert not list(out.glob(".partial-*"))


def test_heldout_split_is_written_named_and_loaded(tmp_path: Path) -> None:
    out = tmp_path / "build"
    config = SplitConfig(seed=7, heldout=HeldOutConfig(scenarios=["handoff-summary"]))
    manifest = build_dataset(out, splits=config)
    assert manifest.counts["splits"]["heldout"] == 12
    body = (out / "README.md").read_text()
    assert "scenario `handoff-summary`" in body
    loaded = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "cache"))
    assert set(loaded["heldout"]["scenario"]) == {"handoff-summary"}
    assert "handoff-summary" not in set(loaded["train"]["scenario"])


def test_verify_manifest_catches_altered_missing_and_extra(tmp_path: Path) -> None:
    out = tmp_path / "build"
    manifest = build_dataset(out)
    first = out / manifest.shards[0].path
    data = first.read_bytes()
    first.write_bytes(data.replace(b"Please check", b"Please chEck", 1))
    problems = verify_manifest(out)
    assert any("sha256" in p and manifest.shards[0].path in p for p in problems)
    first.write_bytes(data + data.splitlines(keepends=True)[0])
    assert any("rows" in p for p in verify_manifest(out))
    first.write_bytes(data)
    assert verify_manifest(out) == []
    (out / "data" / "train-99999-of-99999.jsonl").write_bytes(b"{}\n")
    assert any("extra file" in p for p in verify_manifest(out))
    (out / "data" / "train-99999-of-99999.jsonl").unlink()
    (out / "charts" / "priorities.png").unlink()
    assert any("charts/priorities.png: missing" in p for p in verify_manifest(out))
    (out / "manifest.json").write_text('{"seed": "x"}')
    assert any("malformed manifest" in p for p in verify_manifest(out))


def test_interrupted_build_leaves_nothing_complete_looking(tmp_path: Path) -> None:
    out = tmp_path / "build"
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(REPO / "tests")!r})
        from pathlib import Path
        from _rows import make_rows
        from hestai_datagen.dataset import DatasetWriter
        writer = DatasetWriter(Path({str(out)!r}), max_shard_bytes=4000)
        for row in make_rows():
            writer.add(row, "train")
        os._exit(0)  # dies before finish()
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert not (out / "data").exists()
    assert not (out / "manifest.json").exists()
    assert verify_manifest(out)
    staged = list(out.glob(".partial-*"))
    assert staged, "the staging folder holds the partial shards"
    # the next writer clears the stale staging area
    with DatasetWriter(out) as writer:
        writer.abort()
    assert not list(out.glob(".partial-*"))


def test_failure_inside_the_writer_cleans_up(tmp_path: Path) -> None:
    out = tmp_path / "build"
    rows = make_rows()
    with pytest.raises(DatasetError, match="duplicate example id"), DatasetWriter(out) as writer:
        writer.add(rows[0], "train")
        writer.add(rows[0], "test")
    assert not list(out.glob(".partial-*"))
    assert not (out / "data").exists()


def test_writer_refuses_bad_input(tmp_path: Path) -> None:
    with DatasetWriter(tmp_path / "b") as writer:
        with pytest.raises(DatasetError, match="unknown split"):
            writer.add(make_rows()[0], "dev")
        with pytest.raises(DatasetError, match="train split"):
            writer.finish(build_info())
    with pytest.raises(DatasetError):
        DatasetWriter(tmp_path / "c", max_shard_bytes=0)
