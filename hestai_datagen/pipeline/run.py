"""``run_build``: rounds of work until every template has its quota, then the finished folder.

Each round asks every template short of its quota for as many new items as it still needs (the
next indices after the ones already tried), in the seeded schedule order; results come from the
journal when a previous run finished them, else from the workers. When the rounds are done, the
reject rate, priority balance and spec coverage are checked, and the writer lays out the folder.
A build that fails these checks writes nothing but its rejects (``rejects.failed.jsonl``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from hestai_datagen import __version__
from hestai_datagen.checks import QualityGate
from hestai_datagen.checks.balance import check_balance
from hestai_datagen.checks.config import GateConfig
from hestai_datagen.dataset import BuildInfo, DatasetWriter, SplitConfig, SplitPlacer
from hestai_datagen.dataset.info import CheckInfo, PlanRow
from hestai_datagen.dataset.placement import LEAK_CHECK_DESCRIPTION, LEAK_CHECK_ID
from hestai_datagen.errors import BuildError
from hestai_datagen.examples.recordings import record_for
from hestai_datagen.pipeline.admission import Admission, BuildResult
from hestai_datagen.pipeline.inputs import BuildInputs
from hestai_datagen.pipeline.journal import Journal
from hestai_datagen.pipeline.work import WorkItem, WorkResult, WorkRunner, schedule_round

FAILED_REJECTS_FILE = "rejects.failed.jsonl"
"""Where a build that fails its gate leaves the rows it rejected, with their reasons."""

JOURNAL_FILE = ".build-journal.jsonl"
"""The resume journal in the output folder (see ``pipeline.journal``)."""

BATCH = 256
"""Work items done (and journaled) together."""

Progress = Callable[[int, int, int], None]
"""Called with (accepted, wanted, tried) after each batch."""


def _results(
    items: Sequence[WorkItem], journal: Journal, runner: WorkRunner
) -> Iterator[WorkResult]:
    """Results of ``items`` in order: from the journal if finished before, else done now."""
    for start in range(0, len(items), BATCH):
        batch = items[start : start + BATCH]
        known = {item: journal.get(item) for item in batch}
        todo = [item for item in batch if known[item] is None]
        done = {result.item: result for result in runner.run(todo)}
        journal.record(done[item] for item in todo)
        for item in batch:
            result = known[item] or done[item]
            yield result


def run_build(
    inputs: BuildInputs,
    out_dir: Path,
    *,
    cache_dir: Path | None,
    workers: int = 1,
    progress: Progress | None = None,
) -> BuildResult:
    """Make the dataset of ``inputs`` in ``out_dir`` (atomically; see ``DatasetWriter``),
    resuming from the journal a previous, interrupted run of the same build left there."""
    config = inputs.config
    quota = inputs.plan.quota()
    wanted_total = sum(quota.values())
    budget = int(wanted_total * config.attempt_budget)
    gate_config = GateConfig.from_mapping(config.quality, source=inputs.config_path)
    splits = SplitConfig(ratios=config.splits, seed=config.seed, heldout=config.heldout)
    result = BuildResult(out_dir=out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    journal = Journal(out_dir / JOURNAL_FILE, _journal_key(inputs))
    result.resumed = journal.resumed
    gate = QualityGate(gate_config)
    if workers > 1:  # record once here, so the pool's processes all read the cache
        record_for(inputs.scenarios.templates, cache_dir)
    runner = WorkRunner(config, cache_dir, gate_config, workers)
    writer = DatasetWriter(
        out_dir, fmt=config.output.format, max_shard_bytes=config.output.max_shard_bytes
    )
    admission = Admission(gate, SplitPlacer(splits), writer, result, config.seed)
    accepted = dict.fromkeys(quota, 0)
    next_index = dict.fromkeys(quota, 0)
    try:
        with writer:
            try:
                while result.accepted < wanted_total:
                    room = budget - result.tried
                    if room <= 0:
                        raise BuildError(
                            f"attempt budget of {budget} rows used up with {result.accepted} of "
                            f"{wanted_total} rows accepted; rejects by check: "
                            f"{result.rejects_by_check}"
                        )
                    wanted = {
                        t: (next_index[t], next_index[t] + quota[t] - accepted[t])
                        for t in quota
                        if accepted[t] < quota[t]
                    }
                    items = schedule_round(config.seed, wanted)[:room]
                    for work in _results(items, journal, runner):
                        next_index[work.template] = max(next_index[work.template], work.index + 1)
                        if admission.take(work):
                            accepted[work.template] += 1
                        if progress is not None and result.tried % BATCH == 0:
                            progress(result.accepted, wanted_total, result.tried)
                if progress is not None:
                    progress(result.accepted, wanted_total, result.tried)
                _check_outcome(inputs, gate, gate_config, result)
            except BuildError as exc:
                kept = writer.save_rejects(out_dir / FAILED_REJECTS_FILE)
                raise BuildError(f"{exc} (rejected rows and reasons: {kept})") from None
            writer.finish(_build_info(inputs, result, gate))
    finally:
        runner.close()
        journal.close()
    journal.remove()
    (out_dir / FAILED_REJECTS_FILE).unlink(missing_ok=True)
    return result


def _check_outcome(
    inputs: BuildInputs, gate: QualityGate, gate_config: GateConfig, result: BuildResult
) -> None:
    """Raise ``BuildError`` if too many rows were rejected or the rows miss the plan."""
    if result.tried and result.rejected / result.tried > gate_config.max_reject_rate:
        gate.ensure_reject_rate()
        raise BuildError(
            f"{result.rejected} of {result.tried} rows rejected, above the limit of "
            f"{gate_config.max_reject_rate:.1%}; rejects by check: {result.rejects_by_check}"
        )
    balance = check_balance(
        result.per_priority,
        result.covered,
        inputs.plan.shares(),
        [c.element.path for c in inputs.plan.coverage],
        gate_config.balance_tolerance,
    )
    if balance:
        raise BuildError("; ".join(f"{f.check_id}: {f.reason}" for f in balance))


def _journal_key(inputs: BuildInputs) -> dict[str, Any]:
    """What the journaled results depend on: a journal with another key is not reused."""
    from hestai_datagen.mcp_traces import sdk_version

    config = inputs.config
    return {
        "generator_version": __version__,
        "seed": config.seed,
        "sources": inputs.source_hashes(),
        "quality": config.quality,
        "mcp_sdk": sdk_version(),
    }


def _build_info(inputs: BuildInputs, result: BuildResult, gate: QualityGate) -> BuildInfo:
    config = inputs.config
    sources = inputs.source_hashes()
    return BuildInfo(
        generator_version=__version__,
        seed=config.seed,
        spec_path=config.spec.name,
        spec_sha256=sources.pop("spec"),
        config_path=inputs.config_path.name if inputs.config_path else None,
        config_sha256=sources.pop("config", None),
        templates=sources,
        counts={"examples": result.accepted, "tried": result.tried, "rejected": result.rejected},
        plan=[
            PlanRow(
                spec_ref=row.element.path,
                priority=row.element.priority,
                templates=row.templates,
                planned=row.examples,
                produced=sum(result.per_template.get(t, 0) for t in row.templates),
            )
            for row in inputs.plan.coverage
        ],
        gate_stats=gate.stats().model_dump(mode="json"),
        checks=[
            *(CheckInfo(id=c.id, description=c.description) for c in gate.check_infos()),
            CheckInfo(id=LEAK_CHECK_ID, description=LEAK_CHECK_DESCRIPTION),
        ],
        reproduce=f"hestai-datagen build --seed {config.seed} -n {result.accepted}",
        spec_name=inputs.spec_name,
        splits=SplitConfig(ratios=config.splits, seed=config.seed, heldout=config.heldout),
    )
