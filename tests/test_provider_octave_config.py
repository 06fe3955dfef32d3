"""The ``octave_config`` provider: every kind and defect yields consistent, checked OCTAVE."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from hestai_datagen.octave import check, parse, query, to_data
from hestai_datagen.scenarios.providers import octave_config
from hestai_datagen.scenarios.providers.base import ProviderInput, Resources
from hestai_datagen.scenarios.slots import Cycle
from hestai_datagen.scenarios.vocab import load_vocabularies

VOCAB = load_vocabularies(Path(__file__).resolve().parents[1] / "data" / "vocab")


def _provide(seed: int, **args: Any) -> dict[str, Any]:
    given = ProviderInput(
        rng=random.Random(seed),
        slots={},
        args=args,
        resources=Resources(vocabularies=VOCAB),
        pick=Cycle("octave-config-test", seed).pick,
    )
    return octave_config.provide(given).variables


@pytest.mark.parametrize("kind", octave_config.KINDS)
def test_documents_are_strict_clean_and_consistent(kind: str) -> None:
    for seed in range(25):
        v = _provide(seed, kind=kind)
        assert v["kind"] == kind
        assert check(v["octave_text"] + "\n", strict=True) == []
        doc = parse(v["octave_text"] + "\n", strict=True)
        assert to_data(doc) == v["octave_data"]
        assert query(doc, v["query_path"]) == v["query_value"]
        assert query(doc, v["query2_path"]) == v["query2_value"]
        assert v["query_path"] != v["query2_path"]
        assert query(doc, v["missing_target"]) == v["missing_value"]
        assert v["missing_path"] in v["missing_error"]
        assert (v["probe_tool"] in v["tools_list"]) is v["probe_available"]
        assert isinstance(v["description"], list) and v["description"]


def test_2025_text_reads_back_to_the_same_data() -> None:
    for seed in range(30):
        v = _provide(seed, kind="any")
        old = v["octave_text_2025"]
        assert old.endswith(f"===END_{v['octave_name']}===")
        assert "→" not in old and "⊕" not in old and "∨" not in old
        assert to_data(parse(old + "\n")) == v["octave_data"]
        assert not [d for d in check(old + "\n") if d.severity == "error"]


def test_extended_text_adds_exactly_the_extension() -> None:
    for seed in range(30):
        v = _provide(seed, kind="any")
        data = to_data(parse(v["extended_text"] + "\n", strict=True))
        key = v["extension"]["key"]
        assert data[key] == v["extension"]["data"]
        assert {k: d for k, d in data.items() if k != key} == v["octave_data"]


@pytest.mark.parametrize("defect", sorted(octave_config.DEFECTS))
def test_every_defect_is_diagnosed(defect: str) -> None:
    for kind in octave_config.KINDS:
        for seed in range(15):
            v = _provide(seed, kind=kind, defect=defect)
            severity = "warning" if defect in octave_config.WARNING_DEFECTS else "error"
            assert v["defect_severity"] == severity
            assert v["diagnostic"]["severity"] == severity
            assert v["diagnostic"]["code"] in v["diagnostic_report"]
            assert v["broken_text"] != v["octave_text"]


def test_defect_and_kind_lists_draw_one_value() -> None:
    seen_defects = set()
    seen_kinds = set()
    for seed in range(40):
        v = _provide(seed, kind=["role", "pipeline"], defect=["yaml_list", "missing_end"])
        seen_defects.add(v["defect"])
        seen_kinds.add(v["kind"])
    assert seen_defects == {"yaml_list", "missing_end"}
    assert seen_kinds == {"role", "pipeline"}


def test_any_defect_is_always_an_error() -> None:
    for seed in range(40):
        v = _provide(seed, kind="any", defect="any")
        assert v["defect"] not in octave_config.WARNING_DEFECTS
        assert v["defect_severity"] == "error"


def test_unknown_arguments_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        _provide(0, kind="compose")
    with pytest.raises(ValueError, match="unknown defect"):
        _provide(0, defect="bogus")
