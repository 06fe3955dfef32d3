"""A small bounded memo owned by a check (rows of a scenario repeat tool lists and code)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from hestai_datagen.examples.model import Example

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """Remembers up to ``size`` computed values; the oldest entry goes first when full."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._values: dict[K, V] = {}

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value for ``key``, computed once while it stays in the cache."""
        try:
            return self._values[key]
        except KeyError:
            pass
        value = compute()
        if len(self._values) >= self._size:
            del self._values[next(iter(self._values))]
        self._values[key] = value
        return value


class LastRowMemo(Generic[V]):
    """Computes something about a row once for the several checks that share it.

    Checks run one after another on the same row object, so remembering the last row (by
    identity; the memo holds a reference, so the identity cannot be reused) is enough.
    """

    def __init__(self, compute: Callable[[Example], V]) -> None:
        self._compute = compute
        self._row: Example | None = None
        self._value: V | None = None

    def get(self, example: Example) -> V:
        """The value for ``example``, computed at most once in a row."""
        if example is not self._row or self._value is None:
            self._value = self._compute(example)
            self._row = example
        return self._value
