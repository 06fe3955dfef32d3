"""Slot specs and the seeded sampler that fills them.

A slot is written in a template's ``slots:`` mapping as one of
- ``FILE.LIST`` or ``{vocab: FILE.LIST, count: N}``: N distinct items of a vocabulary list;
- ``{choice: [a, b, …]}``: one of the inline values;
- ``{int: [LOW, HIGH]}``: an integer in the closed range.

Single values are drawn by a ``Cycle``: consecutive example indices of a template go through all
of a slot's values, in a shuffled order, before any value repeats, so that a template's first rows
differ as much as its slots allow (independent draws would repeat by the birthday paradox).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, model_validator

from hestai_datagen.scenarios.vocab import Vocabularies


class SlotSpec(BaseModel):
    """Where one slot's value comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vocab: str | None = None
    count: int = Field(default=1, ge=1)
    choice: list[Any] | None = None
    int_range: tuple[int, int] | None = Field(default=None, alias="int")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"vocab": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _exactly_one_source(self) -> SlotSpec:
        sources = [self.vocab, self.choice, self.int_range]
        if sum(s is not None for s in sources) != 1:
            raise ValueError("a slot needs exactly one of vocab, choice or int")
        if self.choice is not None and not self.choice:
            raise ValueError("choice needs at least one value")
        if self.int_range is not None and self.int_range[0] > self.int_range[1]:
            raise ValueError("int range must be [low, high] with low <= high")
        return self

    def problem(self, vocabularies: Vocabularies) -> str | None:
        """Why this slot cannot be filled from ``vocabularies``, or ``None``."""
        if self.vocab is None:
            return None
        if self.vocab not in vocabularies.lists:
            return f"unknown vocabulary {self.vocab!r}"
        if len(vocabularies.lists[self.vocab]) < self.count:
            return f"vocabulary {self.vocab!r} has fewer than {self.count} items"
        return None

    def sample(
        self, rng: random.Random, vocabularies: Vocabularies, pick: Callable[[int], int]
    ) -> Any:
        """Draw this slot's value: ``pick(n)`` chooses one of ``n`` values (see ``Cycle``),
        ``rng`` draws the several distinct items of a ``count`` slot."""
        if self.vocab is not None:
            items = vocabularies.get(self.vocab)
            if self.count == 1:
                return items[pick(len(items))]
            return [items[i] for i in rng.sample(range(len(items)), self.count)]
        if self.choice is not None:
            return self.choice[pick(len(self.choice))]
        assert self.int_range is not None
        low, high = self.int_range
        return low + pick(high - low + 1)


_SHUFFLE_LIMIT = 4096


class Cycle:
    """Index-driven draws for one example: ``pick(stream, n)`` is the example's position in a
    shuffled order of ``range(n)``, a new shuffle for each run of ``n`` consecutive indices.

    Every stream (a slot name, a provider's choice) has its own shuffles, derived with SHA-256
    from the key (build seed, template id), so the value depends only on (key, stream, index).
    """

    def __init__(self, key: str, index: int) -> None:
        self.key = key
        self.index = index

    def pick(self, stream: str, n: int) -> int:
        """One of ``range(n)``; indices ``k·n … k·n+n-1`` get each value exactly once."""
        epoch, position = divmod(self.index, n)
        digest = hashlib.sha256(f"{self.key}\x1f{stream}\x1f{n}\x1f{epoch}".encode()).digest()
        seed = int.from_bytes(digest[:16], "big")
        if n <= _SHUFFLE_LIMIT:
            order = list(range(n))
            random.Random(seed).shuffle(order)
            return order[position]
        stride = seed % n or 1  # too many values to list: an affine bijection of range(n)
        while math.gcd(stride, n) != 1:
            stride += 1
        return (stride * position + int.from_bytes(digest[16:24], "big")) % n


def label(value: Any) -> Any:
    """A short, JSON-compatible name for a slot value (for provenance and held-out splits): its
    ``id``/``name``/``title``/``text``, else a digest of its content (two items never share one)."""
    if isinstance(value, dict):
        for key in ("id", "name", "title", "text"):
            if isinstance(value.get(key), str):
                return value[key]
        content = orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=str)
        return "sha256:" + hashlib.sha256(content).hexdigest()[:12]
    if isinstance(value, list):
        return [label(v) for v in value]
    return value
