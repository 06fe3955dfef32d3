"""The quality gate: runs every per-row check on a row, then duplicate detection, and keeps score.

``QualityGate(config).admit(example)`` returns a ``Verdict``. Every check runs on every row (so the
report can show that each check saw every row); a check that raises becomes an error finding
``<check id>.crashed`` carrying the exception text, and the gate carries on. A row is accepted
when no finding is an error; only accepted rows enter the duplicate index, so the first of a set
of duplicates is the one kept and the outcome depends only on the order rows are admitted in.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from hestai_datagen.checks.base import Check, CheckInfo, Finding, one_line
from hestai_datagen.checks.code import OctaveChecker, code_checks
from hestai_datagen.checks.config import GateConfig
from hestai_datagen.checks.constitution import Constitution, constitution_checks
from hestai_datagen.checks.duplicates import (
    DUPLICATE_CHECKS,
    EXACT_ID,
    NEAR_ID,
    DuplicateIndex,
)
from hestai_datagen.checks.format import ROW_MODEL_ID, format_checks
from hestai_datagen.checks.protocol import TraceChecker, protocol_checks
from hestai_datagen.checks.size import size_checks
from hestai_datagen.errors import BuildError, ConfigError
from hestai_datagen.examples.model import Example

ROW_MODEL_CHECK = CheckInfo(
    id=ROW_MODEL_ID,
    severity="error",
    description="The row parses as the Example row model (validate only; built rows are Examples).",
)


class Verdict(BaseModel):
    """The gate's decision on one row."""

    accepted: bool
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        """The findings that reject the row."""
        return [f for f in self.findings if f.severity == "error"]


RowFindings = list[tuple[str, list[Finding]]]
"""What the per-row checks found in one row: (check id, its findings), in run order."""


class CheckStats(BaseModel):
    """How one check fared: rows it ran on, rows it rejected or warned about, crashes."""

    ran: int = 0
    rejected: int = 0
    warned: int = 0
    crashed: int = 0


class DuplicateCounts(BaseModel):
    """Duplicates found for one scenario."""

    exact: int = 0
    near: int = 0


class GateStats(BaseModel):
    """The gate's tally so far."""

    tried: int = 0
    accepted: int = 0
    rejected: int = 0
    checks: dict[str, CheckStats] = Field(default_factory=dict)
    duplicates_per_scenario: dict[str, DuplicateCounts] = Field(default_factory=dict)

    @property
    def reject_rate(self) -> float:
        """Rejected rows over tried rows (0 when nothing was tried)."""
        return self.rejected / self.tried if self.tried else 0.0


def default_checks(
    config: GateConfig,
    *,
    constitution: Constitution | None = None,
    trace_checker: TraceChecker | None = None,
    octave_checker: OctaveChecker | None = None,
) -> list[Check]:
    """The registry: every per-row check in run order, configured, minus ``disabled_checks``."""
    rules = constitution or Constitution.load(config.constitution_path)
    checks = [
        *format_checks(),
        *protocol_checks(trace_checker),
        *code_checks(octave_checker),
        *constitution_checks(rules),
        *size_checks(config.max_tokens_per_row, config.min_tokens_per_row),
    ]
    known = {c.id for c in checks} | {c.id for c in DUPLICATE_CHECKS}
    unknown = sorted(set(config.disabled_checks) - known)
    if unknown:
        raise ConfigError(f"quality.disabled_checks names unknown checks: {', '.join(unknown)}")
    return [c for c in checks if c.id not in config.disabled_checks]


class QualityGate:
    """Checks rows one by one and remembers the accepted ones for duplicate detection."""

    def __init__(
        self,
        config: GateConfig | None = None,
        *,
        checks: Sequence[Check] | None = None,
        trace_checker: TraceChecker | None = None,
        octave_checker: OctaveChecker | None = None,
    ) -> None:
        self.config = config or GateConfig()
        self.checks: list[Check] = (
            list(checks)
            if checks is not None
            else default_checks(
                self.config, trace_checker=trace_checker, octave_checker=octave_checker
            )
        )
        self._duplicate_ids = [
            c.id for c in DUPLICATE_CHECKS if c.id not in self.config.disabled_checks
        ]
        self._index = DuplicateIndex(
            threshold=self.config.near_duplicate_threshold,
            num_perm=self.config.minhash_num_perm,
            shingle_size=self.config.shingle_size,
            seed=self.config.minhash_seed,
        )
        self._stats = GateStats(
            checks={cid: CheckStats() for cid in [c.id for c in self.checks] + self._duplicate_ids}
        )

    def check_infos(self) -> list[CheckInfo]:
        """Every check this gate runs (per-row, then duplicates), for reports and the card."""
        dups = [c for c in DUPLICATE_CHECKS if c.id in self._duplicate_ids]
        return [c.info() for c in self.checks] + dups

    @staticmethod
    def _run_one(check: Check, example: Example) -> list[Finding]:
        try:
            return check.run(example)
        except Exception as exc:  # a crashing check must never take the gate down
            text = one_line(str(exc)) or "(no message)"
            return [
                Finding(
                    check_id=f"{check.id}.crashed",
                    severity="error",
                    reason=f"check {check.id} crashed: {type(exc).__name__}: {text}",
                )
            ]

    def inspect(self, example: Example) -> RowFindings:
        """Run the per-row checks (everything but duplicates) without touching the gate's state,
        so it can run on any process; ``decide`` then takes the result in admission order."""
        return [(check.id, self._run_one(check, example)) for check in self.checks]

    def decide(
        self,
        example: Example,
        inspected: RowFindings,
        external: Sequence[Finding] = (),
    ) -> Verdict:
        """Tally ``inspect``'s findings, look for duplicates of the rows admitted so far, add
        ``external`` findings (from a check the caller runs, tallied under their own ids), and
        admit the row if no finding is an error; an admitted row is remembered."""
        findings: list[Finding] = []
        for check_id, found in inspected:
            self._tally(check_id, found)
            findings.extend(found)
        signature = self._index.signature(example)
        duplicates = [f for f in self._index.look(signature) if f.check_id in self._duplicate_ids]
        for cid in self._duplicate_ids:
            self._tally(cid, [f for f in duplicates if f.check_id == cid])
        self._count_duplicates(example.scenario, duplicates)
        findings.extend(duplicates)
        for finding in external:
            self._stats.checks.setdefault(finding.check_id, CheckStats())
            self._tally(finding.check_id, [finding])
        findings.extend(external)
        accepted = not any(f.severity == "error" for f in findings)
        self._stats.tried += 1
        if accepted:
            self._stats.accepted += 1
            self._index.add(signature)
        else:
            self._stats.rejected += 1
        return Verdict(accepted=accepted, findings=findings)

    def admit(self, example: Example) -> Verdict:
        """Check one row; an accepted row is remembered for duplicate detection."""
        return self.decide(example, self.inspect(example))

    def note_unparseable(self) -> None:
        """Count a row that could not even be read as an ``Example`` (``format.row_model``)."""
        stats = self._stats.checks.setdefault(ROW_MODEL_ID, CheckStats())
        stats.ran += 1
        stats.rejected += 1
        self._stats.tried += 1
        self._stats.rejected += 1

    def note_parsed(self) -> None:
        """Count a row that passed the row model (only when rows are read from text)."""
        self._stats.checks.setdefault(ROW_MODEL_ID, CheckStats()).ran += 1

    def _tally(self, check_id: str, found: list[Finding]) -> None:
        stats = self._stats.checks[check_id]
        stats.ran += 1
        if any(f.severity == "error" for f in found):
            stats.rejected += 1
        elif found:
            stats.warned += 1
        if any(f.check_id.endswith(".crashed") for f in found):
            stats.crashed += 1

    def _count_duplicates(self, scenario: str, duplicates: list[Finding]) -> None:
        exact = sum(f.check_id == EXACT_ID for f in duplicates)
        near = sum(f.check_id == NEAR_ID for f in duplicates)
        if exact or near:
            counts = self._stats.duplicates_per_scenario.setdefault(scenario, DuplicateCounts())
            counts.exact += exact
            counts.near += near

    def stats(self) -> GateStats:
        """A copy of the tally so far."""
        return self._stats.model_copy(deep=True)

    def ensure_reject_rate(self) -> None:
        """Raise ``BuildError`` with a summary when the reject rate passes ``max_reject_rate``."""
        stats = self._stats
        if stats.tried and stats.reject_rate > self.config.max_reject_rate:
            worst = sorted(
                ((s.rejected, cid) for cid, s in stats.checks.items() if s.rejected),
                reverse=True,
            )[:5]
            by_check = ", ".join(f"{cid} {n}" for n, cid in worst) or "none"
            raise BuildError(
                f"{stats.rejected} of {stats.tried} rows rejected ({stats.reject_rate:.1%}), above "
                f"the limit of {self.config.max_reject_rate:.1%}; rejects by check: {by_check}"
            )
