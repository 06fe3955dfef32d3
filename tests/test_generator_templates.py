"""Template loading: metadata validation, clear load errors, and the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_datagen.errors import TemplateError, VocabularyError
from hestai_datagen.examples.render import render_example
from hestai_datagen.scenarios.providers import Resources, default_providers, provided_variables
from hestai_datagen.scenarios.slots import Cycle
from hestai_datagen.scenarios.template import load_templates
from hestai_datagen.scenarios.vocab import load_vocabularies

GOOD = """\
id: p3.test.good
priority: P3
covers: [SECTION_III:ARCHITECTURE_SPECIFIC_CODE.ASYNC_PYTHON_PATTERNS]
description: a test template
slots:
  name: people.names
  n: {int: [1, 3]}
messages:
  - role: user
    content: "Hello {{ name }}"
  - role: assistant
    content: |
      {{ n }} times hello, {{ name }}.
"""


@pytest.fixture
def vocab_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "vocab"
    folder.mkdir()
    (folder / "people.yaml").write_text("names: [Ada, Grace, Linus]\n")
    return folder


def _load(folder: Path, vocab_dir: Path) -> list:  # type: ignore[type-arg]
    vocab = load_vocabularies(vocab_dir)
    return load_templates(folder, vocab, provided_variables(default_providers()))


def _write(tmp_path: Path, text: str, name: str = "t.yaml") -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)
    return folder


def test_good_template_loads_and_renders(tmp_path: Path, vocab_dir: Path) -> None:
    [template] = _load(_write(tmp_path, GOOD), vocab_dir)
    vocab = load_vocabularies(vocab_dir)
    example = render_example(
        template, seed=1, index=3, domain="HEPHAESTUS", providers={}, resources=Resources(vocab)
    )
    assert example.messages[0].content.startswith("Hello ")
    assert example.scenario == "p3.test.good"
    again = render_example(
        template, seed=1, index=3, domain="HEPHAESTUS", providers={}, resources=Resources(vocab)
    )
    assert again == example


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (GOOD.replace('{{ name }}"', '{{ name "'), 10, "Jinja syntax error"),
        (GOOD.replace("{{ n }} times", "{{ count }} times"), 12, "undefined variable 'count'"),
        (GOOD.replace("people.names", "people.nobody"), 6, "unknown vocabulary 'people.nobody'"),
        (GOOD.replace("priority: P3", "priority: P9"), 2, "priority"),
        (GOOD.replace("id: p3.test.good", "id: Bad Id"), 1, "id must be lowercase"),
        (GOOD + "context: nowhere\n", 14, "unknown context provider 'nowhere'"),
        (GOOD.replace("slots:", "slots: [\n"), 8, "invalid YAML"),
    ],
)
def test_bad_template_names_file_and_line(
    tmp_path: Path, vocab_dir: Path, text: str, line: int, fragment: str
) -> None:
    folder = _write(tmp_path, text)
    with pytest.raises(TemplateError) as caught:
        _load(folder, vocab_dir)
    message = str(caught.value)
    assert message.startswith(f"{folder / 't.yaml'}:{line}:"), message
    assert fragment in message


def test_duplicate_ids_are_a_load_error(tmp_path: Path, vocab_dir: Path) -> None:
    folder = _write(tmp_path, GOOD, "a.yaml")
    _write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(TemplateError, match=r"duplicate template id 'p3\.test\.good'"):
        _load(folder, vocab_dir)


def test_bad_vocabulary_names_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "vocab"
    folder.mkdir()
    (folder / "people.yaml").write_text("names: []\n")
    with pytest.raises(VocabularyError, match=r"people.yaml:1:\d+: 'names' must be a non-empty"):
        load_vocabularies(folder)


@pytest.mark.parametrize(
    "expression",
    [
        "{{ name.__class__.__mro__ }}",
        "{{ ''.__class__.__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ name.upper.__globals__ }}",
    ],
)
def test_sandbox_blocks_python_internals(tmp_path: Path, vocab_dir: Path, expression: str) -> None:
    text = GOOD.replace('"Hello {{ name }}"', f'"{expression}"')
    try:
        [template] = _load(_write(tmp_path, text), vocab_dir)
    except TemplateError:
        return  # rejected at load time (unknown variable such as `cycler`)
    with pytest.raises(TemplateError):
        render_example(
            template,
            seed=1,
            index=0,
            domain="HEPHAESTUS",
            providers={},
            resources=Resources(load_vocabularies(vocab_dir)),
        )


def test_slots_cycle_through_every_value_before_repeating(tmp_path: Path, vocab_dir: Path) -> None:
    [template] = _load(_write(tmp_path, GOOD), vocab_dir)
    vocab = load_vocabularies(vocab_dir)

    def names(seed: int, indices: range) -> list[str]:
        return [
            render_example(
                template, seed=seed, index=i, domain="X", providers={}, resources=Resources(vocab)
            )
            .messages[0]
            .content
            for i in indices
        ]

    for start in (0, 3, 6, 9):  # each run of 3 indices uses all 3 names once
        assert sorted(names(1, range(start, start + 3))) == [
            "Hello Ada",
            "Hello Grace",
            "Hello Linus",
        ]
    assert names(1, range(12)) != names(2, range(12))  # the order depends on the seed


@pytest.mark.parametrize("n", [1, 2, 7, 4096, 4097, 10**9])
def test_cycle_pick_is_a_permutation_of_each_run(n: int) -> None:
    window = min(n, 500)
    for epoch in (0, 1):
        picks = [Cycle("key", epoch * n + i).pick("slot", n) for i in range(window)]
        assert len(set(picks)) == window
        assert all(0 <= p < n for p in picks)


def test_capfirst_keeps_the_rest_of_the_text() -> None:
    from hestai_datagen.scenarios.sandbox import new_environment

    template = new_environment().from_string("{{ who | capfirst }} / {{ who | capitalize }}")
    assert template.render(who="the HESTAI gateway") == ("The HESTAI gateway / The hestai gateway")


def test_a_variable_set_inside_a_branch_is_not_a_missing_slot(
    tmp_path: Path, vocab_dir: Path
) -> None:
    text = GOOD.replace(
        "{{ n }} times hello",
        "{% if n > 1 %}{% set many = n %}{{ many }} times{% else %}once{% endif %} hello",
    )
    [template] = _load(_write(tmp_path, text), vocab_dir)
    example = render_example(
        template,
        seed=1,
        index=0,
        domain="X",
        providers={},
        resources=Resources(load_vocabularies(vocab_dir)),
    )
    assert "hello" in example.messages[1].content


def test_slot_labels_name_items_and_tell_unnamed_ones_apart() -> None:
    from hestai_datagen.scenarios.slots import label

    assert label({"name": "redis", "port": 6379}) == "redis"
    first, second = label({"port": 6379}), label({"port": 5432})
    assert first != second and first.startswith("sha256:")
    assert label([{"id": "a"}, 3]) == ["a", 3]
