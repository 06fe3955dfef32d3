"""What the build tells the dataset writer about itself (for the card, manifest and stats)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hestai_datagen.dataset.splits import SplitConfig


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanRow(_Model):
    """One line of the spec coverage table: a spec reference and what the build made for it."""

    spec_ref: str
    priority: str
    templates: list[str] = Field(default_factory=list)
    planned: int = Field(ge=0)
    produced: int = Field(ge=0)


class CheckInfo(_Model):
    """One check of the quality gate that every published row passed."""

    id: str
    description: str


class BuildInfo(_Model):
    """Provenance and summaries of one build, as the build knows them."""

    generator_version: str
    seed: int
    spec_path: str
    spec_sha256: str
    config_path: str | None = None
    config_sha256: str | None = None
    templates: dict[str, str] = Field(default_factory=dict)
    counts: dict[str, int] = Field(default_factory=dict)
    plan: list[PlanRow] = Field(default_factory=list)
    gate_stats: dict[str, Any] = Field(default_factory=dict)
    checks: list[CheckInfo] = Field(default_factory=list)
    reproduce: str
    spec_name: str
    spec_description: str = ""
    splits: SplitConfig = Field(default_factory=SplitConfig)
    pretty_name: str = "HESTAI MCP tool-use training data"
    license: str = "apache-2.0"
    language: list[str] = Field(default_factory=lambda: ["en"])
