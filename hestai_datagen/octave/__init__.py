"""The OCTAVE language: parse, check, emit, query and convert to/from plain data.

Two dialects are read: the 2025 one the user's spec is written in and the current one (spec
v6, reference implementation ``octave-mcp``). Lenient mode (the default) reads both; strict
mode adds the current dialect's rules and reports the reference's error codes.

>>> doc = parse("===DOC===\\nMETA:\\n  TYPE::X\\nFLOW::[A->B]\\n===END===\\n")
>>> query(doc, "FLOW")
['A→B']
"""

from __future__ import annotations

from hestai_datagen.octave.data import from_data, to_data
from hestai_datagen.octave.diagnostics import (
    CODES,
    Diagnostic,
    OctaveDataError,
    OctavePathError,
    OctaveSyntaxError,
    format_all,
)
from hestai_datagen.octave.emitter import emit
from hestai_datagen.octave.nodes import Dialect, Document
from hestai_datagen.octave.parser import normalize_text, parse_lines
from hestai_datagen.octave.query import locate, query
from hestai_datagen.octave.rules import tree_rules
from hestai_datagen.octave.strict import strict_lexical_errors

__all__ = [
    "CODES",
    "Diagnostic",
    "Dialect",
    "Document",
    "OctaveDataError",
    "OctavePathError",
    "OctaveSyntaxError",
    "check",
    "emit",
    "format_all",
    "from_data",
    "locate",
    "parse",
    "query",
    "to_data",
]


def _analyse(text: str, strict: bool) -> tuple[Document | None, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    lexical: list[Diagnostic] = []
    if strict:
        lexical = strict_lexical_errors(text[1:] if text.startswith("\ufeff") else text)
        diagnostics.extend(lexical)
    outcome = parse_lines(normalize_text(text), strict=strict)
    seen = {(d.code, d.line) for d in lexical}
    diagnostics.extend(
        d
        for d in outcome.diagnostics
        if (d.code, d.line) not in seen and not (strict and d.code == "W_TAB")
    )
    if strict and outcome.document is not None and not lexical:
        diagnostics.extend(tree_rules(outcome.document))
    diagnostics.sort(key=lambda d: (d.severity != "error", d.line, d.column))
    return outcome.document, diagnostics


def check(text: str, *, path: str | None = None, strict: bool = False) -> list[Diagnostic]:
    """Every diagnostic for ``text`` (errors first); never raises on bad input."""
    return _analyse(text, strict)[1]


def parse(text: str, *, path: str | None = None, strict: bool = False) -> Document:
    """Parse OCTAVE text; raises ``OctaveSyntaxError`` (with ``.diagnostics``) on errors."""
    document, diagnostics = _analyse(text, strict)
    if document is None or any(d.severity == "error" for d in diagnostics):
        raise OctaveSyntaxError(diagnostics, path=path)
    document.path = path
    return document
