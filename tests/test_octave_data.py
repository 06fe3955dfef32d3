"""to_data, from_data, query and locate."""

from __future__ import annotations

import pytest

from hestai_datagen.octave import (
    OctaveDataError,
    OctavePathError,
    check,
    emit,
    from_data,
    parse,
    query,
    to_data,
)

SPEC = """===S===
0.DEF:
  P1::CRITICAL
A.B:
  C::1
A:
  B::2
X::[k::v, n::1]
Y::[k::v, plain]
===END===
"""


def test_query_resolves_keys_with_dots_greedily() -> None:
    doc = parse(SPEC)
    assert query(doc, "0.DEF.P1") == "CRITICAL"
    assert query(doc, "A.B.C") == 1
    assert query(doc, "A.B") == {"C": 1}
    assert query(doc, "") == to_data(doc)


def test_inline_maps_become_dicts_only_when_all_items_are_pairs() -> None:
    doc = parse(SPEC)
    assert query(doc, "X") == {"k": "v", "n": 1}
    assert query(doc, "Y") == [{"k": "v"}, "plain"]
    assert query(doc, "Y.1") == "plain"


def test_query_error_names_path_and_nearest_keys() -> None:
    doc = parse(SPEC)
    with pytest.raises(OctavePathError) as info:
        query(doc, "0.DEF.P2")
    assert info.value.path == "0.DEF.P2"
    assert info.value.missing == "P2"
    assert "P1" in info.value.nearest
    assert "'0.DEF.P2'" in str(info.value)
    with pytest.raises(OctavePathError):
        doc.locate("NOPE")
    with pytest.raises(OctavePathError):
        query(doc, "Y.7")


def test_assignment_with_children_keeps_value_under_empty_key() -> None:
    doc = parse("===D===\nTIER::LOSSLESS\n  USE::audits\n===END===\n")
    assert to_data(doc) == {"TIER": {"": "LOSSLESS", "USE": "audits"}}


def test_from_data_writes_strict_current_text_with_meta_first() -> None:
    data = {
        "ROLE": {"NAME": "ATHENA", "FLOW": ["A→B→C"], "NOTE": "has spaces", "N": 3},
        "META": {"STATUS": "DRAFT", "VERSION": "1.0", "TYPE": "ROLE_CONFIG"},
        "EMPTY": {},
        "NOTHING": None,
        "TEXT": "line one\nline two",
        "NUMERIC_TEXT": "42",
    }
    text = emit(from_data("ROLE_DOC", data))
    assert text.startswith(
        '===ROLE_DOC===\nMETA:\n  TYPE::ROLE_CONFIG\n  VERSION::"1.0"\n  STATUS::DRAFT\n'
    )
    assert 'NOTE::"has spaces"' in text and "FLOW::[A→B→C]" in text
    assert 'NUMERIC_TEXT::"42"' in text and 'TEXT::"line one\\nline two"' in text
    assert [d for d in check(text, strict=True) if d.severity == "error"] == []
    assert to_data(parse(text, strict=True)) == {
        "META": {"TYPE": "ROLE_CONFIG", "VERSION": "1.0", "STATUS": "DRAFT"},
        **{k: v for k, v in data.items() if k != "META"},
    }


def test_from_data_2025_uses_triple_quotes_for_multiline_text() -> None:
    doc = from_data("D", {"EXAMPLE": "def f():\n    return 1"}, dialect="2025")
    text = emit(doc)
    assert 'EXAMPLE::"""\ndef f():\n    return 1\n"""' in text
    assert to_data(parse(text)) == {"EXAMPLE": "def f():\n    return 1"}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bad-name", {}),
        ("D", {"GAP:CRITICAL": 1}),
        ("D", {"K": float("nan")}),
        ("D", {"K": object()}),
        ("D", {"K": [{"a": 1, "b": 2}]}),
        ("D", {"K": [{"a": [1]}]}),
        ("D", {"K": "a\r\nb"}),
    ],
)
def test_from_data_rejects_what_octave_cannot_hold(name: str, data: dict[str, object]) -> None:
    with pytest.raises(OctaveDataError):
        from_data(name, data)


def test_meta_and_name_are_reachable() -> None:
    doc = parse('===N===\nMETA:\n  TYPE::T\n  VERSION::"2"\nK::v\n===END===\n')
    assert doc.name == "N"
    assert doc.meta == {"TYPE": "T", "VERSION": "2"}
    assert parse("===N===\nK::v\n===END===\n").meta == {}
