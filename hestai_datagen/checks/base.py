"""The vocabulary of the quality gate: a ``Check`` looks at one row and returns ``Finding``s.

Every check has a stable dotted id (``format.tool_call_answered``, ``code.python_parses``...), a
default severity and a one-line description. A finding of severity ``error`` rejects the row; a
``warning`` is reported but lets the row through. Checks are small, independent and pure: the
same row always gives the same findings, so the gate stays deterministic.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from hestai_datagen.examples.model import Example

Severity = Literal["error", "warning"]

_SPACES = re.compile(r"\s+")
MAX_REASON_CHARS = 400


def one_line(text: str, limit: int = MAX_REASON_CHARS) -> str:
    """``text`` with every run of whitespace collapsed to one space, cut to ``limit`` characters."""
    flat = _SPACES.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class Finding(BaseModel):
    """One problem a check found in one row."""

    model_config = ConfigDict(frozen=True)

    check_id: str
    severity: Severity
    reason: str
    message_index: int | None = None

    @field_validator("reason")
    @classmethod
    def _reason_is_one_line(cls, value: str) -> str:
        return one_line(value)


class CheckInfo(BaseModel):
    """What a check is, for reports and the dataset card."""

    model_config = ConfigDict(frozen=True)

    id: str
    severity: Severity
    description: str


class Check(ABC):
    """One per-row check. Subclasses set ``id``, ``severity`` and ``description``."""

    id: str
    severity: Severity = "error"
    description: str

    @abstractmethod
    def run(self, example: Example) -> list[Finding]:
        """The findings for ``example`` (empty when the row is fine)."""

    def finding(self, reason: str, message_index: int | None = None) -> Finding:
        """A finding of this check with its own id and severity."""
        return Finding(
            check_id=self.id,
            severity=self.severity,
            reason=reason,
            message_index=message_index,
        )

    def info(self) -> CheckInfo:
        """The check's id, severity and description."""
        return CheckInfo(id=self.id, severity=self.severity, description=self.description)
