"""``Document`` → canonical OCTAVE text, in the current dialect or the 2025 one.

Canonical form: two spaces per level, ``KEY::value`` without spaces around ``::``, lists as
``[a, b]``, operators glued to their operands (``A→B``; ``A vs B`` keeps its spaces), at most
one blank line between statements, comments kept (``KEY::v  // note``), multi-line lists one
item per line. The current dialect also writes Unicode operators (``->`` becomes ``→``),
``§`` for ``#``, ``===END===``, ordinary quoted strings for ``\"\"\"`` ones and ``[k::v]`` for
``{{k:v}}``. The 2025 dialect keeps operator spellings and the closing line as written.
"""

from __future__ import annotations

from hestai_datagen.octave.nodes import (
    WORD_OPERATORS,
    Assignment,
    Atom,
    Block,
    Comment,
    DashItem,
    Dialect,
    Document,
    Expr,
    InlineObject,
    ListValue,
    LiteralBlock,
    Operator,
    Pair,
    Quoted,
    RawLine,
    RawValue,
    Section,
    Separator,
    Statement,
    Value,
)

INDENT = "  "


def quote(text: str) -> str:
    """An ordinary ``"…"`` string with ``\\`` ``"`` newline and tab escaped."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def triple_inline_ok(text: str) -> bool:
    """Can ``text`` be written as ``\"\"\"text\"\"\"`` on one line and read back unchanged?"""
    return "\n" not in text and '"""' not in text and not text.endswith('"')


def triple_block_ok(text: str) -> bool:
    """Can ``text`` be written as an indented ``\"\"\"`` block and read back unchanged?"""
    if '"""' in text or "\r" in text:
        return False
    lines = text.split("\n")
    if any(line and not line.strip() for line in lines):
        return False
    indents = [len(line) - len(line.lstrip(" ")) for line in lines[1:] if line]
    first = lines[0]
    if first and first[0] == " " and not indents:
        return False
    return not indents or min(indents + ([0] if first else [])) == 0


def emit_value(value: Value, dialect: Dialect) -> str:
    """One-line text of a value."""
    if isinstance(value, Atom):
        return value.raw if dialect == "2025" and value.raw is not None else value.text
    if isinstance(value, Quoted):
        if value.triple and dialect == "2025" and triple_inline_ok(value.value):
            return f'"""{value.value}"""'
        return quote(value.value)
    if isinstance(value, Pair):
        return f"{value.key}::{emit_value(value.value, dialect)}"
    if isinstance(value, ListValue):
        return "[" + ", ".join(emit_value(i.value, dialect) for i in value.items) + "]"
    if isinstance(value, InlineObject):
        if dialect == "current":
            return "[" + ", ".join(emit_value(i.value, dialect) for i in value.items) + "]"
        return "{{" + ", ".join(_object_entry(i.value, dialect) for i in value.items) + "}}"
    if isinstance(value, Expr):
        return "".join(
            emit_operator(p, dialect) if isinstance(p, Operator) else emit_value(p, dialect)
            for p in value.parts
        )
    return value.text


def _object_entry(value: Value, dialect: Dialect) -> str:
    if isinstance(value, Pair):
        return f"{value.key}:{emit_value(value.value, dialect)}"
    return emit_value(value, dialect)


def emit_operator(op: Operator, dialect: Dialect) -> str:
    """An operator joint in the given dialect."""
    text = op.raw if dialect == "2025" and op.raw is not None else op.op
    return f" {text} " if text in WORD_OPERATORS else text


def _comment(text: str | None) -> str:
    return "" if text is None else f"  //{text}"


class _Writer:
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.out: list[str] = []

    def statements(self, nodes: list[Statement], depth: int) -> None:
        for node in nodes:
            self.statement(node, depth)

    def statement(self, node: Statement, depth: int) -> None:
        pad = INDENT * depth
        if node.trivia.blank_before:
            self.out.append("")
        if isinstance(node, Comment):
            self.out.append(f"{pad}//{node.text}")
        elif isinstance(node, Separator):
            self.out.append(f"{pad}---")
        elif isinstance(node, RawLine):
            self.out.append(f"{pad}{node.text}")
        elif isinstance(node, LiteralBlock):
            self.out.append(f"{pad}{node.fence}{node.info}")
            if node.content:
                self.out.extend(node.content.split("\n"))
            self.out.append(f"{pad}{node.fence}")
        elif isinstance(node, Section):
            marker = node.raw_marker if self.dialect == "2025" else "§"
            self.out.append(
                f"{pad}{marker}{node.number}::{node.name or ''}" + _comment(node.trivia.comment)
            )
            self.statements(node.children, depth if node.flat else depth + 1)
        elif isinstance(node, Block):
            target = f"[→{node.target}]" if node.target is not None else ""
            self.out.append(f"{pad}{node.key}{target}:" + _comment(node.trivia.comment))
            self.statements(node.children, depth + 1)
        elif isinstance(node, DashItem):
            self.out.append(
                f"{pad}- {emit_value(node.value, self.dialect)}" + _comment(node.trivia.comment)
            )
            self.statements(node.children, depth + 1)
        else:
            self.assignment(node, pad)
            self.statements(node.children, depth + 1)

    def assignment(self, node: Assignment, pad: str) -> None:
        head = f"{pad}{node.key}::"
        value = node.value
        note = _comment(node.trivia.comment)
        if value is None:
            self.out.append(head + note)
            return
        if (
            isinstance(value, Quoted)
            and value.triple
            and self.dialect == "2025"
            and not triple_inline_ok(value.value)
            and triple_block_ok(value.value)
        ):
            self.out.append(head + '"""')
            self.out.extend(f"{pad}{line}" if line else "" for line in value.value.split("\n"))
            self.out.append(f'{pad}"""' + note)
            return
        container, prefix = _trailing_container(value, self.dialect)
        if container is None:
            self.out.append(head + emit_value(value, self.dialect) + note)
            return
        as_list = isinstance(container, ListValue) or self.dialect == "current"
        opener, closer = ("[", "]") if as_list else ("{{", "}}")
        self.out.append(head + prefix + opener)
        last = len(container.items) - 1
        for index, item in enumerate(container.items):
            text = (
                emit_value(item.value, self.dialect)
                if as_list
                else _object_entry(item.value, self.dialect)
            )
            comma = "," if index < last else ""
            self.out.append(f"{pad}{INDENT}{text}{comma}" + _comment(item.comment))
        self.out.append(f"{pad}{closer}" + note)

    def document(self, doc: Document) -> str:
        if doc.front_matter is not None:
            self.out.extend(["---", *doc.front_matter.split("\n"), "---"])
        if doc.grammar_version is not None:
            self.out.append(f"OCTAVE::{doc.grammar_version}")
        self.out.extend(doc.preamble)
        dashes = self.dialect == "2025" and doc.envelope == "dashes"
        self.out.append(f"---{doc.name}---" if dashes else f"==={doc.name}===")
        self.statements(doc.body, 0)
        self.out.append(doc.end_marker if self.dialect == "2025" else "===END===")
        self.out.extend(doc.trailer)
        return "\n".join(self.out) + "\n"


def _trailing_container(
    value: Value, dialect: Dialect
) -> tuple[ListValue | InlineObject | None, str]:
    """The multi-line container ending the value (if any), and the text written before it."""
    if isinstance(value, ListValue | InlineObject) and value.multiline and value.items:
        return value, ""
    if isinstance(value, Expr):
        last = value.parts[-1]
        if isinstance(last, ListValue | InlineObject) and last.multiline and last.items:
            head = Expr(value.parts[:-1])
            return last, emit_value(head, dialect)
    return None, ""


def emit(doc: Document, *, dialect: Dialect | None = None) -> str:
    """Canonical text of ``doc``; ``dialect=None`` keeps the dialect it was parsed from."""
    return _Writer(dialect or doc.dialect).document(doc)


__all__ = ["RawValue", "emit", "emit_operator", "emit_value", "quote"]
