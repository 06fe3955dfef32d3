"""The build pipeline: spec + templates + config → checked examples → dataset folder.

Small steps, each in its own module and each with one job:

- ``inputs``: read and validate the spec, templates and vocabularies, and make the plan;
- ``work``: the deterministic schedule of work items ``(template, index)``, and the worker that
  renders one item and runs the per-row checks on it (on this process or on a pool);
- ``journal``: the record of finished work items that lets an interrupted build resume;
- ``admission``: takes work results in schedule order: duplicates, split placement, the writer;
- ``run``: drives the rounds until every template has its quota, then writes the folder.

Two tools reuse the worker's renderer: ``variety`` (how many distinct rows a template makes, for
its ``max_examples``) and ``provenance`` (re-render a stored row to prove it was not edited).

Determinism: example (template, k) is rendered from its own seeded generator; the admission order
is a fixed function of the seed and the plan; replacements for rejected rows are drawn from the
same template at the next indices. So output is byte-identical for any worker count, and for a
build resumed from its journal.
"""

from hestai_datagen.pipeline.admission import BuildResult
from hestai_datagen.pipeline.inputs import BuildInputs, prepare
from hestai_datagen.pipeline.run import FAILED_REJECTS_FILE, JOURNAL_FILE, Progress, run_build
from hestai_datagen.pipeline.work import Renderer, WorkItem, schedule_round

__all__ = [
    "FAILED_REJECTS_FILE",
    "JOURNAL_FILE",
    "BuildInputs",
    "BuildResult",
    "Progress",
    "Renderer",
    "WorkItem",
    "prepare",
    "run_build",
    "schedule_round",
]
