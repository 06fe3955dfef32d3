"""Strict-mode rules checked on the parsed tree (after the lexical scan has passed).

``E_NESTED_INLINE_MAP`` is an error, as in the reference. Other current-dialect expectations
the reference only warns about (or ignores) are warnings here, so strict verdicts agree with
``octave-mcp``: ``W_META`` (META with TYPE and VERSION), ``W_END_MARKER``, ``W_INDENT``,
``W_DUPLICATE_KEY`` and ``W_DIALECT_2025``.
"""

from __future__ import annotations

from hestai_datagen.octave.data import statement_key
from hestai_datagen.octave.diagnostics import Diagnostic, Severity
from hestai_datagen.octave.nodes import (
    Assignment,
    Block,
    Document,
    ListValue,
    Pair,
    Quoted,
    Statement,
    Value,
)
from hestai_datagen.octave.walk import children_of, iter_statements, iter_value_tree


def _diag(
    code: str, severity: Severity, line: int, column: int, message: str, hint: str | None = None
) -> Diagnostic:
    return Diagnostic(
        code=code,
        severity=severity,
        line=max(line, 1),
        column=max(column, 1),
        message=message,
        hint=hint,
    )


def _list_has_pair(value: ListValue) -> bool:
    for item in value.items:
        if isinstance(item.value, Pair):
            return True
        if isinstance(item.value, ListValue) and _list_has_pair(item.value):
            return True
    return False


def _nested_maps(value: Value, out: list[Diagnostic]) -> None:
    for node in iter_value_tree(value):
        if (
            isinstance(node, Pair)
            and isinstance(node.value, ListValue)
            and _list_has_pair(node.value)
        ):
            out.append(
                _diag(
                    "E_NESTED_INLINE_MAP",
                    "error",
                    node.line,
                    node.column,
                    f"inline map value of {node.key!r} contains an inline map",
                    f"use a block: {node.key.upper()}: with indented KEY::value lines",
                )
            )


def _duplicates(level: list[Statement], out: list[Diagnostic]) -> None:
    seen: set[str] = set()
    for node in level:
        key = statement_key(node)
        if key is not None and isinstance(node, Assignment | Block):
            if key in seen:
                out.append(
                    _diag(
                        "W_DUPLICATE_KEY",
                        "warning",
                        node.line,
                        node.column,
                        f"key {key!r} appears more than once in this block",
                    )
                )
            seen.add(key)
        _duplicates(children_of(node), out)


def tree_rules(doc: Document) -> list[Diagnostic]:
    """Strict-mode findings on a parsed document."""
    out: list[Diagnostic] = []
    first = next((n for n in doc.body if statement_key(n) is not None), None)
    if not (isinstance(first, Block) and first.key == "META"):
        out.append(
            _diag(
                "W_META",
                "warning",
                doc.line,
                1,
                "the document should start with a META block",
                "add META: with TYPE:: and VERSION:: after the envelope line",
            )
        )
    else:
        keys = {statement_key(c) for c in first.children}
        for needed in ("TYPE", "VERSION"):
            if needed not in keys:
                out.append(
                    _diag(
                        "W_META",
                        "warning",
                        first.line,
                        first.column,
                        f"META has no {needed}",
                        f"add {needed}::… to META",
                    )
                )
    if doc.envelope == "dashes":
        out.append(
            _diag(
                "W_DIALECT_2025",
                "warning",
                doc.line,
                1,
                "---NAME--- envelopes are a 2025 variant; the current one is ===NAME===",
            )
        )
    if doc.end_marker != "===END===":
        out.append(
            _diag(
                "W_END_MARKER",
                "warning",
                doc.line,
                1,
                f"closing line is {doc.end_marker!r}, expected ===END===",
            )
        )
    for node in iter_statements(doc.body):
        if (node.column - 1) % 2:
            out.append(
                _diag(
                    "W_INDENT",
                    "warning",
                    node.line,
                    node.column,
                    "indentation is not a multiple of two spaces",
                )
            )
        if isinstance(node, Assignment) and node.value is not None:
            _nested_maps(node.value, out)
            if isinstance(node.value, Quoted) and node.value.triple:
                out.append(
                    _diag(
                        "W_DIALECT_2025",
                        "warning",
                        node.line,
                        node.column,
                        "triple-quoted strings are a 2025 construct",
                        "use a ``` literal zone or a quoted string with \\n",
                    )
                )
    _duplicates(doc.body, out)
    return out
