"""Rendering one example: (template, seed, index) → ``Example``, the same on any worker.

The random generator of an example is seeded from sha256(seed, template id, index), so any
example can be made alone, in any order, and is the same every time.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping
from functools import partial
from typing import Any

import orjson
from jinja2 import Template
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError, UndefinedError
from pydantic import ValidationError

from hestai_datagen import __version__
from hestai_datagen.errors import TemplateError
from hestai_datagen.examples.model import Example, ExampleMeta, FunctionCall, Message, ToolCall
from hestai_datagen.scenarios.providers.base import ContextProvider, ProviderInput, Resources
from hestai_datagen.scenarios.slots import Cycle, label
from hestai_datagen.scenarios.template import ScenarioTemplate

_BLANK_RUNS = re.compile(r"\n{3,}")


def example_rng(seed: int, template_id: str, index: int) -> random.Random:
    """The random generator of one example."""
    digest = hashlib.sha256(f"{seed}\x1f{template_id}\x1f{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def example_id(seed: int, template_id: str, index: int) -> str:
    """The row id: readable, unique within a build."""
    return f"{template_id}/{seed}/{index}"


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines))


def _render(template: Template, context: Mapping[str, Any], where: str, source: str) -> str:
    try:
        return template.render(context)
    except (UndefinedError, SecurityError, JinjaTemplateError, TypeError, ValueError) as exc:
        raise TemplateError(f"cannot render {where}: {exc}", path=source) from None


def _canonical_arguments(text: str, where: str, source: str) -> str:
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise TemplateError(f"{where} is not JSON: {exc}", path=source) from None
    return orjson.dumps(value).decode()


def render_example(
    template: ScenarioTemplate,
    *,
    seed: int,
    index: int,
    domain: str,
    providers: Mapping[str, ContextProvider],
    resources: Resources,
) -> Example:
    """Render example ``index`` of ``template``; ``TemplateError`` names the template file."""
    rng = example_rng(seed, template.id, index)
    cycle = Cycle(f"{seed}\x1f{template.id}", index)
    slots = {
        name: spec.sample(rng, resources.vocabularies, partial(cycle.pick, name))
        for name, spec in template.meta.slots.items()
    }
    context: dict[str, Any] = {**slots, "index": index}
    trace: list[Any] = []
    sdk_version: str | None = None
    if template.meta.context is not None:
        provider = providers[template.meta.context]
        output = provider(
            ProviderInput(rng, slots, template.meta.context_args, resources, cycle.pick)
        )
        context.update(output.variables)
        trace = list(output.trace)
        sdk_version = output.sdk_version
    source = template.source
    messages: list[Message] = []
    for i, spec in enumerate(template.messages):
        where = f"messages[{i}]"
        if spec.when is not None and _render(spec.when, context, where + ".if", source) in (
            "False",
            "",
            "None",
            "0",
        ):
            continue
        calls = [
            ToolCall(
                id=_render(call_id, context, where, source).strip(),
                function=FunctionCall(
                    name=_render(name, context, where, source).strip(),
                    arguments=_canonical_arguments(
                        _render(args, context, where, source), f"{where}.arguments", source
                    ),
                ),
            )
            for call_id, name, args in spec.tool_calls
        ]
        call_id = (
            _render(spec.tool_call_id, context, where, source).strip()
            if spec.tool_call_id is not None
            else None
        )
        messages.append(
            Message(
                role=spec.role,  # type: ignore[arg-type]
                content=_tidy(_render(spec.content, context, where, source)),
                tool_calls=calls,
                tool_call_id=call_id,
            )
        )
    tools = _canonical_arguments(_render(template.tools, context, "tools", source), "tools", source)
    slot_labels = orjson.dumps({k: label(v) for k, v in slots.items()}, option=orjson.OPT_SORT_KEYS)
    instance = hashlib.sha256(template.id.encode() + b"\x1f" + slot_labels).hexdigest()[:16]
    try:
        return Example(
            id=example_id(seed, template.id, index),
            priority=template.meta.priority,
            domain=domain,
            scenario=template.id,
            spec_refs=list(template.covers),
            messages=messages,
            tools=tools,
            trace=trace,
            meta=ExampleMeta(
                template_hash=template.sha256,
                seed=seed,
                index=index,
                generator_version=__version__,
                instance=instance,
                slots=slot_labels.decode(),
                mcp_sdk_version=sdk_version,
            ),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(p) for p in first["loc"])
        raise TemplateError(
            f"example {index} is not a valid row: {at}: {first['msg']}", path=source
        ) from None
