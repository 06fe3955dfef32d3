"""The quality gate's settings: the ``quality:`` section of a build config, with defaults."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hestai_datagen.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONSTITUTION = REPO_ROOT / "octave_configs" / "constitution.yaml"


class GateConfig(BaseModel):
    """Limits and thresholds of the quality gate (every field has a working default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_tokens_per_row: int = Field(default=6000, gt=0)
    min_tokens_per_row: int = Field(default=24, ge=0)
    near_duplicate_threshold: float = Field(default=0.9, gt=0.0, le=1.0)
    minhash_num_perm: int = Field(default=128, ge=16, le=1024)
    minhash_seed: int = 1
    shingle_size: int = Field(default=5, ge=1, le=32)
    constitution_path: Path = DEFAULT_CONSTITUTION
    max_reject_rate: float = Field(default=0.1, ge=0.0, le=1.0)
    balance_tolerance: float = Field(default=0.05, ge=0.0, le=1.0)
    disabled_checks: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _limits_are_ordered(self) -> GateConfig:
        if self.min_tokens_per_row > self.max_tokens_per_row:
            raise ValueError("min_tokens_per_row is above max_tokens_per_row")
        return self

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any] | None,
        *,
        base_dir: Path | None = None,
        source: str | Path | None = None,
    ) -> GateConfig:
        """The config from a mapping (the ``quality:`` section); relative paths resolve against
        ``base_dir``. Bad values raise ``ConfigError`` naming the key."""
        values = dict(data or {})
        if base_dir is not None and "constitution_path" in values:
            path = Path(str(values["constitution_path"]))
            values["constitution_path"] = path if path.is_absolute() else base_dir / path
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "quality"
            raise ConfigError(f"quality.{where}: {first['msg']}", path=source) from None

    @classmethod
    def from_build_config(cls, path: Path) -> GateConfig:
        """The ``quality:`` section of a build config YAML file (defaults if there is none)."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read config: {exc.strerror}", path=path) from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"config is not valid YAML: {exc}", path=path) from None
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ConfigError("config must be a mapping", path=path)
        section = data.get("quality")
        if section is not None and not isinstance(section, Mapping):
            raise ConfigError("quality: must be a mapping", path=path)
        return cls.from_mapping(section, base_dir=path.parent, source=path)
