"""Options shared by several commands, resolved against the embedded defaults."""

from __future__ import annotations

from pathlib import Path

from hestai_datagen.defaults import config_dir
from hestai_datagen.spec.config import BuildConfig, load_config


def resolve_config(
    config: Path | None,
    *,
    spec: Path | None = None,
    templates: Path | None = None,
    vocabularies: Path | None = None,
) -> BuildConfig:
    """The build config (default: the repository's), with command-line paths taking precedence."""
    loaded = load_config(config, config_dir())
    overrides = {
        name: value.resolve()
        for name, value in (
            ("spec", spec),
            ("templates", templates),
            ("vocabularies", vocabularies),
        )
        if value is not None
    }
    return loaded.model_copy(update=overrides)
