"""The build pipeline: spec + templates + config → checked examples → dataset folder.

Steps, each small and in order: ``prepare`` (read spec, templates, vocabularies, plan),
``record`` (real MCP recordings the templates need), then ``run_build``, which draws examples
in a deterministic schedule, renders them (on one process or many), admits them through the
quality gate in schedule order, assigns splits and streams rows into the dataset writer.

Determinism: example (template, k) is rendered from its own seeded generator; the admission
order is a fixed function of the seed and the plan; replacements for rejected rows are drawn
from the same template at the next indices. So output is byte-identical for any worker count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from hestai_datagen import __version__
from hestai_datagen.checks import QualityGate, RejectRecord
from hestai_datagen.checks.balance import check_balance
from hestai_datagen.checks.config import GateConfig
from hestai_datagen.dataset import BuildInfo, DatasetWriter, SplitConfig, assign_split
from hestai_datagen.dataset.info import CheckInfo, PlanRow
from hestai_datagen.errors import BuildError
from hestai_datagen.examples.model import Example
from hestai_datagen.examples.recordings import record_for
from hestai_datagen.examples.render import render_example
from hestai_datagen.scenarios import ScenarioSet, load_scenarios
from hestai_datagen.scenarios.providers import Resources
from hestai_datagen.spec import BuildConfig, TrainingPlan, make_plan, read_spec, spec_sections
from hestai_datagen.spec.targets import Section

WorkItem = tuple[str, int]
"""(template id, example index within the template)."""


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class BuildInputs:
    """Everything a build reads, loaded and validated."""

    config: BuildConfig
    config_path: Path | None
    sections: list[Section]
    scenarios: ScenarioSet
    plan: TrainingPlan
    spec_name: str

    def domain_of(self, priority: str) -> str:
        for section in self.sections:
            if section.priority == priority:
                return section.domain
        return priority


def prepare(config: BuildConfig, config_path: Path | None) -> BuildInputs:
    """Read and validate the spec, vocabularies and templates, and make the plan."""
    document = read_spec(config.spec)
    sections = spec_sections(document)
    scenarios = load_scenarios(config.templates, config.vocabularies)
    plan = make_plan(sections, scenarios.templates, config)
    return BuildInputs(config, config_path, sections, scenarios, plan, document.name)


class Renderer:
    """Renders work items; built once per process from the config (templates do not pickle)."""

    def __init__(self, config: BuildConfig, cache_dir: Path | None) -> None:
        self.inputs = prepare(config, None)
        self.resources = Resources(
            self.inputs.scenarios.vocabularies,
            record_for(self.inputs.scenarios.templates, cache_dir),
        )

    def render(self, item: WorkItem) -> Example | str:
        """The example, or why it could not be rendered (a template bug, kept as a reject)."""
        template_id, index = item
        template = self.inputs.scenarios.template(template_id)
        try:
            return render_example(
                template,
                seed=self.inputs.config.seed,
                index=index,
                domain=self.inputs.domain_of(template.priority),
                providers=self.inputs.scenarios.providers,
                resources=self.resources,
            )
        except Exception as exc:  # a broken template must not take the build down
            return f"{type(exc).__name__}: {exc}".replace("\n", " ")


_worker_renderer: list[Renderer] = []


def _worker_init(config: BuildConfig, cache_dir: Path | None) -> None:
    _worker_renderer.append(Renderer(config, cache_dir))


def _worker_render(items: Sequence[WorkItem]) -> list[bytes | str]:
    renderer = _worker_renderer[0]
    out: list[bytes | str] = []
    for item in items:
        result = renderer.render(item)
        out.append(result if isinstance(result, str) else result.to_json_line())
    return out


def schedule_round(seed: int, wanted: dict[str, tuple[int, int]]) -> list[WorkItem]:
    """Items ``(template, k)`` for ``k`` in each template's ``[start, stop)``, in seeded order."""

    def order(item: WorkItem) -> bytes:
        return hashlib.sha256(f"{seed}\x1f{item[0]}\x1f{item[1]}".encode()).digest()

    items = [(t, k) for t, (start, stop) in sorted(wanted.items()) for k in range(start, stop)]
    return sorted(items, key=order)


@dataclass
class BuildResult:
    """What a finished build made."""

    out_dir: Path
    accepted: int
    tried: int
    rejected: int
    per_split: dict[str, int] = field(default_factory=dict)
    per_priority: dict[str, int] = field(default_factory=dict)
    per_template: dict[str, int] = field(default_factory=dict)
    rejects_by_check: dict[str, int] = field(default_factory=dict)


Progress = Callable[[int, int, int], None]
"""Called with (accepted, wanted, tried) after each admitted batch."""


def _render_stream(
    renderer: Renderer | None,
    pool: ProcessPoolExecutor | None,
    items: Sequence[WorkItem],
    chunk: int,
) -> Iterator[tuple[WorkItem, Example | str]]:
    if pool is None:
        assert renderer is not None
        for item in items:
            yield item, renderer.render(item)
        return
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    for batch, results in zip(chunks, pool.map(_worker_render, chunks), strict=True):
        for item, result in zip(batch, results, strict=True):
            yield item, result if isinstance(result, str) else Example.model_validate_json(result)


def _render_reject(item: WorkItem, seed: int, reason: str) -> bytes:
    template_id, index = item
    return orjson.dumps(
        {
            "id": f"{template_id}/{seed}/{index}",
            "scenario": template_id,
            "index": index,
            "check_id": "render.failed",
            "severity": "error",
            "reason": reason,
            "row": "",
        }
    )


def run_build(
    inputs: BuildInputs,
    out_dir: Path,
    *,
    cache_dir: Path | None,
    workers: int = 1,
    progress: Progress | None = None,
) -> BuildResult:
    """Make the dataset of ``inputs`` in ``out_dir`` (atomically; see ``DatasetWriter``)."""
    config = inputs.config
    quota = inputs.plan.quota()
    wanted_total = sum(quota.values())
    budget = int(wanted_total * config.attempt_budget)
    gate_config = GateConfig.from_mapping(config.quality, source=inputs.config_path)
    gate = QualityGate(gate_config)
    splits = SplitConfig(ratios=config.splits, seed=config.seed, heldout=config.heldout)
    accepted = dict.fromkeys(quota, 0)
    next_index = dict.fromkeys(quota, 0)
    result = BuildResult(out_dir=out_dir, accepted=0, tried=0, rejected=0)
    covered: set[str] = set()
    renderer = Renderer(config, cache_dir) if workers == 1 else None
    pool = (
        ProcessPoolExecutor(workers, initializer=_worker_init, initargs=(config, cache_dir))
        if workers > 1
        else None
    )
    writer = DatasetWriter(
        out_dir, fmt=config.output.format, max_shard_bytes=config.output.max_shard_bytes
    )
    try:
        with writer:
            while result.accepted < wanted_total:
                missing = {t: quota[t] - accepted[t] for t in quota if accepted[t] < quota[t]}
                room = budget - result.tried
                if room <= 0:
                    raise BuildError(
                        f"attempt budget of {budget} rows used up with {result.accepted} of "
                        f"{wanted_total} rows accepted; rejects by check: {result.rejects_by_check}"
                    )
                wanted = {t: (next_index[t], next_index[t] + n) for t, n in missing.items()}
                items = schedule_round(config.seed, wanted)[:room]
                for item, rendered in _render_stream(renderer, pool, items, chunk=64):
                    template_id, index = item
                    next_index[template_id] = max(next_index[template_id], index + 1)
                    result.tried += 1
                    if isinstance(rendered, str):
                        writer.add_reject(_render_reject(item, config.seed, rendered))
                        result.rejected += 1
                        result.rejects_by_check["render.failed"] = (
                            result.rejects_by_check.get("render.failed", 0) + 1
                        )
                        continue
                    verdict = gate.admit(rendered)
                    if not verdict.accepted:
                        record = RejectRecord.from_verdict(rendered, verdict)
                        writer.add_reject(
                            orjson.dumps(record.model_dump(mode="json", exclude={"findings"}))
                        )
                        result.rejected += 1
                        result.rejects_by_check[record.check_id] = (
                            result.rejects_by_check.get(record.check_id, 0) + 1
                        )
                        continue
                    accepted[template_id] += 1
                    result.per_template[template_id] = accepted[template_id]
                    result.accepted += 1
                    split = assign_split(rendered, splits)
                    writer.add(rendered, split)
                    result.per_split[split] = result.per_split.get(split, 0) + 1
                    result.per_priority[rendered.priority] = (
                        result.per_priority.get(rendered.priority, 0) + 1
                    )
                    covered.update(rendered.spec_refs)
                    if progress is not None and result.accepted % 50 == 0:
                        progress(result.accepted, wanted_total, result.tried)
            if progress is not None:
                progress(result.accepted, wanted_total, result.tried)
            stats = gate.stats()
            if result.tried and result.rejected / result.tried > gate_config.max_reject_rate:
                gate.ensure_reject_rate()
                limit = gate_config.max_reject_rate
                raise BuildError(
                    f"{result.rejected} of {result.tried} rows rejected, above the limit of "
                    f"{limit:.1%}; rejects by check: {result.rejects_by_check}"
                )
            targets = [c.element.path for c in inputs.plan.coverage]
            balance = check_balance(
                result.per_priority,
                covered,
                inputs.plan.shares(),
                targets,
                gate_config.balance_tolerance,
            )
            if balance:
                raise BuildError("; ".join(f"{f.check_id}: {f.reason}" for f in balance))
            writer.finish(_build_info(inputs, result, stats.model_dump(mode="json"), gate))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return result


def _build_info(
    inputs: BuildInputs,
    result: BuildResult,
    gate_stats: dict[str, Any],
    gate: QualityGate,
) -> BuildInfo:
    config = inputs.config
    vocab = {f"vocab/{k}": v for k, v in inputs.scenarios.vocabularies.hashes.items()}
    return BuildInfo(
        generator_version=__version__,
        seed=config.seed,
        spec_path=config.spec.name,
        spec_sha256=sha256_of(config.spec),
        config_path=inputs.config_path.name if inputs.config_path else None,
        config_sha256=sha256_of(inputs.config_path) if inputs.config_path else None,
        templates={**{t.id: t.sha256 for t in inputs.scenarios.templates}, **vocab},
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
        gate_stats=gate_stats,
        checks=[CheckInfo(id=c.id, description=c.description) for c in gate.check_infos()],
        reproduce=f"hestai-datagen build --seed {config.seed} -n {result.accepted}",
        spec_name=inputs.spec_name,
        splits=SplitConfig(ratios=config.splits, seed=config.seed, heldout=config.heldout),
    )
