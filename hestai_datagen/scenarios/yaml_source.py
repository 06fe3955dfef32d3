"""YAML loading that remembers where every value came from, for errors that name file and line.

``load_yaml`` returns plain Python data plus a ``Locations`` index from a value's path (a tuple
of keys and list indexes) to its 1-based line and column, so callers can report
``FILE:LINE:COL: message`` for anything they reject after loading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hestai_datagen.errors import SourceError

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Locations:
    """Where each value of a loaded YAML document starts, by path."""

    path: str
    marks: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def of(self, at: Sequence[str | int]) -> tuple[int | None, int | None]:
        """Line and column of the value at ``at``, or of its nearest located parent."""
        key = tuple(at)
        while key:
            if key in self.marks:
                return self.marks[key]
            key = key[:-1]
        return self.marks.get((), (None, None))

    def error(
        self, at: Sequence[str | int], message: str, kind: type[SourceError] = SourceError
    ) -> SourceError:
        """An error of type ``kind`` located at the value ``at``."""
        line, column = self.of(at)
        return kind(message, path=self.path, line=line, column=column)


def _construct(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    at: YamlPath,
    marks: dict[YamlPath, tuple[int, int]],
) -> Any:
    marks[at] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if not isinstance(key, str | int | float | bool):
                raise SourceError(
                    "mapping keys must be plain scalars",
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                )
            name = str(key)
            if name in result:
                raise SourceError(
                    f"duplicate key {name!r}",
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                )
            result[name] = _construct(loader, value_node, (*at, name), marks)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*at, i), marks) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


def load_yaml(path: Path, kind: type[SourceError] = SourceError) -> tuple[Any, Locations]:
    """Load one YAML document safely, with the location of every value.

    Raises ``kind`` (a ``SourceError``) naming the file, line and column on any syntax error,
    on duplicate keys and on non-scalar keys.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise kind(f"cannot read: {exc.strerror or exc}", path=path) from None
    except UnicodeDecodeError as exc:
        raise kind(f"not UTF-8 text ({exc.reason})", path=path) from None
    marks: dict[YamlPath, tuple[int, int]] = {}
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = None if node is None else _construct(yaml.SafeLoader(""), node, (), marks)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise kind(
            f"invalid YAML: {problem}",
            path=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except SourceError as exc:
        raise kind(exc.message, path=path, line=exc.line, column=exc.column) from None
    return data, Locations(str(path), marks)
