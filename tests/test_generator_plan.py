"""Plan arithmetic: exact totals, shares by priority, gap weights."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_datagen.spec.plan import largest_remainder


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
