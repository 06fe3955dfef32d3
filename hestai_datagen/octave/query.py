"""Dotted-path access to a document: ``query`` (data) and ``locate`` (source position).

A path is ``.``-separated key segments. Keys may themselves contain ``.`` (``0.DEF``) or ``:``
(``SECTION_I:MCP_PROTOCOL_MASTERY``), so each step matches the longest run of segments that
names an existing key. A number selects from a list (``REQUIRED.1`` is the second of a
repeated key). ``§N`` also finds the section ``§N::NAME``.
"""

from __future__ import annotations

import difflib
from typing import Any

from hestai_datagen.octave.data import statement_key, to_data
from hestai_datagen.octave.diagnostics import OctavePathError
from hestai_datagen.octave.nodes import Document, Statement
from hestai_datagen.octave.walk import children_of


def _match(keys: list[str], segments: list[str]) -> tuple[str, int] | None:
    """The key spelled by the longest prefix of ``segments``, and how many segments it used."""
    known = set(keys)
    for used in range(len(segments), 0, -1):
        candidate = ".".join(segments[:used])
        if candidate in known:
            return candidate, used
        if candidate[:1] in "§#":
            section = "§" + candidate[1:] + "::"
            for key in keys:
                if key.startswith(section):
                    return key, used
    return None


def _fail(path: str, segments: list[str], keys: list[str]) -> OctavePathError:
    missing = segments[0] if segments else ""
    nearest = difflib.get_close_matches(missing, keys, n=5, cutoff=0.4) or keys[:5]
    return OctavePathError(path, missing, nearest)


def _split(path: str) -> list[str]:
    return [seg for seg in path.strip(".").split(".")] if path.strip(".") else []


def query(doc: Document, path: str) -> Any:
    """The JSON-compatible value at ``path`` (``""`` is the whole data)."""
    current: Any = to_data(doc)
    segments = _split(path)
    while segments:
        if isinstance(current, dict):
            keys = [str(k) for k in current]
            found = _match(keys, segments)
            if found is None:
                raise _fail(path, segments, keys)
            current = current[found[0]]
            segments = segments[found[1] :]
        elif isinstance(current, list) and segments[0].isdigit():
            index = int(segments[0])
            if index >= len(current):
                raise _fail(path, segments, [str(i) for i in range(len(current))])
            current = current[index]
            segments = segments[1:]
        else:
            raise _fail(path, segments, [])
    return current


def locate(doc: Document, path: str) -> tuple[int, int]:
    """1-based ``(line, column)`` of the statement at ``path`` (the envelope line for ``""``)."""
    level: list[Statement] = doc.body
    segments = _split(path)
    position = (doc.line, 1)
    while segments:
        keyed = [(statement_key(node), node) for node in level]
        keys = [key for key, _ in keyed if key is not None]
        found = _match(keys, segments)
        if found is None:
            raise _fail(path, segments, list(dict.fromkeys(keys)))
        key, used = found
        segments = segments[used:]
        matches = [node for k, node in keyed if k == key]
        node = matches[0]
        if len(matches) > 1 and segments and segments[0].isdigit():
            index = int(segments[0])
            if index >= len(matches):
                raise _fail(path, segments, [str(i) for i in range(len(matches))])
            node = matches[index]
            segments = segments[1:]
        position = (node.line, node.column)
        level = children_of(node)
        if segments and not level:
            return position if segments[0].isdigit() else _raise(path, segments)
    return position


def _raise(path: str, segments: list[str]) -> tuple[int, int]:
    raise _fail(path, segments, [])
