"""Slot vocabularies: the lists in ``data/vocab/*.yaml`` that templates draw slot values from.

Each file is a mapping of list names to non-empty lists; a list is referenced from a template as
``FILE.LIST`` (``tools.catalog`` is the ``catalog`` list of ``tools.yaml``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hestai_datagen.errors import VocabularyError
from hestai_datagen.scenarios.yaml_source import load_yaml


@dataclass(frozen=True)
class Vocabularies:
    """Every vocabulary list by ``FILE.LIST`` name, with the sha256 of each file."""

    lists: dict[str, tuple[Any, ...]]
    hashes: dict[str, str]

    def get(self, name: str) -> tuple[Any, ...]:
        return self.lists[name]


def load_vocabularies(folder: Path) -> Vocabularies:
    """Load every ``*.yaml`` file of ``folder``; raises ``VocabularyError`` naming file and line."""
    if not folder.is_dir():
        raise VocabularyError("vocabulary folder not found", path=folder)
    lists: dict[str, tuple[Any, ...]] = {}
    hashes: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        data, where = load_yaml(path, VocabularyError)
        if not isinstance(data, dict):
            raise where.error((), "a vocabulary file must map list names to lists", VocabularyError)
        for name, items in data.items():
            if not isinstance(items, list) or not items:
                raise where.error((name,), f"{name!r} must be a non-empty list", VocabularyError)
            lists[f"{path.stem}.{name}"] = tuple(items)
        hashes[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return Vocabularies(lists=lists, hashes=hashes)
