"""The context-provider interface: Python that computes facts a template must not type by hand.

A provider gets the example's seeded random generator, its slot values, the template's
``context_args`` and the build's shared resources, and returns more template variables (and, for
MCP scenarios, the recorded wire trace). Providers declare the variables they supply, so that
templates using them are validated on load.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hestai_datagen.examples.model import TraceMessage
from hestai_datagen.scenarios.vocab import Vocabularies


@dataclass(frozen=True)
class Resources:
    """What every provider may read: vocabularies and the MCP recordings of this build."""

    vocabularies: Vocabularies
    recordings: Mapping[Any, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderInput:
    """The inputs of one provider call."""

    rng: random.Random
    slots: Mapping[str, Any]
    args: Mapping[str, Any]
    resources: Resources
    pick: Callable[[str, int], int]
    """``Cycle.pick`` of the example: one of ``range(n)``, cycled over example indices."""


@dataclass(frozen=True)
class ProviderOutput:
    """Variables for the template, and the wire trace for MCP examples."""

    variables: dict[str, Any]
    trace: Sequence[TraceMessage] = ()
    sdk_version: str | None = None


@dataclass(frozen=True)
class ContextProvider:
    """A named function from ``ProviderInput`` to ``ProviderOutput`` and the variables it sets."""

    name: str
    variables: frozenset[str]
    provide: Callable[[ProviderInput], ProviderOutput]

    def __call__(self, given: ProviderInput) -> ProviderOutput:
        return self.provide(given)
