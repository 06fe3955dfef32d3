"""Shared test fixtures: where the repo and the shared material (``../shared``) are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``../shared`` beside the checkout (or ``$HESTAI_SHARED_DIR``)."""
    return Path(os.environ.get("HESTAI_SHARED_DIR", REPO.parent / "shared")).resolve()


def require_shared(*parts: str) -> Path:
    """A path under ``../shared``; skips the test with a clear reason when it is absent."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared material not found at {path} (set HESTAI_SHARED_DIR)")
    return path


@pytest.fixture
def repo() -> Path:
    return REPO
