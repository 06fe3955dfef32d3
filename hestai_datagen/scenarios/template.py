"""Scenario templates: Jinja conversations stored as data, with metadata validated on load.

A template is one YAML file under ``templates/``::

    id: p1.lifecycle.client_code        # unique, lowercase dotted
    priority: P1                        # P1 | P2 | P3 | INTEGRATION
    covers: [SECTION_I:…SESSION_LIFECYCLE]  # spec elements it teaches
    weight: 1.0                         # share of its priority's rows, relative to its peers
    max_examples: 40                    # optional: rows it can make before it repeats itself
    output: chat                        # chat | tool_use | mcp_trace
    description: what the model learns
    slots: {request: requests.lifecycle, tool: tools.catalog}
    context: octave_task                # optional: a provider computing more variables
    context_args: {…}                   # optional: arguments for that provider
    tools: "{{ [tool.definition] | json }}"   # optional: the offered tools, as JSON
    messages:
      - {role: system, content: "…"}
      - {role: user, content: "…", if: "style == 'terse'"}
      - role: assistant
        content: "…"
        tool_calls: [{id: call_1, name: "{{ tool.name }}", arguments: "{{ args | json }}"}]
      - {role: tool, tool_call_id: call_1, content: "…"}

Every string is a Jinja template. Loading checks the metadata, compiles every string, and fails
with file and line on syntax errors, on variables that are neither slots nor provided by the
context provider, on slots whose vocabulary is missing, and on duplicate ids.

``max_examples`` is for templates whose variety is bounded (a handful of recorded traces behind a
long, mostly fixed answer): the plan never gives such a template more rows, so a build does not
spend its attempts on near duplicates. ``hestai-datagen templates variety ID`` measures it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jinja2 import Template, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hestai_datagen.errors import TemplateError
from hestai_datagen.scenarios.sandbox import new_environment
from hestai_datagen.scenarios.slots import SlotSpec
from hestai_datagen.scenarios.vocab import Vocabularies
from hestai_datagen.scenarios.yaml_source import Locations, YamlPath, load_yaml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*(\.[a-z0-9][a-z0-9_]*)+$")
BUILTIN_VARIABLES = frozenset({"index"})


class ToolCallSpec(BaseModel):
    """An assistant tool call in a template (every field is Jinja text)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    arguments: str


class MessageSpec(BaseModel):
    """One conversation turn in a template."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    role: Literal["system", "user", "assistant", "tool"]
    content: str
    tool_calls: list[ToolCallSpec] = Field(default_factory=list)
    tool_call_id: str | None = None
    when: str | None = Field(default=None, alias="if")


class TemplateMeta(BaseModel):
    """The metadata and text of a template as written in its file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    priority: Literal["P1", "P2", "P3", "INTEGRATION"]
    covers: list[str] = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)
    max_examples: int | None = Field(default=None, ge=1)
    output: Literal["chat", "tool_use", "mcp_trace"] = "chat"
    description: str = Field(min_length=1)
    slots: dict[str, SlotSpec] = Field(default_factory=dict)
    context: str | None = None
    context_args: dict[str, Any] = Field(default_factory=dict)
    tools: str = "[]"
    messages: list[MessageSpec] = Field(min_length=2)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("id must be lowercase dotted words such as 'p1.lifecycle.client'")
        return value


@dataclass(frozen=True)
class CompiledMessage:
    """A message spec with its Jinja strings compiled."""

    role: str
    content: Template
    tool_calls: tuple[tuple[Template, Template, Template], ...]
    tool_call_id: Template | None
    when: Template | None


@dataclass(frozen=True)
class ScenarioTemplate:
    """A loaded, validated, compiled template."""

    meta: TemplateMeta
    source: str
    sha256: str
    covers_line: int | None
    messages: tuple[CompiledMessage, ...]
    tools: Template

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def priority(self) -> str:
        return self.meta.priority

    @property
    def covers(self) -> list[str]:
        return self.meta.covers

    @property
    def weight(self) -> float:
        return self.meta.weight

    @property
    def max_examples(self) -> int | None:
        """How many distinct rows the template can make (``None``: more than any plan asks)."""
        return self.meta.max_examples


def _strings(meta: TemplateMeta) -> Iterator[tuple[YamlPath, str]]:
    yield ("tools",), meta.tools
    for i, message in enumerate(meta.messages):
        yield ("messages", i, "content"), message.content
        if message.when is not None:
            yield ("messages", i, "if"), "{{ " + message.when + " }}"
        if message.tool_call_id is not None:
            yield ("messages", i, "tool_call_id"), message.tool_call_id
        for j, call in enumerate(message.tool_calls):
            for field in ("id", "name", "arguments"):
                yield ("messages", i, "tool_calls", j, field), getattr(call, field)


def _compile(
    env: ImmutableSandboxedEnvironment, text: str, at: YamlPath, where: Locations
) -> tuple[Template, set[str]]:
    try:
        ast = env.parse(text)
    except TemplateSyntaxError as exc:
        line, column = where.of(at)
        # block scalars start on the line after their key
        offset = (line or 0) + (1 if "\n" in text else 0) + (exc.lineno or 1) - 1
        raise TemplateError(
            f"Jinja syntax error in {'.'.join(map(str, at))}: {exc.message}",
            path=where.path,
            line=offset if line else None,
            column=column if "\n" not in text else None,
        ) from None
    # Jinja reports a name ``{% set %}`` inside a branch as undeclared (it may be unset on the
    # other path); the template sets it, so it is not a missing slot. A use on a path where it is
    # unset still fails at render time (StrictUndefined), which the render tests catch.
    assigned = {name.name for name in ast.find_all(nodes.Name) if name.ctx == "store"}
    return env.from_string(ast), meta.find_undeclared_variables(ast) - assigned


def load_template(
    path: Path,
    vocabularies: Vocabularies,
    provided: Mapping[str | None, frozenset[str]],
    env: ImmutableSandboxedEnvironment | None = None,
) -> ScenarioTemplate:
    """Load and validate one template file.

    ``provided`` maps each context provider name (and ``None`` for no provider) to the variables
    it supplies.
    """
    env = env or new_environment()
    data, where = load_yaml(path, TemplateError)
    if not isinstance(data, dict):
        raise where.error((), "a template must be a YAML mapping", TemplateError)
    try:
        template_meta = TemplateMeta.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [p for p in first["loc"] if isinstance(p, str | int)]
        field = ".".join(str(p) for p in loc) or "template"
        raise where.error(loc, f"{field}: {first['msg']}", TemplateError) from None
    if template_meta.context not in provided:
        raise where.error(
            ("context",),
            f"unknown context provider {template_meta.context!r}"
            f" (known: {', '.join(sorted(p for p in provided if p))})",
            TemplateError,
        )
    for name, slot in template_meta.slots.items():
        problem = slot.problem(vocabularies)
        if problem:
            raise where.error(("slots", name), f"slot {name!r}: {problem}", TemplateError)
    known = (
        set(template_meta.slots)
        | provided[template_meta.context]
        | BUILTIN_VARIABLES
        | set(env.globals)
    )
    compiled: dict[YamlPath, Template] = {}
    for at, text in _strings(template_meta):
        template, names = _compile(env, text, at, where)
        unknown = sorted(names - known)
        if unknown:
            raise where.error(
                at,
                f"undefined variable {unknown[0]!r} in {'.'.join(map(str, at))}"
                f" (declare it under slots or use a context provider that supplies it)",
                TemplateError,
            )
        compiled[at] = template
    messages = tuple(
        CompiledMessage(
            role=m.role,
            content=compiled[("messages", i, "content")],
            tool_calls=tuple(
                tuple(
                    compiled[("messages", i, "tool_calls", j, f)]
                    for f in ("id", "name", "arguments")
                )  # type: ignore[misc]
                for j in range(len(m.tool_calls))
            ),
            tool_call_id=compiled.get(("messages", i, "tool_call_id")),
            when=compiled.get(("messages", i, "if")),
        )
        for i, m in enumerate(template_meta.messages)
    )
    return ScenarioTemplate(
        meta=template_meta,
        source=str(path),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        covers_line=where.of(("covers",))[0],
        messages=messages,
        tools=compiled[("tools",)],
    )


def load_templates(
    folder: Path,
    vocabularies: Vocabularies,
    provided: Mapping[str | None, frozenset[str]],
) -> list[ScenarioTemplate]:
    """Load every ``*.yaml`` template under ``folder`` (recursively), sorted by id."""
    if not folder.is_dir():
        raise TemplateError("template folder not found", path=folder)
    env = new_environment()
    seen: dict[str, str] = {}
    templates: list[ScenarioTemplate] = []
    for path in sorted(folder.rglob("*.yaml")):
        template = load_template(path, vocabularies, provided, env)
        if template.id in seen:
            _, where = load_yaml(path, TemplateError)
            raise where.error(
                ("id",),
                f"duplicate template id {template.id!r} (also in {seen[template.id]})",
                TemplateError,
            )
        seen[template.id] = str(path)
        templates.append(template)
    if not templates:
        raise TemplateError("no templates (*.yaml) found", path=folder)
    return sorted(templates, key=lambda t: t.id)


def template_hashes(templates: Sequence[ScenarioTemplate]) -> dict[str, str]:
    """sha256 of every template file, by template id."""
    return {t.id: t.sha256 for t in templates}
