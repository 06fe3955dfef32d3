"""Text → ``Document``: envelope, statements, indentation, multi-line values.

The parser is line-oriented. It first finds the envelope (``===NAME===`` or the dash variant
``---NAME---``, after optional YAML front matter and a preamble) and the closing line (the last
``===END…===`` outside strings and fences), then reads one statement per logical line:
comments, ``---`` separators, section markers ``§N::NAME``, ``KEY::value``, ``KEY:`` blocks,
``- item`` lines and fenced literal zones. A value continues over following lines while a
bracket is open or a ``\"\"\"`` string is unterminated. Indentation builds the tree.

Lines it cannot structure are kept verbatim as ``RawLine`` with a ``W_UNPARSED_LINE`` warning,
so lenient mode reads every file of both dialects; only broken nesting (an unclosed bracket or
string or fence, a missing envelope or closing line) is an error. ``strict.py`` adds the
current dialect's lexical rules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from hestai_datagen.octave.diagnostics import Diagnostic, Severity
from hestai_datagen.octave.lexer import (
    LexError,
    bracket_balance,
    count_triple_quotes,
    split_comment,
)
from hestai_datagen.octave.nodes import (
    Assignment,
    Block,
    Comment,
    DashItem,
    Dialect,
    Document,
    EnvelopeStyle,
    Expr,
    InlineObject,
    ListValue,
    LiteralBlock,
    Quoted,
    RawLine,
    Section,
    Separator,
    Statement,
    Trivia,
    Value,
)
from hestai_datagen.octave.strict import FENCE
from hestai_datagen.octave.values import Locator, parse_value

_ENV = {
    "equals": re.compile(r"^===([^=\n]+)===$"),
    "dashes": re.compile(r"^---([^\s-][^\n]*?)---$"),
}
_END = {
    "equals": re.compile(r"^===(END[^=\n]*)===$"),
    "dashes": re.compile(r"^---(END[^\n]*?)---$"),
}
_SECTION = re.compile(r"^([§#])([^\s:§#\[\]\"]+)::([^\s\"\[\]]*)$")
_TARGET = re.compile(r"^(.+?)\[(?:→|->)(.*)\]$")
_SENTINEL = re.compile(r"^OCTAVE::(\S+)$")
_PARENTS = (Assignment, Block, Section, DashItem)


@dataclass(slots=True)
class _Fence:
    close: int
    ticks: str
    info: str
    indent: int


@dataclass(slots=True)
class ParseOutcome:
    """What the parser found: the document (``None`` without an envelope) and diagnostics."""

    document: Document | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def normalize_text(text: str) -> str:
    """Drop a BOM, turn CRLF into LF and apply Unicode NFC (as the reference does)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def dedent_lines(lines: list[str]) -> list[str]:
    """Remove the common leading spaces; whitespace-only lines become empty."""
    norm = [line if line.strip() else "" for line in lines]
    indents = [len(line) - len(line.lstrip(" ")) for line in norm if line]
    cut = min(indents, default=0)
    return [line[cut:] if line else "" for line in norm]


def _find_assign(code: str) -> int:
    """Index of the first ``::`` outside quotes and brackets (-1 when there is none)."""
    depth = 0
    i = 0
    n = len(code)
    while i < n:
        char = code[i]
        if char == "\\":
            i += 2
            continue
        if char == '"':
            j = i + 1
            while j < n and code[j] != '"':
                j += 2 if code[j] == "\\" else 1
            i = j + 1
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == ":" and depth == 0 and code.startswith("::", i):
            return i
        i += 1
    return -1


class _Reader:
    """Reads the lines of one document."""

    def __init__(self, lines: list[str], strict: bool) -> None:
        self.lines = lines
        self.strict = strict
        self.diagnostics: list[Diagnostic] = []
        self.fences: dict[int, _Fence] = {}

    def diag(
        self,
        code: str,
        severity: Severity,
        line: int,
        column: int,
        message: str,
        hint: str | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(
                code=code, severity=severity, line=line, column=column, message=message, hint=hint
            )
        )

    # -- envelope ---------------------------------------------------------------------------
    def read(self) -> Document | None:
        lines = self.lines
        start = 0
        front: str | None = None
        if lines and lines[0].strip() == "---":
            for k in range(1, len(lines)):
                if lines[k].strip() == "---":
                    front = "\n".join(lines[1:k])
                    start = k + 1
                    break
                if _ENV["equals"].match(lines[k].strip()):
                    break
        env_at = -1
        style: EnvelopeStyle = "equals"
        name = ""
        for idx in range(start, len(lines)):
            stripped = lines[idx].strip()
            for candidate in ("equals", "dashes"):
                match = _ENV[candidate].match(stripped)
                if match and not match.group(1).startswith("END"):
                    env_at, name = idx, match.group(1)
                    style = "equals" if candidate == "equals" else "dashes"
                    break
            if env_at >= 0:
                break
        if env_at < 0:
            self.diag(
                "E_NO_ENVELOPE",
                "error",
                1,
                1,
                "no ===NAME=== line opens the document",
                "start the document with ===NAME=== and end it with ===END===",
            )
            return None
        doc = Document(name=name, envelope=style, front_matter=front, line=env_at + 1)
        for idx in range(start, env_at):
            text = lines[idx].rstrip()
            sentinel = _SENTINEL.match(text.strip())
            if sentinel:
                doc.grammar_version = sentinel.group(1)
            elif text.strip():
                doc.preamble.append(text.strip())
                if not text.strip().startswith("//"):
                    self.diag(
                        "W_UNPARSED_LINE",
                        "warning",
                        idx + 1,
                        1,
                        "text before the envelope line is not part of the document",
                    )
        end_at = self.scan(env_at + 1, style)
        if end_at < 0:
            self.diag(
                "E_MISSING_END",
                "error",
                len(lines),
                1,
                "the document has no closing ===END=== line",
                "add ===END=== as last line",
            )
            end_at = len(lines)
        else:
            doc.end_marker = lines[end_at].strip()
            doc.trailer = [line.rstrip() for line in lines[end_at + 1 :]]
            while doc.trailer and not doc.trailer[-1]:
                doc.trailer.pop()
        doc.body = self.body(env_at + 1, end_at)
        return doc

    def scan(self, lo: int, style: EnvelopeStyle) -> int:
        """Find fences and the closing line (the last end marker outside strings and fences)."""
        lines = self.lines
        end_at = -1
        in_triple = False
        i = lo
        while i < len(lines):
            line = lines[i]
            if in_triple:
                if line.count('"""') % 2 == 1:
                    in_triple = False
                i += 1
                continue
            fence = FENCE.match(line)
            if fence:
                ticks = fence.group(3)
                close = i + 1
                while close < len(lines):
                    other = FENCE.match(lines[close])
                    if other and other.group(3) == ticks and not (other.group(4) or "").strip():
                        break
                    close += 1
                if close < len(lines):
                    info = (fence.group(4) or "").strip()
                    self.fences[i] = _Fence(close, ticks, info, len(fence.group(1)))
                    i = close + 1
                    continue
                self.diag(
                    "E006",
                    "error",
                    i + 1,
                    len(fence.group(1)) + 1,
                    f"unterminated literal zone: fence {ticks!r} is never closed",
                    f"add a closing {ticks} line",
                )
            code, _ = split_comment(line)
            if count_triple_quotes(code) % 2 == 1:
                in_triple = True
            elif _END[style].match(line.strip()):
                end_at = i
            i += 1
        return end_at

    # -- statements -------------------------------------------------------------------------
    def body(self, lo: int, hi: int) -> list[Statement]:
        records: list[tuple[int, Statement]] = []
        blank = False
        i = lo
        while i < hi:
            raw = self.lines[i]
            fence = self.fences.get(i)
            if fence is not None and fence.close < hi:
                content = "\n".join(self.lines[i + 1 : fence.close])
                node: Statement = LiteralBlock(
                    fence.ticks,
                    fence.info,
                    content,
                    Trivia(blank),
                    line=i + 1,
                    column=fence.indent + 1,
                )
                records.append((fence.indent, node))
                blank = False
                i = fence.close + 1
                continue
            if not raw.strip():
                blank = True
                i += 1
                continue
            if raw.startswith("\t") or raw.startswith(" \t"):
                lead = len(raw) - len(raw.lstrip(" \t"))
                self.diag(
                    "W_TAB",
                    "warning",
                    i + 1,
                    raw.index("\t") + 1,
                    "tab in indentation counted as two spaces",
                )
                raw = raw[:lead].replace("\t", "  ") + raw[lead:]
            indent = len(raw) - len(raw.lstrip(" "))
            node, i_next = self.statement(i, indent, raw[indent:].rstrip(), hi)
            node.trivia.blank_before = blank
            blank = False
            records.append((indent, node))
            i = i_next
        return _build_tree(records)

    def statement(self, i: int, indent: int, content: str, hi: int) -> tuple[Statement, int]:
        line, column = i + 1, indent + 1
        if content.startswith("//"):
            return Comment(content[2:].rstrip(), line=line, column=column), i + 1
        if content == "---":
            return Separator(line=line, column=column), i + 1
        code, comment = split_comment(content)
        code = code.rstrip()
        section = _SECTION.match(code)
        if section:
            return Section(
                section.group(2),
                section.group(3) or None,
                trivia=Trivia(comment=comment),
                raw_marker=section.group(1),
                line=line,
                column=column,
            ), i + 1
        if code.startswith("- ") or code == "-":
            value = self.single_value(code[1:].strip(), line, column + 2)
            if value is not None:
                return DashItem(
                    value, trivia=Trivia(comment=comment), line=line, column=column
                ), i + 1
        at = _find_assign(code)
        if at > 0 and not any(c.isspace() for c in code[:at]):
            return self.assignment(i, indent, code[:at], code[at + 2 :], comment, content, hi)
        if code.endswith(":") and not code.endswith("::") and len(code) > 1:
            key = code[:-1]
            if not any(c.isspace() for c in key):
                target = _TARGET.match(key)
                if target:
                    return Block(
                        target.group(1),
                        target=target.group(2),
                        trivia=Trivia(comment=comment),
                        line=line,
                        column=column,
                    ), i + 1
                return Block(key, trivia=Trivia(comment=comment), line=line, column=column), i + 1
        return self.raw(i, indent, content), i + 1

    def raw(self, i: int, indent: int, content: str, why: str | None = None) -> RawLine:
        self.diag(
            "W_UNPARSED_LINE",
            "warning",
            i + 1,
            indent + 1,
            why or "not a KEY::value, KEY: or comment line; kept verbatim",
        )
        return RawLine(content, line=i + 1, column=indent + 1)

    def single_value(self, text: str, line: int, column: int) -> Value | None:
        try:
            return parse_value(text, lambda off: (line, column + off))
        except LexError:
            return None

    def assignment(
        self,
        i: int,
        indent: int,
        key: str,
        value_text: str,
        comment: str | None,
        content: str,
        hi: int,
    ) -> tuple[Statement, int]:
        line = i + 1
        lead = len(value_text) - len(value_text.lstrip())
        text = value_text.strip()
        value_col = indent + len(key) + 3 + lead
        if text.startswith('"""') and count_triple_quotes(text) % 2 == 1:
            return self.triple(i, indent, key, text, value_col, hi)
        depth, low = bracket_balance(text)
        segments: list[tuple[str, int, int]] = [(text, line, value_col)]
        notes: list[tuple[int, str]] = [(line, comment)] if comment is not None else []
        j = i + 1
        while low >= 0 and depth > 0 and j < hi and j not in self.fences:
            raw = self.lines[j]
            stripped = raw.strip()
            code, note = split_comment(stripped)
            code = code.rstrip()
            delta, dip = bracket_balance(code)
            if depth + dip < 0:
                low = -1
            depth += delta
            segments.append((code, j + 1, len(raw) - len(raw.lstrip()) + 1))
            if note is not None:
                notes.append((j + 1, note))
            j += 1
        if depth > 0 and low >= 0:
            if self.strict:
                self.diag(
                    "E_UNBALANCED_BRACKET",
                    "error",
                    line,
                    value_col,
                    "an opening bracket is never closed",
                    "close it with ']' (or '}}')",
                )
            else:
                self.diag(
                    "W_UNBALANCED_BRACKET",
                    "warning",
                    line,
                    value_col,
                    "an opening bracket is never closed; line kept verbatim",
                    "close it with ']' (or '}}')",
                )
            return RawLine(content, line=line, column=indent + 1), i + 1
        if low < 0:
            return self.raw(i, indent, content, "value with a stray closing bracket"), i + 1
        joined = "\n".join(seg[0] for seg in segments)
        try:
            value = parse_value(joined, _locator(segments))
        except LexError as exc:
            return self.raw(i, indent, content, f"value not understood: {exc.message}"), i + 1
        trailing = _place_comments(value, notes, segments) if len(segments) > 1 else comment
        node = Assignment(key, value, trivia=Trivia(comment=trailing), line=line, column=indent + 1)
        return node, j

    def triple(
        self, i: int, indent: int, key: str, text: str, value_col: int, hi: int
    ) -> tuple[Statement, int]:
        j = i + 1
        while j < hi and '"""' not in self.lines[j]:
            j += 1
        if j >= hi:
            self.diag(
                "E_UNTERMINATED_STRING",
                "error",
                i + 1,
                value_col,
                "triple-quoted string is never closed",
                'end it with a """ line',
            )
            return self.raw(i, indent, self.lines[i].strip(), "unterminated string"), i + 1
        closing = self.lines[j]
        cut = closing.index('"""')
        before, after = closing[:cut], closing[cut + 3 :]
        body = self.lines[i + 1 : j] + ([before] if before.strip() else [])
        first = text[3:].rstrip()
        content = "\n".join(dedent_lines(body))
        if first.strip():
            content = first + ("\n" + content if body else "")
        code, comment = split_comment(after)
        if code.strip():
            self.diag(
                "W_UNPARSED_LINE",
                "warning",
                j + 1,
                cut + 4,
                'text after the closing """ is ignored',
            )
        value = Quoted(content, triple=True, line=i + 1, column=value_col)
        return Assignment(
            key, value, trivia=Trivia(comment=comment), line=i + 1, column=indent + 1
        ), j + 1


def _locator(segments: list[tuple[str, int, int]]) -> Locator:
    starts: list[int] = []
    offset = 0
    for code, _, _ in segments:
        starts.append(offset)
        offset += len(code) + 1

    def locate(off: int) -> tuple[int, int]:
        k = len(starts) - 1
        while k > 0 and starts[k] > off:
            k -= 1
        return segments[k][1], segments[k][2] + off - starts[k]

    return locate


def _place_comments(
    value: Value | None, notes: list[tuple[int, str]], segments: list[tuple[str, int, int]]
) -> str | None:
    """Attach comments of a multi-line value to list items; return the statement's comment."""
    container: ListValue | InlineObject | None = None
    if isinstance(value, ListValue | InlineObject):
        container = value
    elif isinstance(value, Expr) and isinstance(value.parts[-1], ListValue | InlineObject):
        container = value.parts[-1]
    statement_notes: list[str] = []
    last_line = segments[-1][1]
    closes_alone = segments[-1][0].lstrip().startswith(("]", "}}"))
    if container is None or not container.items:
        return " ".join(note for _, note in notes) if notes else None
    container.multiline = True
    for note_line, note in notes:
        if note_line == last_line and closes_alone:
            statement_notes.append(note)
            continue
        target = container.items[0]
        for item in container.items:
            if item.value.line <= note_line:
                target = item
        target.comment = note if target.comment is None else f"{target.comment} {note}"
    return " ".join(statement_notes) if statement_notes else None


def _build_tree(records: list[tuple[int, Statement]]) -> list[Statement]:
    root: list[Statement] = []
    stack: list[tuple[int, list[Statement]]] = [(-1, root)]
    for indent, node in records:
        while stack[-1][0] >= indent:
            stack.pop()
        stack[-1][1].append(node)
        if isinstance(node, _PARENTS):
            stack.append((indent, node.children))
    _flatten_sections(root)
    return root


def _flatten_sections(statements: list[Statement]) -> None:
    """A section with nothing but comments indented under it owns the lines that follow."""
    i = 0
    while i < len(statements):
        node = statements[i]
        if isinstance(node, _PARENTS):
            _flatten_sections(node.children)
        if isinstance(node, Section) and all(isinstance(c, Comment) for c in node.children):
            node.flat = True
            j = i + 1
            while j < len(statements) and not isinstance(statements[j], Section | Separator):
                j += 1
            node.children.extend(statements[i + 1 : j])
            del statements[i + 1 : j]
        i += 1


def parse_lines(text: str, *, strict: bool) -> ParseOutcome:
    """Parse normalized text into a document and its structural diagnostics."""
    reader = _Reader(text.split("\n"), strict)
    document = reader.read()
    if document is not None:
        document.dialect = detect_dialect(document)
    return ParseOutcome(document, reader.diagnostics)


def detect_dialect(doc: Document) -> Dialect:
    """``2025`` when the document uses anything the current dialect writes differently."""
    if doc.envelope == "dashes" or doc.end_marker != "===END===":
        return "2025"
    from hestai_datagen.octave.walk import iter_statements, iter_values

    for statement in iter_statements(doc.body):
        if isinstance(statement, DashItem):
            return "2025"
    for value in iter_values(doc.body):
        if isinstance(value, InlineObject) or (isinstance(value, Quoted) and value.triple):
            return "2025"
    return "current"
