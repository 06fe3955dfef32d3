"""Every template of the repository, rendered at many indices, gives clean rows (slow: the MCP
templates need their recordings, made once into the project's cache).

A row must read back as the example model, carry no leftover template syntax, no empty field and
no ``None``/``undefined`` where a value should be: the signs of a slot or variable that did not
render the way its author meant.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hestai_datagen.cli.options import resolve_config
from hestai_datagen.examples.model import Example
from hestai_datagen.pipeline.work import Renderer
from hestai_datagen.scenarios import load_scenarios

pytestmark = pytest.mark.slow

INDICES = range(25)
CACHE = Path(__file__).resolve().parents[1] / "data" / "cache" / "recordings"
JINJA_LEFTOVER = re.compile(r"\{%|\{#|\{\{\s*[A-Za-z_][\w.]*\s*(\|[^}]*)?\}\}")
FENCED = re.compile(r"```.*?```", re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
MISSING_VALUE = re.compile(r"(?<![\w`])(None(?! of\b)|undefined)(?![\w`])")


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(resolve_config(None), CACHE)


def _template_ids() -> list[str]:
    config = resolve_config(None)
    return sorted(t.id for t in load_scenarios(config.templates, config.vocabularies).templates)


def _problems(example: Example) -> list[str]:
    found = []
    if not (example.id and example.domain and example.scenario and example.spec_refs):
        found.append("empty row field")
    for i, message in enumerate(example.messages):
        texts = [message.content, *(c.function.arguments for c in message.tool_calls)]
        if not message.content.strip() and not message.tool_calls:
            found.append(f"messages[{i}] is empty")
        for text in texts:
            if match := JINJA_LEFTOVER.search(text):
                found.append(f"messages[{i}] has template syntax {match.group(0)!r}")
        prose = INLINE_CODE.sub("", FENCED.sub("", message.content))
        if match := MISSING_VALUE.search(prose):
            context = prose[max(0, match.start() - 40) : match.end() + 20]
            found.append(f"messages[{i}] has {match.group(0)!r}: …{context}…")
    return found


@pytest.mark.parametrize("template_id", _template_ids())
def test_template_renders_clean_rows(renderer: Renderer, template_id: str) -> None:
    for index in INDICES:
        example = renderer.render((template_id, index))
        assert not isinstance(example, str), f"{template_id}#{index}: {example}"
        assert Example.model_validate_json(example.to_json_line()) == example
        assert _problems(example) == [], f"{template_id}#{index}"


def test_the_checks_of_this_file_catch_what_they_look_for() -> None:
    from _rows import SCENARIOS, make_example

    clean = make_example(next(iter(SCENARIOS)), 0, 0)
    assert _problems(clean) == []
    leftover = clean.messages[-1].model_copy(update={"content": "Call {{ tool.name }} now"})
    missing = clean.messages[-1].model_copy(update={"content": "The timeout is None seconds."})
    empty = clean.messages[-1].model_copy(update={"content": " "})
    for bad in (leftover, missing, empty):
        broken = clean.model_copy(update={"messages": [*clean.messages[:-1], bad]})
        assert len(_problems(broken)) == 1, bad.content
