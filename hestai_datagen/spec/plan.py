"""The training plan: which templates teach each spec element, and how many examples each gets.

The plan is pure arithmetic over the spec, the templates' metadata and the build config:
1. each priority gets ``examples × share`` rows (largest remainder, so the total is exact);
2. inside a priority, each template's weight is its own weight times the gap weight of the most
   critical element it covers, and rows are split over templates by that weight; a template
   never gets more than its ``max_examples``, the rows it cannot take go to its peers by weight;
3. an element's planned count is the number of rows whose template covers it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from hestai_datagen.errors import ConfigError, SpecError
from hestai_datagen.scenarios.template import ScenarioTemplate
from hestai_datagen.spec.config import BuildConfig
from hestai_datagen.spec.targets import Section, SpecElement


class TemplateAllocation(BaseModel):
    """How many rows one template contributes."""

    model_config = ConfigDict(frozen=True)

    template_id: str
    priority: str
    weight: float
    examples: int


class ElementCoverage(BaseModel):
    """One spec element with the templates that teach it and the rows planned for it."""

    model_config = ConfigDict(frozen=True)

    element: SpecElement
    templates: list[str]
    examples: int


class TrainingPlan(BaseModel):
    """The full plan of one build."""

    model_config = ConfigDict(frozen=True)

    total: int
    sections: list[Section]
    allocations: list[TemplateAllocation]
    coverage: list[ElementCoverage]

    def shares(self) -> dict[str, float]:
        """Planned share of rows per priority."""
        per: dict[str, int] = {}
        for allocation in self.allocations:
            per[allocation.priority] = per.get(allocation.priority, 0) + allocation.examples
        return {p: n / self.total for p, n in sorted(per.items())}

    def uncovered(self) -> list[SpecElement]:
        """Training targets no template covers."""
        return [c.element for c in self.coverage if not c.templates]

    def quota(self) -> dict[str, int]:
        """Rows wanted per template id."""
        return {a.template_id: a.examples for a in self.allocations if a.examples > 0}


def largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` into integers proportional to ``weights`` (ties broken by key order)."""
    positive = {k: Fraction(w).limit_denominator(10**9) for k, w in weights.items() if w > 0}
    whole = sum(positive.values())
    if total <= 0 or not positive:
        return dict.fromkeys(weights, 0)
    exact = {k: total * w / whole for k, w in positive.items()}
    counts = {k: int(v) for k, v in exact.items()}
    rest = total - sum(counts.values())
    by_remainder = sorted(exact, key=lambda k: (-(exact[k] - counts[k]), k))
    for key in by_remainder[:rest]:
        counts[key] += 1
    return {k: counts.get(k, 0) for k in weights}


def capped_split(
    total: int, weights: Mapping[str, float], caps: Mapping[str, int | None]
) -> dict[str, int]:
    """``largest_remainder`` where no key gets more than its cap; the surplus of a capped key is
    split over the others by weight. Raises ``ValueError`` if the caps cannot hold ``total``."""
    counts = dict.fromkeys(weights, 0)
    open_weights = dict(weights)
    remaining = total
    while True:
        split = largest_remainder(remaining, open_weights)
        full = [k for k, n in split.items() if (cap := caps.get(k)) is not None and n > cap]
        if not full:
            counts.update(split)
            if sum(counts.values()) < total:
                raise ValueError(f"the caps hold {sum(counts.values())} of {total} rows")
            return counts
        for key in full:
            counts[key] = caps[key] or 0
            remaining -= counts[key]
            del open_weights[key]


def make_plan(
    sections: Sequence[Section],
    templates: Sequence[ScenarioTemplate],
    config: BuildConfig,
) -> TrainingPlan:
    """Plan a build; raises ``SpecError`` for a template that covers a path the spec lacks."""
    elements = {e.path: e for s in sections for e in s.elements}
    for template in templates:
        for ref in template.covers:
            if ref not in elements:
                raise SpecError(
                    f"template {template.id!r} covers unknown spec element {ref!r}"
                    f" (known: {', '.join(sorted(elements)[:3])}, …)",
                    path=template.source,
                    line=template.covers_line,
                )
    gap_weight = config.gap_weights

    def weight(template: ScenarioTemplate) -> float:
        gaps = [gap_weight.get(elements[ref].gap or "", 1.0) for ref in template.covers]
        return template.weight * max(gaps, default=1.0)

    priorities = sorted({t.priority for t in templates})
    shares = {p: config.priority_shares.get(p, 0.0) for p in priorities}
    per_priority = largest_remainder(config.examples, shares)
    allocations: list[TemplateAllocation] = []
    for priority in priorities:
        group = sorted((t for t in templates if t.priority == priority), key=lambda t: t.id)
        weights = {t.id: weight(t) for t in group}
        try:
            counts = capped_split(
                per_priority[priority], weights, {t.id: t.max_examples for t in group}
            )
        except ValueError:
            most = sum(t.max_examples or 0 for t in group)
            raise ConfigError(
                f"{priority} is planned {per_priority[priority]} rows but its templates can make "
                f"at most {most} distinct rows (their max_examples); lower `examples` or the "
                f"{priority} share, or add templates"
            ) from None
        allocations.extend(
            TemplateAllocation(
                template_id=t.id, priority=priority, weight=weights[t.id], examples=counts[t.id]
            )
            for t in group
        )
    rows = {a.template_id: a.examples for a in allocations}
    coverage = [
        ElementCoverage(
            element=element,
            templates=sorted(t.id for t in templates if path in t.covers),
            examples=sum(rows[t.id] for t in templates if path in t.covers),
        )
        for path, element in elements.items()
    ]
    return TrainingPlan(
        total=sum(rows.values()),
        sections=list(sections),
        allocations=allocations,
        coverage=coverage,
    )
