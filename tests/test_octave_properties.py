"""Property-based tests: generated documents round-trip; arbitrary input never crashes."""

from __future__ import annotations

import contextlib
import unicodedata
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from hestai_datagen.octave import (
    OctaveSyntaxError,
    check,
    emit,
    from_data,
    parse,
    to_data,
)
from hestai_datagen.octave.source import decode

SETTINGS = settings(max_examples=200, deadline=None)

keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True).filter(
    lambda k: k not in {"true", "false", "null", "vs", "OCTAVE"}
)
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=30)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
    st.sampled_from(["A→B→C", "X⊕Y", "HERMES:API", "§1", "1.2.3", "Speed⇌Quality", "a b"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=8)
documents = st.recursive(
    st.dictionaries(keys, values, max_size=4),
    lambda inner: st.dictionaries(keys, st.one_of(values, inner), max_size=4),
    max_leaves=12,
)


def _nfc(data: Any) -> Any:
    if isinstance(data, str):
        return unicodedata.normalize("NFC", data)
    if isinstance(data, dict):
        return {k: _nfc(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_nfc(v) for v in data]
    return data


@SETTINGS
@given(documents, st.sampled_from(["current", "2025"]))
@example({"A": "_VERSUS_", "B": "vs"}, "2025")  # operator words are written quoted
def test_generated_documents_round_trip(data: dict[str, Any], dialect: str) -> None:
    doc = from_data("DOC", data, dialect=dialect)  # type: ignore[arg-type]
    written = emit(doc)
    parsed = parse(written, strict=dialect == "current")
    assert to_data(parsed) == _nfc(data)
    assert emit(parsed) == written
    assert parse(emit(parsed)) == parsed


@SETTINGS
@given(documents, st.fixed_dictionaries({"TYPE": keys, "VERSION": st.just("1.0.0")}))
def test_generated_current_documents_are_strictly_valid(
    data: dict[str, Any], meta: dict[str, str]
) -> None:
    text = emit(from_data("DOC", {"META": meta, **data}))
    assert [d for d in check(text, strict=True) if d.severity == "error"] == []
    assert text.startswith("===DOC===\nMETA:\n  TYPE::")
    assert text.endswith("===END===\n")


@SETTINGS
@given(st.text(max_size=400), st.booleans())
def test_random_text_only_raises_syntax_errors(source: str, strict: bool) -> None:
    check(source, strict=strict)
    try:
        parse(source, strict=strict)
    except OctaveSyntaxError as exc:
        assert exc.diagnostics
        assert str(exc).startswith("<text>:")


@SETTINGS
@given(st.binary(max_size=300), st.booleans())
def test_random_bytes_only_raise_syntax_errors(data: bytes, strict: bool) -> None:
    try:
        source = decode(data)
    except OctaveSyntaxError as exc:
        assert exc.code == "E_ENCODING"
        return
    check(source, strict=strict)
    with contextlib.suppress(OctaveSyntaxError):
        parse(source, strict=strict)


FRAGMENTS = [
    "KEY::value",
    "  CHILD::[a, b]",
    "BLOCK:",
    "  NESTED:",
    '    DEEP::"q\\"s"',
    "// note",
    "---",
    "LIST::[",
    '  "x",  // c',
    "]",
    "§1::NAME",
    "#2::OTHER",
    "  X::A->B",
    'T::"""',
    "  text",
    '"""',
    "O::{{k:v, n:1}}",
    "- item",
    "  - sub",
    'GAP:CRITICAL::"g"',
    "P1::HERMES:MCP*",
    "0.DEF:",
    "R[->T]:",
    "```py",
    "code\there",
    "```",
    "A vs B::x",
    "prose line here",
    "K: v",
    "M::[a::1, b::[c]]",
    "E::",
    "\t",
    "Z::x  // trail",
    "",
    "N::-1.5e3",
    "F::true",
    "U::null",
    "W::Hello World",
    'H::["a"&REQ->#T]',
    "Q::x,y]",
    "V::[[a]",
    'S::"open',
    "===INNER===",
    "===END===",
    "X::$VAR",
    "Y::a@b~c|d",
]


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25), st.booleans())
def test_fragment_documents_are_stable(lines: list[str], closed: bool) -> None:
    source = "===DOC===\n" + "\n".join(lines) + ("\n===END===\n" if closed else "\n")
    check(source, strict=True)
    try:
        doc = parse(source)
    except OctaveSyntaxError:
        return
    first = emit(doc)
    again = parse(first)
    assert again == doc
    assert emit(again) == first
    assert to_data(again) == to_data(doc)
