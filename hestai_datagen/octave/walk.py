"""Generic traversal of statements and values."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hestai_datagen.octave.nodes import (
    Assignment,
    Block,
    DashItem,
    Expr,
    InlineObject,
    ListValue,
    Operator,
    Pair,
    Section,
    Statement,
    Value,
)


def children_of(node: Statement) -> list[Statement]:
    """The statements nested under ``node`` (empty for leaves)."""
    if isinstance(node, Assignment | Block | Section | DashItem):
        return node.children
    return []


def iter_statements(statements: Iterable[Statement]) -> Iterator[Statement]:
    """Every statement, depth first, in document order."""
    for node in statements:
        yield node
        yield from iter_statements(children_of(node))


def iter_value_tree(value: Value) -> Iterator[Value]:
    """``value`` and every value nested inside it."""
    yield value
    if isinstance(value, ListValue | InlineObject):
        for item in value.items:
            yield from iter_value_tree(item.value)
    elif isinstance(value, Pair):
        yield from iter_value_tree(value.value)
    elif isinstance(value, Expr):
        for part in value.parts:
            if not isinstance(part, Operator):
                yield from iter_value_tree(part)


def iter_values(statements: Iterable[Statement]) -> Iterator[Value]:
    """Every value in the statements, nested values included."""
    for node in iter_statements(statements):
        if isinstance(node, DashItem):
            yield from iter_value_tree(node.value)
        if isinstance(node, Assignment) and node.value is not None:
            yield from iter_value_tree(node.value)
