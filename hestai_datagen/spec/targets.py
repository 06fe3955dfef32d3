"""Reading the spec: its priority sections and the elements in them that are training targets.

A *priority section* is a top-level block with a ``PRIORITY`` value (P1, P2, P3) or a
``GAP:CRITICAL`` value and no priority (the integration gap). Inside a section, every block that
holds at least one value of its own is a *training target*, except ``TRAINING_RECOMMENDATIONS``
(advice about sources, not something a model learns). A ``GAP:…`` value on a block marks it and
every block under it with that gap.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from hestai_datagen.octave import Document

NOT_TARGETS = frozenset({"TRAINING_RECOMMENDATIONS"})
GAP_PREFIX = "GAP:"


class SpecElement(BaseModel):
    """One training target of the spec."""

    model_config = ConfigDict(frozen=True)

    path: str
    section: str
    priority: str
    domain: str
    gap: str | None
    facts: dict[str, Any]
    line: int | None = None


class Section(BaseModel):
    """One priority section of the spec."""

    model_config = ConfigDict(frozen=True)

    key: str
    priority: str
    domain: str
    criticality: str
    gap: str | None
    elements: list[SpecElement]


def read_spec(path: Path) -> Document:
    """Parse the spec leniently (the user's spec is in the 2025 dialect)."""
    from hestai_datagen.octave import parse

    return parse(path.read_text(encoding="utf-8"), path=str(path))


def _gap_of(block: Mapping[str, Any]) -> str | None:
    gaps = [key[len(GAP_PREFIX) :] for key in block if key.startswith(GAP_PREFIX)]
    return gaps[0] if gaps else None


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "⊕".join(_text(v) for v in value)
    return str(value)


def _walk(
    block: Mapping[str, Any], prefix: str, gap: str | None
) -> Iterator[tuple[str, Mapping[str, Any], str | None]]:
    for key, value in block.items():
        if not isinstance(value, dict) or key in NOT_TARGETS:
            continue
        path = f"{prefix}.{key}"
        own_gap = _gap_of(value) or gap
        if any(not isinstance(v, dict) for v in value.values()):
            yield path, value, own_gap
        yield from _walk(value, path, own_gap)


def spec_sections(doc: Document) -> list[Section]:
    """The priority sections of a parsed spec, in document order, with their training targets."""
    from hestai_datagen.octave import to_data

    sections: list[Section] = []
    for key, block in to_data(doc).items():
        if not isinstance(block, dict):
            continue
        gap = _gap_of(block)
        if "PRIORITY" in block:
            priority = _text(block["PRIORITY"])
        elif gap == "CRITICAL":
            priority = "INTEGRATION"
        else:
            continue
        domain = _text(block.get("DOMAIN", "INTEGRATION"))
        criticality = _text(block.get("CRITICALITY", block.get("COMPLEXITY", "")))
        elements = [
            SpecElement(
                path=path,
                section=key,
                priority=priority,
                domain=domain,
                gap=element_gap,
                facts={k: v for k, v in value.items() if not isinstance(v, dict)},
                line=_line_of(doc, path),
            )
            for path, value, element_gap in _walk(block, key, gap)
        ]
        sections.append(
            Section(
                key=key,
                priority=priority,
                domain=domain,
                criticality=criticality,
                gap=gap,
                elements=elements,
            )
        )
    return sections


def _line_of(doc: Document, path: str) -> int | None:
    try:
        line, _ = doc.locate(path)
    except Exception:  # a location is a nicety for messages; never fail the plan for it
        return None
    return line
