"""How many distinct rows a template makes: the measure behind a template's ``max_examples``.

Renders a template's first indices the way a build does and keeps the rows that are neither exact
nor near duplicates of an earlier one (the gate's own duplicate index and thresholds), so an
author sees how soon a template starts repeating itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from hestai_datagen.checks.config import GateConfig
from hestai_datagen.checks.duplicates import DuplicateIndex
from hestai_datagen.pipeline.work import Renderer


@dataclass(frozen=True)
class Variety:
    """What rendering ``tried`` indices of one template gave."""

    template: str
    distinct_after: tuple[int, ...]  # distinct rows among the first i indices, for i = 0..tried
    first_repeat: int | None  # index of the first duplicate row, if any
    render_errors: int

    @property
    def tried(self) -> int:
        return len(self.distinct_after) - 1

    @property
    def distinct(self) -> int:
        return self.distinct_after[-1]

    def draws_for(self, rows: int) -> int | None:
        """How many indices it takes to get ``rows`` distinct rows (``None``: more than tried)."""
        for draws, distinct in enumerate(self.distinct_after):
            if distinct >= rows:
                return draws
        return None

    def most_rows(self, waste: float) -> int:
        """The most rows it makes while losing at most ``waste`` of its draws to duplicates
        (within the indices tried): a fair ``max_examples``."""
        best = 0
        for draws, distinct in enumerate(self.distinct_after):
            if distinct and draws * (1 - waste) <= distinct:
                best = max(best, distinct)
        return best


def measure_variety(renderer: Renderer, template_id: str, probe: int, gate: GateConfig) -> Variety:
    """Render indices ``0..probe-1`` of a template and count the distinct rows among them."""
    index = DuplicateIndex(
        threshold=gate.near_duplicate_threshold,
        num_perm=gate.minhash_num_perm,
        shingle_size=gate.shingle_size,
        seed=gate.minhash_seed,
    )
    distinct_after = [0]
    errors = 0
    first_repeat = None
    for i in range(probe):
        distinct_after.append(distinct_after[-1])
        example = renderer.render((template_id, i))
        if isinstance(example, str):
            errors += 1
            continue
        signature = index.signature(example)
        if index.look(signature):
            first_repeat = i if first_repeat is None else first_repeat
            continue
        index.add(signature)
        distinct_after[-1] += 1
    return Variety(template_id, tuple(distinct_after), first_repeat, errors)
