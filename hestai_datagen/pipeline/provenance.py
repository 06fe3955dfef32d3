"""Provenance: a row is what its template renders for its seed and index, re-rendered and compared.

Every row's ``meta`` names its template (id and sha256), seed, index and generator version. When
the local templates hold that template with the same sha256, the row is rendered again through
the build's own code path (``pipeline.work.Renderer``, MCP traces from the recording cache) and
compared field by field with the stored row, so a hand edit anywhere in it is a
``provenance.mismatch`` naming the row and the first field that differs, even when the manifest
hashes were rewritten too, and in a loose JSONL file that has no manifest.

A row cannot be re-rendered faithfully when its template is absent or changed here, when another
generator version or MCP SDK made it, or (known only for a folder, from its manifest) when the spec
or a vocabulary it draws from changed since the build. Such rows are counted in one
``provenance.unverifiable`` warning, not errors. For a folder, the manifest also pins the seed, the
generator version and every template's hash: a row that disagrees with it is a mismatch.

Limits: a loose file has no record of the vocabularies and spec it was built from, so they are
taken to be the local ones; MCP traces re-recorded under other wire library versions than the
build's (the cache key holds them) may differ in their bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from hestai_datagen import __version__
from hestai_datagen.checks.base import CheckInfo, one_line
from hestai_datagen.checks.gate import CheckStats
from hestai_datagen.checks.validation import ValidationFailure
from hestai_datagen.dataset.manifest import MANIFEST_NAME, Manifest
from hestai_datagen.errors import HestaiError
from hestai_datagen.examples.model import Example
from hestai_datagen.pipeline.inputs import BuildInputs, prepare, sha256_of
from hestai_datagen.pipeline.work import Renderer
from hestai_datagen.scenarios.template import ScenarioTemplate
from hestai_datagen.spec import BuildConfig

MISMATCH_ID = "provenance.mismatch"
UNVERIFIABLE_ID = "provenance.unverifiable"
PROVENANCE_CHECKS = (
    CheckInfo(
        id=MISMATCH_ID,
        severity="error",
        description=(
            "The row is exactly what its template renders for its seed and index (re-rendered "
            "by the build's code), and agrees with the manifest's seed, version and template hash."
        ),
    ),
    CheckInfo(
        id=UNVERIFIABLE_ID,
        severity="warning",
        description=(
            "Rows that cannot be re-rendered here: template absent or changed, another generator "
            "or MCP SDK version, or the spec or a vocabulary changed since the build."
        ),
    ),
)
_CONTEXT = 30
_SHOWN_REASONS = 5


def _join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def first_difference(stored: Any, rendered: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """The first field (dotted path, ``messages.2.content``) where two JSON values differ, with
    both values there; ``None`` when they are equal. A list of another length differs at the
    list itself when its common items are equal."""
    if isinstance(stored, dict) and isinstance(rendered, dict):
        for key in [*stored, *(k for k in rendered if k not in stored)]:
            if key not in stored or key not in rendered:
                return _join(path, key), stored.get(key), rendered.get(key)
            found = first_difference(stored[key], rendered[key], _join(path, key))
            if found is not None:
                return found
        return None
    if isinstance(stored, list) and isinstance(rendered, list):
        for i, (a, b) in enumerate(zip(stored, rendered, strict=False)):
            found = first_difference(a, b, _join(path, i))
            if found is not None:
                return found
        if len(stored) != len(rendered):
            return path, f"{len(stored)} items", f"{len(rendered)} items"
        return None
    if type(stored) is type(rendered) and stored == rendered:
        return None
    return path, stored, rendered


def _excerpts(stored: Any, rendered: Any) -> tuple[str, str]:
    """Both values as short JSON; two strings are cut around the first character that differs."""
    if isinstance(stored, str) and isinstance(rendered, str):
        at = next(
            (i for i, (a, b) in enumerate(zip(stored, rendered, strict=False)) if a != b),
            min(len(stored), len(rendered)),
        )
        start = max(0, at - _CONTEXT)

        def cut(text: str) -> str:
            part = text[start : at + _CONTEXT]
            shown = orjson.dumps(part).decode()
            return ("…" if start else "") + shown + ("…" if at + _CONTEXT < len(text) else "")

        return cut(stored), cut(rendered)
    return (
        one_line(orjson.dumps(stored).decode(), 2 * _CONTEXT),
        one_line(orjson.dumps(rendered).decode(), 2 * _CONTEXT),
    )


def _message_index(path: str) -> int | None:
    parts = path.split(".")
    if len(parts) > 1 and parts[0] == "messages" and parts[1].isdigit():
        return int(parts[1])
    return None


class ProvenanceCheck:
    """Re-renders rows from their ``meta`` and compares them (a ``validate_rows`` observer).

    ``config`` gives the spec, templates and vocabularies to render from (its seed is replaced by
    each row's); ``manifest`` is the folder's, when there is one; ``sample`` re-renders only that
    many rows, the same ones every time (smallest sha256 of the row id), after the last row.
    """

    def __init__(
        self,
        config: BuildConfig,
        cache_dir: Path | None,
        *,
        manifest: Manifest | None = None,
        sample: int | None = None,
        where: str = "",
    ) -> None:
        if sample is not None and sample < 1:
            raise ValueError("sample must be at least 1")
        self._config = config
        self._cache_dir = cache_dir
        self._manifest = manifest
        self._sample = sample
        self._where = where
        self._renderers: dict[int, Renderer] = {}
        self._inputs: BuildInputs | None = None
        self._templates: dict[str, ScenarioTemplate] | None = None
        self._load_error: str | None = None
        self._spec_changed = False
        self._stale_vocab: frozenset[str] = frozenset()
        self._sdk: str | None = None
        self._sampled: list[tuple[int, int, str, Example]] = []
        self._seen = 0
        self._checked = 0
        self._mismatched = 0
        self._unverifiable: Counter[str] = Counter()
        self._unverifiable_template: dict[str, str] = {}

    def __call__(self, location: str, example: Example) -> list[ValidationFailure]:
        """Check one row now, or keep it for the sample; returns the mismatch found, if any."""
        self._seen += 1
        conflict = self._manifest_conflict(example)
        if conflict is not None:
            self._checked += 1
            return [self._mismatch(location, example, conflict)]
        reason = self._unverifiable_reason(example)
        if reason is not None:
            self._unverifiable[reason] += 1
            self._unverifiable_template.setdefault(reason, example.scenario)
            return []
        if self._sample is None:
            return self._compare(location, example)
        digest = hashlib.sha256(example.id.encode()).digest()
        entry = (-int.from_bytes(digest[:8], "big"), self._seen, location, example)
        if len(self._sampled) < self._sample:
            heapq.heappush(self._sampled, entry)
        else:
            heapq.heappushpop(self._sampled, entry)
        return []

    def finish(self) -> list[ValidationFailure]:
        """Re-render the sampled rows, and the ``provenance.unverifiable`` summary warning."""
        failures: list[ValidationFailure] = []
        for _, _, location, example in sorted(self._sampled, key=lambda entry: entry[1]):
            failures.extend(self._compare(location, example))
        self._sampled.clear()
        unverifiable = sum(self._unverifiable.values())
        if unverifiable:
            parts = [
                f"{n} {reason} (e.g. {self._unverifiable_template[reason]})"
                for reason, n in self._unverifiable.most_common(_SHOWN_REASONS)
            ]
            more = len(self._unverifiable) - len(parts)
            failures.append(
                ValidationFailure(
                    location=self._where,
                    row_id=None,
                    scenario=None,
                    check_id=UNVERIFIABLE_ID,
                    severity="warning",
                    reason=(
                        f"{unverifiable} of {self._seen} rows could not be re-rendered here: "
                        + "; ".join(parts)
                        + (f"; and {more} other reason(s)" if more > 0 else "")
                    ),
                )
            )
        return failures

    def check_stats(self) -> dict[str, CheckStats]:
        """Rows compared and mismatched; rows seen and unverifiable."""
        return {
            MISMATCH_ID: CheckStats(ran=self._checked, rejected=self._mismatched),
            UNVERIFIABLE_ID: CheckStats(ran=self._seen, warned=sum(self._unverifiable.values())),
        }

    def _manifest_conflict(self, example: Example) -> str | None:
        manifest = self._manifest
        if manifest is None:
            return None
        meta = example.meta
        if meta.seed != manifest.seed:
            return (
                f"meta.seed {meta.seed} is not the build's seed {manifest.seed} ({MANIFEST_NAME})"
            )
        if meta.generator_version != manifest.generator_version:
            return (
                f"meta.generator_version {meta.generator_version} is not the build's "
                f"{manifest.generator_version} ({MANIFEST_NAME})"
            )
        built = manifest.templates.get(example.scenario)
        if built is None:
            return f"template {example.scenario} is not one the build used ({MANIFEST_NAME})"
        if meta.template_hash != built:
            return (
                f"meta.template_hash is not the build's sha256 of {example.scenario} "
                f"({MANIFEST_NAME})"
            )
        return None

    def _unverifiable_reason(self, example: Example) -> str | None:
        meta = example.meta
        if meta.generator_version != __version__:
            return f"made by generator {meta.generator_version} (this is {__version__})"
        templates = self._local_templates()
        if isinstance(templates, str):
            return templates
        template = templates.get(example.scenario)
        if template is None:
            return "template not in the local templates"
        if template.sha256 != meta.template_hash:
            return "template changed since the build"
        if self._spec_changed:
            return "spec changed since the build"
        stale = self._stale_vocabulary(template)
        if stale is not None:
            return f"vocabulary {stale} changed since the build"
        if meta.mcp_sdk_version is not None and meta.mcp_sdk_version != self._sdk_version():
            return f"traces of MCP SDK {meta.mcp_sdk_version} (installed: {self._sdk_version()})"
        return None

    def _local_templates(self) -> dict[str, ScenarioTemplate] | str:
        """The local templates by id, or why they could not be loaded (loaded on first use; the
        MCP recordings are only made when a row is re-rendered)."""
        if self._templates is None and self._load_error is None:
            try:
                self._learn(prepare(self._config, None))
            except (HestaiError, OSError) as exc:  # prepare() lets a missing spec file through
                self._load_error = (
                    f"local templates could not be loaded ({one_line(str(exc), 160)})"
                )
        if self._templates is None:
            return self._load_error or "local templates could not be loaded"
        return self._templates

    def _learn(self, inputs: BuildInputs) -> None:
        """What the local inputs are, and (for a folder) how they differ from the build's."""
        self._inputs = inputs
        self._templates = {t.id: t for t in inputs.scenarios.templates}
        manifest = self._manifest
        if manifest is None:
            return
        self._spec_changed = sha256_of(inputs.config.spec) != manifest.spec.sha256
        built = {
            name.removeprefix("vocab/"): sha
            for name, sha in manifest.templates.items()
            if name.startswith("vocab/")
        }
        if built:  # a manifest that records no vocabulary cannot tell
            local = inputs.scenarios.vocabularies.hashes
            self._stale_vocab = frozenset(
                name for name in built.keys() | local.keys() if built.get(name) != local.get(name)
            )

    def _stale_vocabulary(self, template: ScenarioTemplate) -> str | None:
        """A changed vocabulary file the template may draw from (its context provider: any)."""
        if not self._stale_vocab:
            return None
        if template.meta.context is not None:
            return min(self._stale_vocab)
        used = {
            spec.vocab.partition(".")[0] + ".yaml"
            for spec in template.meta.slots.values()
            if spec.vocab is not None
        }
        stale = sorted(used & self._stale_vocab)
        return stale[0] if stale else None

    def _sdk_version(self) -> str:
        if self._sdk is None:
            from hestai_datagen.mcp_traces import sdk_version

            self._sdk = sdk_version()
        return self._sdk

    def _renderer(self, seed: int) -> Renderer:
        renderer = self._renderers.get(seed)
        if renderer is None:  # rows reach here only once the local inputs are loaded
            assert self._inputs is not None
            config = self._inputs.config.model_copy(update={"seed": seed})
            inputs = dataclasses.replace(self._inputs, config=config)
            renderer = Renderer(config, self._cache_dir, inputs=inputs)
            self._renderers[seed] = renderer
        return renderer

    def _compare(self, location: str, example: Example) -> list[ValidationFailure]:
        self._checked += 1
        meta = example.meta
        rendered = self._renderer(meta.seed).render((example.scenario, meta.index))
        if isinstance(rendered, str):
            reason = f"cannot be re-rendered from {example.scenario}#{meta.index}: {rendered}"
            return [self._mismatch(location, example, reason)]
        found = first_difference(example.model_dump(mode="json"), rendered.model_dump(mode="json"))
        if found is None:
            return []
        path, stored, fresh = found
        shown_stored, shown_fresh = _excerpts(stored, fresh)
        reason = (
            f"{path or '(row)'} differs from the re-rendered row: stored {shown_stored}, "
            f"re-rendered {shown_fresh}"
        )
        return [self._mismatch(location, example, reason, _message_index(path))]

    def _mismatch(
        self, location: str, example: Example, reason: str, message_index: int | None = None
    ) -> ValidationFailure:
        self._mismatched += 1
        return ValidationFailure(
            location=location,
            row_id=example.id,
            scenario=example.scenario,
            check_id=MISMATCH_ID,
            severity="error",
            reason=one_line(f"row {example.id}: {reason}"),
            message_index=message_index,
        )
