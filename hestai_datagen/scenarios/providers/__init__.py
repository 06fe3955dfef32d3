"""Context providers available to templates, by name."""

from __future__ import annotations

from collections.abc import Mapping

from hestai_datagen.scenarios.providers import mcp_recording, octave_config
from hestai_datagen.scenarios.providers.base import (
    ContextProvider,
    ProviderInput,
    ProviderOutput,
    Resources,
)

__all__ = [
    "ContextProvider",
    "ProviderInput",
    "ProviderOutput",
    "Resources",
    "default_providers",
    "provided_variables",
]


def default_providers() -> dict[str, ContextProvider]:
    """Every provider the project ships, by name."""
    return {
        module.NAME: ContextProvider(module.NAME, module.VARIABLES, module.provide)
        for module in (mcp_recording, octave_config)
    }


def provided_variables(
    providers: Mapping[str, ContextProvider],
) -> dict[str | None, frozenset[str]]:
    """What each provider supplies (``None``: templates without a provider)."""
    return {None: frozenset(), **{name: p.variables for name, p in providers.items()}}
