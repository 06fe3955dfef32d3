"""``templates variety``: how many distinct rows a template makes before it repeats itself."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from hestai_datagen.checks.config import GateConfig
from hestai_datagen.cli import app
from hestai_datagen.defaults import config_dir
from hestai_datagen.pipeline.variety import measure_variety
from hestai_datagen.pipeline.work import Renderer
from hestai_datagen.spec.config import load_config

THREE_WAYS = """\
id: p3.test.three_ways
priority: P3
covers: [SECTION_III:ARCHITECTURE_SPECIFIC_CODE.ASYNC_PYTHON_PATTERNS]
description: a template that can only say three things
slots:
  topic: {choice: [asyncio.gather with return_exceptions, asyncio.timeout around a call,
                   a TaskGroup that cancels the siblings of a failed task]}
messages:
  - role: user
    content: "Explain {{ topic }} in one paragraph for a HESTAI service author."
  - role: assistant
    content: "Here is {{ topic }}: it is how an Odyssean Anchor handler keeps its event loop free."
"""


def _config(tmp_path: Path, examples: int) -> Path:
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "three.yaml").write_text(THREE_WAYS)
    repo = config_dir()
    config = tmp_path / "build.yaml"
    config.write_text(
        f"examples: {examples}\n"
        f"spec: {repo / 'hestai-training-priorities.oct.md'}\n"
        f"templates: {templates}\nvocabularies: {repo.parent / 'data' / 'vocab'}\n"
    )
    return config


def test_measure_counts_distinct_rows_and_the_first_repeat(tmp_path: Path) -> None:
    renderer = Renderer(load_config(_config(tmp_path, 3), config_dir()), None)
    found = measure_variety(renderer, "p3.test.three_ways", 7, GateConfig())
    assert (found.tried, found.distinct, found.first_repeat) == (7, 3, 3)
    assert found.draws_for(3) == 3
    assert found.draws_for(4) is None


def test_cli_passes_when_the_plan_fits_and_fails_when_it_does_not(tmp_path: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200"})
    ok = runner.invoke(app, ["templates", "variety", "-c", str(_config(tmp_path, 3))])
    assert ok.exit_code == 0, ok.output
    assert "p3.test.three_ways" in ok.output
    short = runner.invoke(app, ["templates", "variety", "-c", str(_config(tmp_path, 5))])
    assert short.exit_code == 1
    assert "first: p3.test.three_ways" in short.output


def test_fair_max_examples_stops_where_duplicates_pass_the_waste() -> None:
    from hestai_datagen.pipeline.variety import Variety

    found = Variety("t", (0, 1, 2, 3, 3, 4, 4, 4, 4), first_repeat=3, render_errors=0)
    assert found.most_rows(0.0) == 3
    assert found.most_rows(0.2) == 4  # 4 rows from 5 draws
    assert found.most_rows(0.5) == 4
