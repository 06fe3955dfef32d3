"""Admission: work results, in schedule order, become accepted rows in splits or rejects.

Per result: a render error is a reject; otherwise the quality gate decides on the per-row
findings plus duplicates of the rows admitted so far, and the split placer must find the row a
split that leaks nothing (see ``dataset.placement``). Every reject goes to the rejects file with
all its findings; nothing is dropped. This is the only order-dependent step of a build, so it
runs on one process, in the schedule's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hestai_datagen.checks import QualityGate, RejectRecord
from hestai_datagen.checks.base import Finding
from hestai_datagen.dataset import DatasetWriter, SplitPlacer
from hestai_datagen.dataset.placement import LEAK_CHECK_ID
from hestai_datagen.pipeline.work import WorkResult

RENDER_CHECK_ID = "render.failed"


@dataclass
class BuildResult:
    """What a build made (or has made so far)."""

    out_dir: Path
    accepted: int = 0
    tried: int = 0
    rejected: int = 0
    resumed: int = 0
    per_split: dict[str, int] = field(default_factory=dict)
    per_priority: dict[str, int] = field(default_factory=dict)
    per_template: dict[str, int] = field(default_factory=dict)
    rejects_by_check: dict[str, int] = field(default_factory=dict)
    covered: set[str] = field(default_factory=set)


def _count(counter: dict[str, int], key: str) -> None:
    counter[key] = counter.get(key, 0) + 1


class Admission:
    """Admits work results one by one into the writer, keeping the tally in ``result``."""

    def __init__(
        self,
        gate: QualityGate,
        placer: SplitPlacer,
        writer: DatasetWriter,
        result: BuildResult,
        seed: int,
    ) -> None:
        self.gate = gate
        self.placer = placer
        self.writer = writer
        self.result = result
        self.seed = seed

    def take(self, work: WorkResult) -> bool:
        """Admit or reject one result; True when the row was accepted."""
        self.result.tried += 1
        if work.render_error is not None:
            self._reject(self._render_reject(work))
            return False
        example = work.example()
        placement = self.placer.place(example)
        leak = (
            [Finding(check_id=LEAK_CHECK_ID, severity="error", reason=placement.reason)]
            if placement.split is None
            else []
        )
        verdict = self.gate.decide(example, work.found, external=leak)
        if not verdict.accepted:
            self._reject(RejectRecord.from_verdict(example, verdict))
            return False
        split = self.placer.commit(example, placement)
        self.writer.add(example, split)
        result = self.result
        result.accepted += 1
        _count(result.per_template, example.scenario)
        _count(result.per_split, split)
        _count(result.per_priority, example.priority)
        result.covered.update(example.spec_refs)
        return True

    def _reject(self, record: RejectRecord) -> None:
        self.writer.add_reject(record)
        self.result.rejected += 1
        _count(self.result.rejects_by_check, record.check_id)

    def _render_reject(self, work: WorkResult) -> RejectRecord:
        finding = Finding(
            check_id=RENDER_CHECK_ID, severity="error", reason=work.render_error or "(no message)"
        )
        return RejectRecord(
            id=f"{work.template}/{self.seed}/{work.index}",
            scenario=work.template,
            index=work.index,
            check_id=RENDER_CHECK_ID,
            severity="error",
            reason=finding.reason,
            findings=[finding],
            row="",
        )
