"""Redis Streams commands in examples are well formed (argument grammar of the Redis docs).

Checked commands: ``XADD key [NOMKSTREAM] [KEEPREF|DELREF|ACKED] [IDMPAUTO p | IDMP p i]
[MAXLEN|MINID [=|~] threshold [LIMIT count]] <*|id> field value [field value ...]``,
``XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [CLAIM ms] [NOACK] STREAMS key... id...``,
``XREAD [COUNT n] [BLOCK ms] STREAMS key... id...``, ``XACK key group id...`` and ``XGROUP
CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER``. Lines of a ``redis``/``redis-cli`` block may
carry a prompt (``127.0.0.1:6379>``) and output lines, which are skipped; in shell blocks only
``redis-cli ... <command>`` lines are read.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator

_ID = re.compile(r"^\d+(?:-\d+)?$")
_XADD_ID = re.compile(r"^(?:\*|\d+-\d+|\d+-\*)$")
_INT = re.compile(r"^\d+$")
_PROMPT = re.compile(r"^\s*(?:[\w.\-]+:\d+(?:\[\d+\])?>|redis>|\$|>)\s*")
_CLI_OPTIONS_WITH_VALUE = frozenset(
    {"-h", "-p", "-a", "-n", "-u", "-s", "-r", "-i", "--user", "--pass", "--sni", "--cacert"}
)


def _is_id(token: str) -> bool:
    return bool(_ID.match(token))


def _check_xadd(args: list[str]) -> str | None:
    if not args:
        return "XADD needs a key"
    i = 1
    while i < len(args):
        word = args[i].upper()
        if word in {"NOMKSTREAM", "KEEPREF", "DELREF", "ACKED"}:
            i += 1
        elif word == "IDMPAUTO":
            i += 2
        elif word == "IDMP":
            i += 3
        elif word in {"MAXLEN", "MINID"}:
            i += 1
            if i < len(args) and args[i] in {"=", "~"}:
                i += 1
            if i >= len(args):
                return f"XADD {word} needs a threshold"
            threshold = args[i]
            if word == "MAXLEN" and not _INT.match(threshold):
                return f"XADD MAXLEN threshold {threshold!r} is not a non-negative integer"
            if word == "MINID" and not _is_id(threshold):
                return f"XADD MINID threshold {threshold!r} is not a stream id"
            i += 1
            if i < len(args) and args[i].upper() == "LIMIT":
                if i + 1 >= len(args) or not _INT.match(args[i + 1]):
                    return "XADD LIMIT needs a count"
                i += 2
        else:
            break
    if i >= len(args):
        return "XADD needs an id (* or ms-seq) and field value pairs"
    if not _XADD_ID.match(args[i]):
        return f"XADD id {args[i]!r} is neither * nor ms-seq"
    pairs = args[i + 1 :]
    if not pairs:
        return "XADD needs at least one field value pair"
    if len(pairs) % 2:
        return f"XADD has {len(pairs)} field/value arguments (an odd number: a value is missing)"
    return None


def _check_streams(command: str, args: list[str], allowed_ids: frozenset[str]) -> str | None:
    upper = [a.upper() for a in args]
    if "STREAMS" not in upper:
        return f"{command} needs STREAMS key... id..."
    tail = args[upper.index("STREAMS") + 1 :]
    if not tail or len(tail) % 2:
        return f"{command} STREAMS needs as many ids as keys ({len(tail)} arguments given)"
    for token in tail[len(tail) // 2 :]:
        if token not in allowed_ids and not _is_id(token):
            return f"{command} stream id {token!r} is not valid here"
    return None


def _check_options(
    command: str, options: list[str], with_value: set[str], flags: set[str]
) -> str | None:
    i = 0
    while i < len(options):
        word = options[i].upper()
        if word in with_value:
            if i + 1 >= len(options) or not _INT.match(options[i + 1]):
                return f"{command} {word} needs a non-negative integer"
            i += 2
        elif word in flags:
            i += 1
        else:
            return f"{command}: unexpected argument {options[i]!r}"
    return None


def _check_xreadgroup(args: list[str]) -> str | None:
    if len(args) < 3 or args[0].upper() != "GROUP":
        return "XREADGROUP needs GROUP group consumer first"
    upper = [a.upper() for a in args]
    end = upper.index("STREAMS") if "STREAMS" in upper else len(args)
    problem = _check_options("XREADGROUP", args[3:end], {"COUNT", "BLOCK", "CLAIM"}, {"NOACK"})
    return problem or _check_streams("XREADGROUP", args, frozenset({">"}))


def _check_xread(args: list[str]) -> str | None:
    upper = [a.upper() for a in args]
    end = upper.index("STREAMS") if "STREAMS" in upper else len(args)
    problem = _check_options("XREAD", args[:end], {"COUNT", "BLOCK"}, set())
    return problem or _check_streams("XREAD", args, frozenset({"$", "+"}))


def _check_xack(args: list[str]) -> str | None:
    if len(args) < 3:
        return "XACK needs key group id [id ...]"
    for token in args[2:]:
        if not _is_id(token):
            return f"XACK id {token!r} is not a stream id"
    return None


def _check_xgroup(args: list[str]) -> str | None:
    if not args:
        return "XGROUP needs a subcommand"
    sub, rest = args[0].upper(), args[1:]
    if sub in {"CREATE", "SETID"}:
        if len(rest) < 3:
            return f"XGROUP {sub} needs key group id"
        if rest[2] != "$" and not _is_id(rest[2]):
            return f"XGROUP {sub} id {rest[2]!r} is neither $ nor a stream id"
        flags = {"MKSTREAM"} if sub == "CREATE" else set()
        return _check_options(f"XGROUP {sub}", rest[3:], {"ENTRIESREAD"}, flags)
    expected = {"DESTROY": 2, "CREATECONSUMER": 3, "DELCONSUMER": 3, "HELP": 0}
    if sub not in expected:
        return f"XGROUP has no subcommand {args[0]!r}"
    if len(rest) != expected[sub]:
        return f"XGROUP {sub} takes {expected[sub]} arguments, got {len(rest)}"
    return None


VALIDATORS: dict[str, Callable[[list[str]], str | None]] = {
    "XADD": _check_xadd,
    "XREADGROUP": _check_xreadgroup,
    "XREAD": _check_xread,
    "XACK": _check_xack,
    "XGROUP": _check_xgroup,
}


def _strip_cli(tokens: list[str]) -> list[str] | None:
    """The command after ``redis-cli`` and its options, or None if the line is not redis-cli."""
    if not tokens or tokens[0] != "redis-cli":
        return None
    i = 1
    while i < len(tokens) and tokens[i].startswith("-"):
        i += 2 if tokens[i] in _CLI_OPTIONS_WITH_VALUE else 1
    return tokens[i:]


def commands(code: str, *, shell: bool) -> Iterator[tuple[int, str, list[str]]]:
    """``(line, COMMAND, args)`` per stream command of a block (``""``, [error]) on bad quoting."""
    for number, line in enumerate(code.split("\n"), start=1):
        text = line if shell else _PROMPT.sub("", line, count=1)
        if shell:
            text = re.sub(r"^\s*\$\s*", "", text)
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        first = text.split(None, 1)[0]
        if first.upper() not in VALIDATORS and first != "redis-cli":
            continue
        try:
            tokens = shlex.split(text, comments=False)
        except ValueError as exc:
            yield number, "", [str(exc)]
            continue
        cli = _strip_cli(tokens)
        if cli is not None:
            tokens = cli
        elif shell:
            continue
        if tokens and tokens[0].upper() in VALIDATORS:
            yield number, tokens[0].upper(), tokens[1:]


def command_problems(code: str, *, shell: bool = False) -> list[tuple[int, str]]:
    """``(line, problem)`` for every malformed stream command in a block."""
    problems = []
    for number, command, args in commands(code, shell=shell):
        if not command:
            problems.append((number, f"unbalanced quoting: {args[0]}"))
            continue
        problem = VALIDATORS[command](args)
        if problem:
            problems.append((number, problem))
    return problems
