"""Plain JSON-compatible data from a document, and documents built from plain data.

``to_data`` representation (stable, documented for the rest of the project):

* a block → ``dict`` of its children; a key repeated in one block → ``list`` of its values;
* ``KEY::value`` → the value; when such a line also has indented children, ``dict`` with the
  value under the empty key ``""`` beside the children;
* ``§N::NAME`` sections → key ``"§N::NAME"`` (``#`` written as ``§``) holding their children;
* numbers → ``int``/``float``; ``true``/``false`` → ``bool``; ``null`` → ``None``; bare words
  and quoted strings → ``str``; ``\"\"\"`` strings → ``str`` with common indentation removed;
  literal zones → their verbatim ``str`` content;
* lists → ``list``; a list (``[k::v, …]``) or ``{{k:v, …}}`` object made only of pairs →
  ``dict``; pairs mixed with plain items → single-key ``dict`` items in a ``list``;
* expressions (operators, several words, word+brackets such as ``A→B``, ``X⊕Y``,
  ``Hello World``, ``BREACHED[UPTIME, LATENCY]``) → one ``str``: their canonical
  current-dialect text (Unicode operators), so ``[INITIALIZE→LIST_TOOLS]`` gives
  ``["INITIALIZE→LIST_TOOLS"]``; a trailing ``*`` marker stays part of the text;
* ``- item`` lines of a block → ``list`` (under key ``"-"`` when the block also has keys);
* comments, separators and lines kept verbatim (``W_UNPARSED_LINE``) are not data.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from hestai_datagen.octave.diagnostics import OctaveDataError
from hestai_datagen.octave.emitter import emit_value, triple_block_ok
from hestai_datagen.octave.nodes import (
    Assignment,
    Atom,
    Block,
    DashItem,
    Dialect,
    Document,
    Expr,
    InlineObject,
    ListItem,
    ListValue,
    LiteralBlock,
    Pair,
    Quoted,
    RawValue,
    Section,
    Statement,
    Trivia,
    Value,
)
from hestai_datagen.octave.strict import strict_lexical_errors
from hestai_datagen.octave.values import LexError, parse_value

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED = frozenset({"true", "false", "null", "vs", "_VERSUS_", "OCTAVE"})  # read as non-strings


def value_data(value: Value | None) -> Any:
    """Plain data of one value node."""
    if value is None:
        return None
    if isinstance(value, Atom):
        if value.kind == "int":
            return int(value.text)
        if value.kind == "float":
            return float(value.text)
        if value.kind == "bool":
            return value.text == "true"
        if value.kind == "null":
            return None
        return value.text
    if isinstance(value, Quoted):
        return value.value
    if isinstance(value, Pair):
        return {value.key: value_data(value.value)}
    if isinstance(value, ListValue | InlineObject):
        return _items_data(value.items)
    if isinstance(value, Expr):
        return emit_value(value, "current")
    if isinstance(value, RawValue):
        return value.text
    raise TypeError(f"not a value node: {value!r}")


def _items_data(items: list[ListItem]) -> Any:
    if items and all(isinstance(item.value, Pair) for item in items):
        merged: dict[str, Any] = {}
        for item in items:
            assert isinstance(item.value, Pair)
            _add(merged, item.value.key, value_data(item.value.value))
        return _finish(merged)
    return [value_data(item.value) for item in items]


def _add(target: dict[str, Any], key: str, value: Any) -> None:
    """Insert ``key``; a repeated key collects its values into a list, in order."""
    if key not in target:
        target[key] = value
        return
    current = target[key]
    if isinstance(current, _Repeated):
        current.append(value)
    else:
        target[key] = _Repeated([current, value])


class _Repeated(list[Any]):
    """Marks a list made from a repeated key (so a third repeat appends, not nests)."""


def _finish(target: dict[str, Any]) -> dict[str, Any]:
    """Turn repeated-key collections into plain lists (children are already plain)."""
    for key, value in target.items():
        if isinstance(value, _Repeated):
            target[key] = list(value)
    return target


def statement_key(node: Statement) -> str | None:
    """The data key of a statement (``None`` for comments, separators, raw lines…)."""
    if isinstance(node, Assignment | Block):
        return node.key
    if isinstance(node, Section):
        return node.key
    return None


def node_data(node: Statement) -> Any:
    """Plain data of a keyed statement (its value, its children, or both)."""
    children = [
        c
        for c in _children(node)
        if statement_key(c) is not None or isinstance(c, DashItem | LiteralBlock)
    ]
    if isinstance(node, Assignment):
        if not children:
            if node.value is None:
                literal = [c for c in _children(node) if isinstance(c, LiteralBlock)]
                return literal[0].content if literal else None
            return value_data(node.value)
        data = block_data(children)
        if node.value is not None:
            if isinstance(data, dict):
                return {"": value_data(node.value), **data}
            return {"": value_data(node.value), "-": data}
        return data
    return block_data(children)


def _children(node: Statement) -> list[Statement]:
    if isinstance(node, Assignment | Block | Section | DashItem):
        return node.children
    return []


def block_data(children: list[Statement]) -> Any:
    """Plain data of a list of statements (a block's body or the document body)."""
    keyed = [c for c in children if statement_key(c) is not None]
    dashes = [c for c in children if isinstance(c, DashItem)]
    literals = [c for c in children if isinstance(c, LiteralBlock)]
    if not keyed and not dashes and len(literals) == 1:
        return literals[0].content
    out: dict[str, Any] = {}
    for child in keyed:
        key = statement_key(child)
        assert key is not None
        _add(out, key, node_data(child))
    items = [value_data(d.value) for d in dashes]
    if dashes and not keyed:
        return items
    if dashes:
        out["-"] = items
    return _finish(out)


def to_data(doc: Document) -> dict[str, Any]:
    """The document body as nested JSON-compatible data (``META`` included)."""
    data = block_data(doc.body)
    return data if isinstance(data, dict) else {"-": data}


def meta_data(doc: Document) -> dict[str, Any]:
    """Data of the first top-level ``META`` block (``{}`` when there is none)."""
    for node in doc.body:
        if isinstance(node, Block) and node.key == "META":
            data = node_data(node)
            return data if isinstance(data, dict) else {}
    return {}


# -- from_data ------------------------------------------------------------------------------


def _bare_ok(text: str) -> Value | None:
    """The parsed form of ``text`` when writing it bare reads back as the same string."""
    if not text or text in _RESERVED:
        return None
    if _KEY.fullmatch(text):
        return Atom(text, "word")
    if any(c.isspace() for c in text):
        return None
    if text[0] in "-+#" or '"' in text or "//" in text:
        return None
    try:
        value = parse_value(text, lambda off: (0, off))
    except LexError:
        return None
    if value is None or isinstance(value, ListValue | InlineObject | Pair):
        return None
    if isinstance(value, Expr) and any(
        isinstance(p, ListValue | InlineObject | Quoted) for p in value.parts
    ):
        return None
    if value_data(value) != text or emit_value(value, "current") != text:
        return None
    try:
        listed = parse_value(f"[{text}]", lambda off: (0, off))
    except LexError:
        return None
    if not isinstance(listed, ListValue) or value_data(listed) != [text]:
        return None
    if strict_lexical_errors(f"K::{text}\n"):
        return None
    return value


def _scalar(value: Any, dialect: Dialect, where: str) -> Value:
    if value is None:
        return Atom("null", "null")
    if isinstance(value, bool):
        return Atom("true" if value else "false", "bool")
    if isinstance(value, int):
        return Atom(str(value), "int")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise OctaveDataError(f"{where}: {value!r} cannot be written in OCTAVE")
        return Atom(repr(value), "float")
    if isinstance(value, str):
        if "\r" in value:
            raise OctaveDataError(f"{where}: carriage returns cannot be written in OCTAVE")
        value = unicodedata.normalize("NFC", value)
        bare = _bare_ok(value)
        if bare is not None:
            return bare
        if dialect == "2025" and "\n" in value and triple_block_ok(value):
            return Quoted(value, triple=True)
        return Quoted(value)
    if isinstance(value, list | tuple):
        return ListValue(
            [ListItem(_list_item(v, dialect, f"{where}[{i}]")) for i, v in enumerate(value)]
        )
    raise OctaveDataError(f"{where}: {type(value).__name__} values cannot be written in OCTAVE")


def _list_item(value: Any, dialect: Dialect, where: str) -> Value:
    if isinstance(value, Mapping):
        if len(value) != 1:
            raise OctaveDataError(f"{where}: a map inside a list must have exactly one key")
        ((key, inner),) = value.items()
        _check_key(key, where)
        if isinstance(inner, Mapping | list | tuple):
            raise OctaveDataError(f"{where}: inline map values must be atoms (use a block)")
        return Pair(key, _scalar(inner, dialect, f"{where}.{key}"))
    return _scalar(value, dialect, where)


def _check_key(key: object, where: str) -> str:
    if not isinstance(key, str) or not _KEY.fullmatch(key) or key in _RESERVED:
        raise OctaveDataError(
            f"{where}: key {key!r} is not an OCTAVE identifier ([A-Za-z_][A-Za-z0-9_]*)"
        )
    return key


def _statements(data: Mapping[str, Any], dialect: Dialect, where: str) -> list[Statement]:
    out: list[Statement] = []
    for key, value in data.items():
        path = f"{where}.{key}" if where else str(key)
        _check_key(key, path)
        if isinstance(value, Mapping):
            out.append(Block(key, _statements(value, dialect, path)))
        else:
            out.append(Assignment(key, _scalar(value, dialect, path), trivia=Trivia()))
    return out


def from_data(name: str, data: Mapping[str, Any], *, dialect: Dialect = "current") -> Document:
    """Build a document named ``name`` from plain data.

    ``META`` (if given) is written first, with ``TYPE`` and ``VERSION`` leading it. Strings are
    written bare when they read back as themselves under strict rules (``READY``, ``A→B``),
    quoted otherwise; in the 2025 dialect multi-line strings become ``\"\"\"`` blocks. Raises
    ``OctaveDataError`` for keys that are not identifiers and values OCTAVE cannot hold.
    """
    if not _KEY.fullmatch(name):
        raise OctaveDataError(f"envelope name {name!r} is not an identifier")
    if not isinstance(data, Mapping):
        raise OctaveDataError("document data must be a mapping")
    ordered = dict(data)
    if "META" in ordered:
        if not isinstance(ordered["META"], Mapping):
            raise OctaveDataError("META must be a mapping")
        meta = dict(ordered.pop("META"))
        first = {k: meta.pop(k) for k in ("TYPE", "VERSION") if k in meta}
        ordered = {"META": {**first, **meta}, **ordered}
    body = _statements(ordered, dialect, "")
    return Document(name=name, body=body, dialect=dialect)
