"""The quality gate: every row checked (format, protocol, code, constitution, size, duplicates).

``QualityGate(config).admit(example)`` decides on one row; ``validate_rows`` runs the same checks
on rows that already exist; ``check_balance`` checks what survived against the plan.
"""

from hestai_datagen.checks.balance import BALANCE_CHECKS, check_balance
from hestai_datagen.checks.base import Check, CheckInfo, Finding, Severity
from hestai_datagen.checks.config import GateConfig
from hestai_datagen.checks.constitution import Constitution
from hestai_datagen.checks.gate import (
    CheckStats,
    DuplicateCounts,
    GateStats,
    QualityGate,
    Verdict,
    default_checks,
)
from hestai_datagen.checks.rejects import RejectRecord
from hestai_datagen.checks.size import estimate_tokens, row_tokens
from hestai_datagen.checks.validation import (
    ValidationFailure,
    ValidationReport,
    iter_rows_from_path,
    validate_rows,
)

__all__ = [
    "BALANCE_CHECKS",
    "Check",
    "CheckInfo",
    "CheckStats",
    "Constitution",
    "DuplicateCounts",
    "Finding",
    "GateConfig",
    "GateStats",
    "QualityGate",
    "RejectRecord",
    "Severity",
    "ValidationFailure",
    "ValidationReport",
    "Verdict",
    "check_balance",
    "default_checks",
    "estimate_tokens",
    "iter_rows_from_path",
    "row_tokens",
    "validate_rows",
]
