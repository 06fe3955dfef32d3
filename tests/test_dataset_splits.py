"""Split assignment: deterministic, by group, ratios kept, held-out split, bad configs refused."""

from __future__ import annotations

from collections import Counter

import orjson
import pytest
from _rows import make_example, make_rows
from pydantic import ValidationError

from hestai_datagen.dataset import HeldOutConfig, SplitConfig, assign_split


def test_same_input_same_split_whatever_the_order() -> None:
    rows = make_rows()
    config = SplitConfig(seed=3)
    first = {r.id: assign_split(r, config) for r in rows}
    second = {r.id: assign_split(r, config) for r in reversed(rows)}
    assert first == second


def test_examples_of_one_instance_share_a_split() -> None:
    config = SplitConfig(seed=11)
    for instance in range(40):
        splits = {
            assign_split(make_example("mcp-read-file", instance, v), config) for v in range(4)
        }
        assert len(splits) == 1


def test_group_override_decides_the_split() -> None:
    config = SplitConfig(seed=5)
    a = make_example("mcp-read-file", 1, 0)
    b = make_example("octave-validate-ok", 2, 0)
    assert assign_split(a, config, group="g-1") == assign_split(b, config, group="g-1")


def test_ratios_are_followed_over_many_groups() -> None:
    config = SplitConfig(ratios={"train": 0.6, "validation": 0.2, "test": 0.2}, seed=1)
    counts = Counter(assign_split(make_example("mcp-read-file", i, 0), config) for i in range(3000))
    assert abs(counts["train"] / 3000 - 0.6) < 0.04
    assert abs(counts["validation"] / 3000 - 0.2) < 0.04
    assert abs(counts["test"] / 3000 - 0.2) < 0.04


def test_seed_changes_the_assignment() -> None:
    rows = [make_example("mcp-read-file", i, 0) for i in range(200)]
    a = [assign_split(r, SplitConfig(seed=1)) for r in rows]
    b = [assign_split(r, SplitConfig(seed=2)) for r in rows]
    assert a != b


def test_zero_ratio_split_gets_nothing() -> None:
    config = SplitConfig(ratios={"train": 0.9, "test": 0.1})
    assert config.split_names() == ["train", "test"]
    got = {assign_split(make_example("mcp-read-file", i, 0), config) for i in range(300)}
    assert got == {"train", "test"}


def test_heldout_by_scenario_and_by_slot_value() -> None:
    held = HeldOutConfig(scenarios=["handoff-summary"], slot_values={"level": ["2"]})
    config = SplitConfig(heldout=held)
    assert config.split_names()[-1] == "heldout"
    for row in make_rows():
        split = assign_split(row, config)
        if row.scenario == "handoff-summary" or orjson.loads(row.meta.slots)["level"] == 2:
            assert split == "heldout", row.id
        else:
            assert split != "heldout"


@pytest.mark.parametrize(
    "ratios",
    [
        {"train": 0.5, "test": 0.4},
        {"train": 0.8, "dev": 0.2},
        {"train": 1.2, "test": -0.2},
        {"validation": 0.5, "test": 0.5},
    ],
)
def test_bad_ratios_are_refused(ratios: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        SplitConfig(ratios=ratios)
