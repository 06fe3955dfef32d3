"""Work items and the worker: render one ``(template, index)`` and run the per-row checks on it.

A work item's result depends on nothing but the build inputs and the item itself, so items can be
done in any order, on this process or on a pool of processes, and kept in the resume journal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import orjson
from pydantic import BaseModel, ConfigDict

from hestai_datagen.checks import QualityGate
from hestai_datagen.checks.base import Finding
from hestai_datagen.checks.config import GateConfig
from hestai_datagen.checks.gate import RowFindings
from hestai_datagen.examples.model import Example
from hestai_datagen.examples.recordings import record_for
from hestai_datagen.examples.render import render_example
from hestai_datagen.pipeline.inputs import BuildInputs, prepare
from hestai_datagen.scenarios.providers import Resources
from hestai_datagen.spec import BuildConfig

WorkItem = tuple[str, int]
"""(template id, example index within the template)."""


def schedule_round(seed: int, wanted: dict[str, tuple[int, int]]) -> list[WorkItem]:
    """Items ``(template, k)`` for ``k`` in each template's ``[start, stop)``, in seeded order."""

    def order(item: WorkItem) -> bytes:
        return hashlib.sha256(f"{seed}\x1f{item[0]}\x1f{item[1]}".encode()).digest()

    items = [(t, k) for t, (start, stop) in sorted(wanted.items()) for k in range(start, stop)]
    return sorted(items, key=order)


class WorkResult(BaseModel):
    """One done work item: the row (JSON text) and what the per-row checks found in it, or why
    the template could not render it (a template bug, which the build keeps as a reject)."""

    model_config = ConfigDict(frozen=True)

    template: str
    index: int
    row: str | None = None
    render_error: str | None = None
    found: list[tuple[str, list[Finding]]] = []

    @property
    def item(self) -> WorkItem:
        return (self.template, self.index)

    def example(self) -> Example:
        """The rendered row (only for a result without ``render_error``)."""
        if self.row is None:
            raise ValueError(f"{self.template}#{self.index} has no row: {self.render_error}")
        return Example.model_validate_json(self.row)

    def to_json(self) -> bytes:
        """One line of JSON (no newline)."""
        return orjson.dumps(self.model_dump(mode="json", exclude_defaults=True))


class Renderer:
    """Renders work items; built once per process from the config (templates do not pickle)."""

    def __init__(
        self, config: BuildConfig, cache_dir: Path | None, *, inputs: BuildInputs | None = None
    ) -> None:
        """``inputs``: already prepared from ``config`` (else they are prepared here)."""
        self.inputs = inputs if inputs is not None else prepare(config, None)
        self.resources = Resources(
            self.inputs.scenarios.vocabularies,
            record_for(self.inputs.scenarios.templates, cache_dir),
        )

    def render(self, item: WorkItem) -> Example | str:
        """The example, or why it could not be rendered."""
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


class Worker:
    """Does work items: render, then the per-row checks of the quality gate."""

    def __init__(self, config: BuildConfig, cache_dir: Path | None, gate: GateConfig) -> None:
        self.renderer = Renderer(config, cache_dir)
        self.gate = QualityGate(gate)

    def do(self, item: WorkItem) -> WorkResult:
        rendered = self.renderer.render(item)
        template_id, index = item
        if isinstance(rendered, str):
            return WorkResult(template=template_id, index=index, render_error=rendered)
        found: RowFindings = self.gate.inspect(rendered)
        return WorkResult(
            template=template_id,
            index=index,
            row=rendered.to_json_line().decode().rstrip("\n"),
            found=found,
        )


class _PoolWorker:
    """The worker of one pool process, made by the pool's initializer."""

    current: Worker | None = None


def _pool_init(config: BuildConfig, cache_dir: Path | None, gate: GateConfig) -> None:
    _PoolWorker.current = Worker(config, cache_dir, gate)


def _pool_do(items: Sequence[WorkItem]) -> list[bytes]:
    worker = _PoolWorker.current
    assert worker is not None, "pool process started without its initializer"
    return [worker.do(item).to_json() for item in items]


class WorkRunner:
    """Does batches of work items on this process (``workers == 1``) or on a process pool."""

    def __init__(
        self, config: BuildConfig, cache_dir: Path | None, gate: GateConfig, workers: int
    ) -> None:
        self.workers = workers
        self._local = Worker(config, cache_dir, gate) if workers == 1 else None
        self._pool = (
            ProcessPoolExecutor(workers, initializer=_pool_init, initargs=(config, cache_dir, gate))
            if workers > 1
            else None
        )

    def run(self, items: Sequence[WorkItem], chunk: int = 32) -> Iterator[WorkResult]:
        """Results for ``items``, in the order of ``items``."""
        if self._local is not None:
            for item in items:
                yield self._local.do(item)
            return
        assert self._pool is not None
        chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
        for lines in self._pool.map(_pool_do, chunks):
            for line in lines:
                yield WorkResult.model_validate_json(line)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
