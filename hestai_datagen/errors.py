"""The project's own exception types; the CLI turns each into one clear line and exit code 1."""

from __future__ import annotations

from pathlib import Path


class HestaiError(Exception):
    """Base of every error the tool reports to a user (never shown as a traceback)."""


class SourceError(HestaiError):
    """An error located in an input file: printed as ``FILE:LINE:COL: message``."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        super().__init__(self.location_prefix() + message)

    def location_prefix(self) -> str:
        """``FILE:LINE:COL: `` with whatever parts are known."""
        parts = [p for p in (self.path, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts) + ": " if parts else ""


class ConfigError(SourceError):
    """A build config that is malformed or names something that does not exist."""


class TemplateError(SourceError):
    """A scenario template that cannot be loaded or rendered."""


class VocabularyError(SourceError):
    """A slot vocabulary in ``data/`` that is malformed."""


class SpecError(SourceError):
    """A spec that parses but cannot be turned into a training plan."""


class BuildError(HestaiError):
    """A build that cannot deliver what was asked (budget exhausted, reject rate too high...)."""


class DatasetError(HestaiError):
    """A dataset folder that is missing pieces, altered, or cannot be written or exported."""


class PushError(HestaiError):
    """Uploading a dataset to the Hub failed."""


class RecordingError(HestaiError):
    """Recording an MCP trace from a real server failed."""
