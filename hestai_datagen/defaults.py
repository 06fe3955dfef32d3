"""Where the embedded defaults live: the spec copy, build config, templates and vocabularies.

In a source checkout (or an editable install) they are the repository's own top-level folders;
in an installed wheel they are packaged under ``hestai_datagen/_defaults`` with the same layout.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def defaults_root() -> Path:
    """The folder holding ``octave_configs/``, ``templates/`` and ``data/vocab/``."""
    checkout = _PACKAGE.parent
    if (checkout / "octave_configs" / "build.yaml").is_file():
        return checkout
    return _PACKAGE / "_defaults"


def config_dir() -> Path:
    """The folder of the default build config and spec (``octave_configs/``)."""
    return defaults_root() / "octave_configs"
