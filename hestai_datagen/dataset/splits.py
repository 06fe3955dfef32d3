"""Deterministic, leakage-free split assignment.

Examples are split by *group*, never by row: the group is the template instance an example came
from (``example.meta.instance``), or a caller-given override (the build places rows with
``placement.SplitPlacer``, which also keeps near duplicates together). The group's sha256, salted
with the seed, picks the split, so the same group always lands in the same split, whatever order
rows arrive in. An optional held-out split takes whole scenarios or slot values away from the
others.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, field_validator

from hestai_datagen.examples.model import Example

SPLIT_NAMES: tuple[str, ...] = ("train", "validation", "test")
HELDOUT = "heldout"
ALL_SPLITS: tuple[str, ...] = (*SPLIT_NAMES, HELDOUT)


class HeldOutConfig(BaseModel):
    """What goes to the ``heldout`` split: whole scenarios, or examples with these slot values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenarios: list[str] = Field(default_factory=list)
    slot_values: dict[str, list[str]] = Field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when nothing is held out."""
        return not self.scenarios and not any(self.slot_values.values())

    def matches(self, example: Example) -> bool:
        """True when the example belongs to the held-out split."""
        if example.scenario in self.scenarios:
            return True
        if not self.slot_values:
            return False
        slots: dict[str, Any] = orjson.loads(example.meta.slots)
        for name, values in self.slot_values.items():
            if name in slots and _slot_text(slots[name]) in values:
                return True
        return False


def _slot_text(value: Any) -> str:
    """A slot value as the text a config names it by (strings as they are, the rest as JSON)."""
    return value if isinstance(value, str) else orjson.dumps(value).decode()


class SplitConfig(BaseModel):
    """Split ratios (over train/validation/test), the hash seed and an optional held-out split."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ratios: dict[str, float] = Field(
        default_factory=lambda: {"train": 0.8, "validation": 0.1, "test": 0.1}
    )
    seed: int = 0
    heldout: HeldOutConfig | None = None

    @field_validator("ratios")
    @classmethod
    def _ratios_are_a_distribution(cls, ratios: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(ratios) - set(SPLIT_NAMES))
        if unknown:
            raise ValueError(f"unknown split(s) {unknown}; splits are {list(SPLIT_NAMES)}")
        if any(r < 0 or not math.isfinite(r) for r in ratios.values()):
            raise ValueError("split ratios must be finite and not negative")
        if not math.isclose(sum(ratios.values()), 1.0, abs_tol=1e-9):
            raise ValueError(f"split ratios must add up to 1, not {sum(ratios.values())}")
        if ratios.get("train", 0.0) <= 0:
            raise ValueError("the train split needs a ratio above 0")
        return {name: ratios.get(name, 0.0) for name in SPLIT_NAMES}

    def split_names(self) -> list[str]:
        """The splits this config can produce, in card order."""
        names = [name for name in SPLIT_NAMES if self.ratios.get(name, 0.0) > 0]
        if self.heldout is not None and not self.heldout.is_empty():
            names.append(HELDOUT)
        return names


def group_fraction(group: str, seed: int) -> float:
    """Where a group falls in ``[0, 1)``: the top 64 bits of ``sha256(seed NUL group)``."""
    digest = hashlib.sha256(f"{seed}\0{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign_split(example: Example, config: SplitConfig, *, group: str | None = None) -> str:
    """The split of an example, by its group (``meta.instance`` unless ``group`` is given)."""
    if config.heldout is not None and config.heldout.matches(example):
        return HELDOUT
    point = group_fraction(group if group is not None else example.meta.instance, config.seed)
    edge = 0.0
    last = "train"
    for name in SPLIT_NAMES:
        ratio = config.ratios.get(name, 0.0)
        if ratio <= 0:
            continue
        last = name
        edge += ratio
        if point < edge:
            return name
    return last
