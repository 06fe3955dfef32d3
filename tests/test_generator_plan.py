"""Plan arithmetic: exact totals, shares by priority, gap weights, templates' max_examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_datagen.defaults import config_dir
from hestai_datagen.errors import ConfigError
from hestai_datagen.pipeline import prepare
from hestai_datagen.spec.config import load_config
from hestai_datagen.spec.plan import capped_split, largest_remainder


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=10_000),
    weights=st.dictionaries(
        st.text(min_size=1, max_size=5), st.floats(min_value=0.01, max_value=100), min_size=1
    ),
)
def test_largest_remainder_is_exact_and_proportional(total: int, weights: dict[str, float]) -> None:
    counts = largest_remainder(total, weights)
    assert sum(counts.values()) == total
    whole = sum(weights.values())
    for key, weight in weights.items():
        assert abs(counts[key] - total * weight / whole) < 1 + 1e-9


def test_zero_weights_get_nothing() -> None:
    assert largest_remainder(10, {"a": 1.0, "b": 0.0}) == {"a": 10, "b": 0}


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=2_000),
    weights=st.dictionaries(
        st.sampled_from("abcdefgh"), st.floats(min_value=0.01, max_value=100), min_size=1
    ),
    caps=st.dictionaries(st.sampled_from("abcdefgh"), st.integers(min_value=1, max_value=400)),
)
def test_capped_split_respects_caps_and_total(
    total: int, weights: dict[str, float], caps: dict[str, int]
) -> None:
    room = sum(caps.get(k, total) for k in weights)
    if room < total:
        with pytest.raises(ValueError):
            capped_split(total, weights, caps)
        return
    counts = capped_split(total, weights, caps)
    assert sum(counts.values()) == total
    assert all(counts[k] <= caps[k] for k in weights if k in caps)


def test_capped_split_gives_the_surplus_to_peers_by_weight() -> None:
    assert capped_split(100, {"a": 2.0, "b": 1.0, "c": 1.0}, {"a": 10}) == {
        "a": 10,
        "b": 45,
        "c": 45,
    }


def test_the_default_plan_keeps_every_template_within_max_examples() -> None:
    inputs = prepare(load_config(None, config_dir()), None)
    caps = {t.id: t.max_examples for t in inputs.scenarios.templates}
    quota = inputs.plan.quota()
    assert sum(quota.values()) == inputs.config.examples
    assert all(quota[t] <= (caps[t] or quota[t]) for t in quota)


CAPPED = """\
id: p3.test.capped
priority: P3
max_examples: 3
covers: [SECTION_III:ARCHITECTURE_SPECIFIC_CODE.ASYNC_PYTHON_PATTERNS]
description: a template that can only make three rows
messages:
  - {role: user, content: "Why gather?"}
  - {role: assistant, content: "To run the tool calls concurrently."}
"""


def test_a_plan_beyond_the_templates_variety_is_a_clear_config_error(tmp_path: Path) -> None:
    (tmp_path / "capped.yaml").write_text(CAPPED)
    config = load_config(None, config_dir()).model_copy(update={"templates": tmp_path})
    assert prepare(config.model_copy(update={"examples": 3}), None).plan.quota() == {
        "p3.test.capped": 3
    }
    with pytest.raises(
        ConfigError, match=r"P3 is planned 4 rows but its templates can make at most 3"
    ):
        prepare(config.model_copy(update={"examples": 4}), None)
