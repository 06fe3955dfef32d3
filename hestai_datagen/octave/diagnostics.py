"""Diagnostics as data, and the two error types of the OCTAVE package.

Codes follow the reference implementation (``octave-mcp``) where the same rule applies:
``E001`` single-colon assignment, ``E005`` tab or unexpected character, ``E006`` unterminated
literal zone, ``E007`` nested fence, ``E_UNBALANCED_BRACKET``, ``E_INVALID_ENVELOPE_ID``,
``E_UNQUOTED_TIMESTAMP``, ``E_NESTED_INLINE_MAP``. Codes of our own start ``E_``/``W_`` and
are listed in ``CODES``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from hestai_datagen.errors import HestaiError, SourceError

Severity = Literal["error", "warning"]

#: Every code this package reports, with a one-line meaning.
CODES: dict[str, str] = {
    "E001": "single colon used for assignment (use KEY::value)",
    "E005": "tab or unexpected character",
    "E006": "unterminated literal zone (``` fence never closed)",
    "E007": "nested literal zone fence",
    "E_UNBALANCED_BRACKET": "bracket without its partner",
    "E_INVALID_ENVELOPE_ID": "envelope name is not an identifier",
    "E_UNQUOTED_TIMESTAMP": "ISO 8601 timestamp must be quoted",
    "E_NESTED_INLINE_MAP": "inline map value is itself a map",
    "E_NO_ENVELOPE": "no ===NAME=== envelope line",
    "E_MISSING_END": "no closing ===END=== line",
    "E_UNTERMINATED_STRING": "triple-quoted string never closed",
    "E_ENCODING": "file is not UTF-8 text",
    "W_UNPARSED_LINE": "line kept verbatim: not a statement the parser understands",
    "W_UNBALANCED_BRACKET": "bracket never closed (lenient: line kept verbatim)",
    "W_TAB": "tab expanded to two spaces",
    "W_INDENT": "indentation is not a multiple of two spaces",
    "W_META": "META block missing or lacks TYPE/VERSION",
    "W_END_MARKER": "closing line is not exactly ===END===",
    "W_DUPLICATE_KEY": "key repeated in the same block",
    "W_DIALECT_2025": "construct of the 2025 dialect, not the current one",
}


class Diagnostic(BaseModel):
    """One finding at a 1-based ``line``/``column``."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    line: int
    column: int
    message: str
    hint: str | None = None

    def format(self, path: str | None = None, source_line: str | None = None) -> str:
        """``FILE:LINE:COL: CODE message`` plus the offending line and a caret under it."""
        where = f"{path or '<text>'}:{self.line}:{self.column}"
        out = f"{where}: {self.code} {self.message}"
        if self.hint:
            out += f"\n  hint: {self.hint}"
        if source_line is not None:
            shown = source_line.replace("\t", " ")
            caret_at = max(0, min(self.column - 1, len(shown)))
            out += f"\n  {shown}\n  {' ' * caret_at}^"
        return out


def format_all(diagnostics: Sequence[Diagnostic], text: str, path: str | None = None) -> str:
    """Render every diagnostic with its source line (lines looked up in ``text``)."""
    lines = text.split("\n")
    rendered = []
    for diag in diagnostics:
        src = lines[diag.line - 1].rstrip("\r") if 0 < diag.line <= len(lines) else None
        rendered.append(diag.format(path, src))
    return "\n".join(rendered)


class OctaveSyntaxError(SourceError):
    """Text that is not OCTAVE; ``str()`` is ``FILE:LINE:COL: CODE message`` of the first error."""

    def __init__(self, diagnostics: list[Diagnostic], *, path: str | None = None) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"] or diagnostics
        first = errors[0]
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        super().__init__(
            f"{first.code} {first.message}{more}",
            path=path or "<text>",
            line=first.line,
            column=first.column,
        )

    @property
    def code(self) -> str:
        """Code of the first error."""
        return next(d.code for d in self.diagnostics if d.severity == "error")


class OctavePathError(HestaiError):
    """A query path that names nothing in the document."""

    def __init__(self, path: str, missing: str, nearest: list[str]) -> None:
        self.path = path
        self.missing = missing
        self.nearest = nearest
        near = ", ".join(nearest) if nearest else "(none)"
        super().__init__(f"no key {missing!r} in path {path!r}; nearest keys: {near}")


class OctaveDataError(HestaiError):
    """Plain data that cannot be written as OCTAVE (bad key, unsupported value)."""
