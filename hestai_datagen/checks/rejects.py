"""Rejected rows as records for ``rejects.jsonl``: never silently dropped, always with a reason."""

from __future__ import annotations

import orjson
from pydantic import BaseModel, ConfigDict

from hestai_datagen.checks.base import Finding, Severity
from hestai_datagen.checks.gate import Verdict
from hestai_datagen.errors import HestaiError
from hestai_datagen.examples.model import Example


class RejectRecord(BaseModel):
    """One rejected row: its first rejecting finding up front, every finding, and the row itself."""

    model_config = ConfigDict(frozen=True)

    id: str
    scenario: str
    index: int
    check_id: str
    severity: Severity
    reason: str
    findings: list[Finding]
    row: str

    @classmethod
    def from_verdict(cls, example: Example, verdict: Verdict) -> RejectRecord:
        """The record of a rejected row (the verdict must be a rejection)."""
        errors = verdict.errors
        if verdict.accepted or not errors:
            raise HestaiError(f"row {example.id} was accepted; there is nothing to reject")
        first = errors[0]
        return cls(
            id=example.id,
            scenario=example.scenario,
            index=example.meta.index,
            check_id=first.check_id,
            severity=first.severity,
            reason=first.reason,
            findings=list(verdict.findings),
            row=example.to_json_line().decode().rstrip("\n"),
        )

    def to_json_line(self) -> bytes:
        """The record as one JSON line (keys in model order)."""
        return orjson.dumps(self.model_dump(mode="json")) + b"\n"
