"""Scenario templates, the vocabularies their slots draw from, and the context providers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hestai_datagen.scenarios.providers import (
    ContextProvider,
    default_providers,
    provided_variables,
)
from hestai_datagen.scenarios.template import ScenarioTemplate, load_templates
from hestai_datagen.scenarios.vocab import Vocabularies, load_vocabularies

__all__ = ["ScenarioSet", "ScenarioTemplate", "Vocabularies", "load_scenarios"]


@dataclass(frozen=True)
class ScenarioSet:
    """Everything needed to render examples: templates, vocabularies and providers."""

    templates: list[ScenarioTemplate]
    vocabularies: Vocabularies
    providers: dict[str, ContextProvider]

    def template(self, template_id: str) -> ScenarioTemplate:
        for template in self.templates:
            if template.id == template_id:
                return template
        raise KeyError(template_id)


def load_scenarios(templates: Path, vocabularies: Path) -> ScenarioSet:
    """Load and validate the vocabularies, then every template against them."""
    vocab = load_vocabularies(vocabularies)
    providers = default_providers()
    return ScenarioSet(
        templates=load_templates(templates, vocab, provided_variables(providers)),
        vocabularies=vocab,
        providers=providers,
    )
