"""Build inputs: the spec, templates and vocabularies a build reads, validated, and its plan."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from hestai_datagen.scenarios import ScenarioSet, load_scenarios
from hestai_datagen.spec import BuildConfig, TrainingPlan, make_plan, read_spec, spec_sections
from hestai_datagen.spec.targets import Section


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class BuildInputs:
    """Everything a build reads, loaded and validated."""

    config: BuildConfig
    config_path: Path | None
    sections: list[Section]
    scenarios: ScenarioSet
    plan: TrainingPlan
    spec_name: str

    def domain_of(self, priority: str) -> str:
        """The spec's domain name for a priority (the priority itself if the spec has none)."""
        for section in self.sections:
            if section.priority == priority:
                return section.domain
        return priority

    def source_hashes(self) -> dict[str, str]:
        """sha256 of every input that shapes the rows: spec, config, templates, vocabularies."""
        hashes = {"spec": sha256_of(self.config.spec)}
        if self.config_path is not None:
            hashes["config"] = sha256_of(self.config_path)
        hashes.update({t.id: t.sha256 for t in self.scenarios.templates})
        hashes.update({f"vocab/{k}": v for k, v in self.scenarios.vocabularies.hashes.items()})
        return hashes


def prepare(config: BuildConfig, config_path: Path | None) -> BuildInputs:
    """Read and validate the spec, vocabularies and templates, and make the plan."""
    document = read_spec(config.spec)
    sections = spec_sections(document)
    scenarios = load_scenarios(config.templates, config.vocabularies)
    plan = make_plan(sections, scenarios.templates, config)
    return BuildInputs(config, config_path, sections, scenarios, plan, document.name)
