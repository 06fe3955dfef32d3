"""The Jinja environment templates render in: sandboxed, strict, with a few data filters.

Templates are untrusted input, so they render in Jinja's immutable sandbox (no attribute access
to Python internals, no mutation of the values they are given, no file or environment access)
with ``StrictUndefined`` (a missing variable is an error, never an empty string).
"""

from __future__ import annotations

from typing import Any

import orjson
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from hestai_datagen.scenarios.providers.mcp_recording import trace_filter


def to_json(value: Any) -> str:
    """Compact JSON text (UTF-8 kept, keys in insertion order)."""
    return orjson.dumps(value).decode()


def to_pretty_json(value: Any) -> str:
    """JSON text indented by two spaces."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()


def to_yaml(value: Any) -> str:
    """Block-style YAML, keys in insertion order."""
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100).rstrip("\n")


def capfirst(text: str) -> str:
    """The text with its first letter upper-cased and the rest kept (``capitalize`` lowers
    the rest: "the HESTAI gateway" would become "The hestai gateway")."""
    return text[:1].upper() + text[1:]


def to_python(value: Any) -> str:
    """A Python literal for plain data (dicts, lists, str, numbers, bool, None)."""
    return repr(value)


def new_environment() -> ImmutableSandboxedEnvironment:
    """A fresh sandboxed environment with the project's filters (one per loaded template set)."""
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        json=to_json,
        pretty_json=to_pretty_json,
        yaml=to_yaml,
        py=to_python,
        trace=trace_filter,
        capfirst=capfirst,
    )
    return env
