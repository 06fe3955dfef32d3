"""Balance: the rows that survived the gate still meet the plan's priority shares and coverage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hestai_datagen.checks.base import CheckInfo, Finding

SHARE_ID = "balance.priority_share"
COVERAGE_ID = "balance.coverage"

BALANCE_CHECKS = (
    CheckInfo(
        id=SHARE_ID,
        severity="error",
        description="Each priority's share of accepted rows is within tolerance of the plan.",
    ),
    CheckInfo(
        id=COVERAGE_ID,
        severity="error",
        description="Every spec reference the plan targets is covered by an accepted row.",
    ),
)


def check_balance(
    accepted_per_priority: Mapping[str, int],
    covered_refs: set[str],
    planned_shares: Mapping[str, float],
    target_refs: Sequence[str],
    tolerance: float,
) -> list[Finding]:
    """Findings when accepted rows drift from the planned shares or leave targets uncovered.

    Planned shares are normalized by their sum; a priority with accepted rows but no planned
    share counts as planned at 0.
    """
    findings: list[Finding] = []
    total = sum(accepted_per_priority.values())
    planned_total = sum(planned_shares.values())
    for priority in sorted(set(planned_shares) | set(accepted_per_priority)):
        planned = planned_shares.get(priority, 0.0) / planned_total if planned_total else 0.0
        actual = accepted_per_priority.get(priority, 0) / total if total else 0.0
        if abs(actual - planned) > tolerance:
            findings.append(
                Finding(
                    check_id=SHARE_ID,
                    severity="error",
                    reason=(
                        f"{priority}: {actual:.1%} of accepted rows "
                        f"({accepted_per_priority.get(priority, 0)} of {total}), planned "
                        f"{planned:.1%} ± {tolerance:.1%}"
                    ),
                )
            )
    missing = [ref for ref in dict.fromkeys(target_refs) if ref not in covered_refs]
    if missing:
        shown = ", ".join(missing[:8]) + (
            f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        )
        findings.append(
            Finding(
                check_id=COVERAGE_ID,
                severity="error",
                reason=f"{len(missing)} of {len(set(target_refs))} spec refs not covered: {shown}",
            )
        )
    return findings
