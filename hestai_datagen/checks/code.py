"""Code checks: every fenced code block is checked by its language.

python → ``ast.parse`` and no blocking call inside ``async def``; yaml → the safe loader
(and, for a compose file, the compose rules); json → parses (jsonl: each line); octave → the
project's OCTAVE parser (strict for the current dialect, lenient for the user's 2025 dialect);
redis / redis-cli (and ``redis-cli`` lines of shell blocks) → stream command grammar. Blocks in
other languages are ignored. Only blocks the model learns to write are checked (assistant and
system turns); a block flagged ``anti-pattern`` skips the semantic checks, one flagged
``invalid`` every language check (see ``fences``). Every block, in any turn, must be closed.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, cast

import orjson
import yaml

from hestai_datagen.checks import code_compose, code_python, code_redis
from hestai_datagen.checks.base import Check, Finding
from hestai_datagen.checks.cache import BoundedCache, LastRowMemo
from hestai_datagen.checks.fences import CodeBlock
from hestai_datagen.checks.fences import code_blocks as _all_blocks
from hestai_datagen.examples.model import Example

PYTHON = frozenset({"python", "py", "python3"})
YAML = frozenset({"yaml", "yml"})
JSON = frozenset({"json"})
JSONL = frozenset({"jsonl", "ndjson"})
OCTAVE = frozenset({"octave", "oct"})
REDIS = frozenset({"redis", "redis-cli"})
SHELL = frozenset({"bash", "sh", "shell", "console", "zsh"})


class Blocks:
    """The fenced blocks of a row, extracted once for all code checks that run on it."""

    def __init__(self) -> None:
        self._memo: LastRowMemo[list[CodeBlock]] = LastRowMemo(lambda e: list(_all_blocks(e)))

    def of(self, example: Example, languages: frozenset[str] | None = None) -> list[CodeBlock]:
        """The row's blocks; with ``languages``, only the checked blocks in those languages
        (closed, in assistant/system turns, not marked ``invalid``: see ``fences``)."""
        blocks = self._memo.get(example)
        if languages is None:
            return blocks
        return [b for b in blocks if b.checked and b.language in languages]


class _CodeCheck(Check):
    def __init__(self, blocks: Blocks | None = None) -> None:
        self._blocks = blocks or Blocks()

    def blocks(self, example: Example, languages: frozenset[str] | None = None) -> list[CodeBlock]:
        """The row's fenced blocks (in ``languages`` if given)."""
        return self._blocks.of(example, languages)


class FencesClosed(_CodeCheck):
    id = "code.fence_closed"
    description = "Every fenced code block is closed."

    def run(self, example: Example) -> list[Finding]:
        return [
            self.finding(f"{block.where()} is never closed", block.message_index)
            for block in self.blocks(example)
            if not block.closed
        ]


class PythonParses(_CodeCheck):
    id = "code.python_parses"
    description = "Python blocks parse (ast.parse)."

    def run(self, example: Example) -> list[Finding]:
        findings = []
        for block in self.blocks(example, PYTHON):
            try:
                ast.parse(block.code)
            except SyntaxError as exc:
                findings.append(
                    self.finding(
                        f"{block.where()}: line {exc.lineno}: {exc.msg}", block.message_index
                    )
                )
        return findings


class PythonAsyncNotBlocking(_CodeCheck):
    id = "code.python_async_blocking"
    description = (
        "No blocking call (time.sleep, requests, urllib, sync DB drivers, subprocess.run...) "
        "inside async def."
    )

    def run(self, example: Example) -> list[Finding]:
        findings = []
        for block in self.blocks(example, PYTHON):
            if block.anti_pattern or "async" not in block.code:
                continue
            try:
                tree = ast.parse(block.code)
            except SyntaxError:
                continue  # code.python_parses reports it
            for call in code_python.blocking_calls(tree):
                findings.append(
                    self.finding(
                        f"{block.where()}: line {call.line}: {call.name}() blocks the event loop "
                        f"inside async def {call.function}; {call.advice}",
                        block.message_index,
                    )
                )
        return findings


_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlDocuments:
    """Parses YAML blocks with the safe loader (libyaml's when present), once per block text."""

    def __init__(self) -> None:
        self._cache: BoundedCache[str, list[Any] | yaml.YAMLError] = BoundedCache()

    def load(self, code: str) -> list[Any] | yaml.YAMLError:
        """The documents of a block, or the error that stopped the loader."""
        return self._cache.get(code, lambda: self._load(code))

    @staticmethod
    def _load(code: str) -> list[Any] | yaml.YAMLError:
        try:
            return list(yaml.load_all(code, Loader=_YAML_LOADER))
        except yaml.YAMLError as exc:
            return exc


class YamlParses(_CodeCheck):
    id = "code.yaml_parses"
    description = "YAML blocks parse with the safe loader (yaml.safe_load)."

    def __init__(
        self, blocks: Blocks | None = None, documents: YamlDocuments | None = None
    ) -> None:
        super().__init__(blocks)
        self._documents = documents or YamlDocuments()

    def run(self, example: Example) -> list[Finding]:
        findings = []
        for block in self.blocks(example, YAML):
            loaded = self._documents.load(block.code)
            if isinstance(loaded, yaml.YAMLError):
                findings.append(self.finding(f"{block.where()}: {loaded}", block.message_index))
        return findings


class _ComposeCheck(_CodeCheck):
    def __init__(
        self, blocks: Blocks | None = None, documents: YamlDocuments | None = None
    ) -> None:
        super().__init__(blocks)
        self._documents = documents or YamlDocuments()

    def problems(self, document: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def compose_files(self, example: Example) -> Iterator[tuple[CodeBlock, dict[str, Any]]]:
        """Compose documents in YAML blocks (blocks flagged anti-pattern are left out)."""
        for block in self.blocks(example, YAML):
            if block.anti_pattern or "services" not in block.code:
                continue
            loaded = self._documents.load(block.code)
            if isinstance(loaded, yaml.YAMLError):
                continue  # code.yaml_parses reports it
            for document in loaded:
                if code_compose.is_compose(document):
                    yield block, document

    def run(self, example: Example) -> list[Finding]:
        return [
            self.finding(f"{block.where()}: {problem}", block.message_index)
            for block, document in self.compose_files(example)
            for problem in self.problems(document)
        ]


class ComposeDependsOn(_ComposeCheck):
    id = "code.compose_depends_on"
    description = "Compose: every depends_on names a defined service with a known condition."

    def problems(self, document: dict[str, Any]) -> list[str]:
        return code_compose.depends_on_problems(document)


class ComposeHealthcheck(_ComposeCheck):
    id = "code.compose_healthcheck"
    description = "Compose: condition service_healthy only where that service has a healthcheck."

    def problems(self, document: dict[str, Any]) -> list[str]:
        return code_compose.healthcheck_problems(document)


class ComposeSecrets(_ComposeCheck):
    id = "code.compose_secrets"
    description = "Compose: secret-like environment values are ${VAR} placeholders."

    def problems(self, document: dict[str, Any]) -> list[str]:
        return code_compose.secret_problems(document)


class JsonParses(_CodeCheck):
    id = "code.json_parses"
    description = "JSON blocks parse (JSON Lines blocks: every line)."

    def run(self, example: Example) -> list[Finding]:
        findings = []
        for block in self.blocks(example, JSON | JSONL):
            if block.language in JSON:
                pieces = [(0, block.code)]
            else:
                pieces = [(n, t) for n, t in enumerate(block.code.split("\n"), 1) if t.strip()]
            for number, piece in pieces:
                try:
                    orjson.loads(piece)
                except orjson.JSONDecodeError as exc:
                    where = f" line {number}" if number else ""
                    findings.append(
                        self.finding(f"{block.where()}{where}: {exc}", block.message_index)
                    )
        return findings


class DiagnosticLike(Protocol):
    """What the gate reads of an ``octave.Diagnostic``."""

    @property
    def code(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def message(self) -> str: ...


OctaveChecker = Callable[[str, bool], Sequence[DiagnosticLike]]

_END_2025 = re.compile(r"^===END_[A-Za-z0-9_]+===\s*$", re.MULTILINE)
_DASH_ENVELOPE = re.compile(r"^---[A-Za-z][A-Za-z0-9_]*---\s*$", re.MULTILINE)


def is_2025_dialect(code: str) -> bool:
    """Whether an OCTAVE block is in the user's 2025 dialect (``===END_X===``, ``---X---``)."""
    return bool(_END_2025.search(code) or _DASH_ENVELOPE.search(code))


def _project_octave_checker() -> OctaveChecker:
    check = importlib.import_module("hestai_datagen.octave").check

    def run(text: str, strict: bool) -> Sequence[DiagnosticLike]:
        return cast(Sequence[DiagnosticLike], check(text, strict=strict))

    return run


class OctaveParses(_CodeCheck):
    id = "code.octave_parses"
    description = (
        "OCTAVE blocks parse with the project's parser: strict rules for the current dialect, "
        "lenient rules for the user's 2025 dialect."
    )

    def __init__(self, blocks: Blocks | None = None, checker: OctaveChecker | None = None) -> None:
        super().__init__(blocks)
        self._checker = checker

    def run(self, example: Example) -> list[Finding]:
        findings = []
        checker: OctaveChecker | None = self._checker
        for block in self.blocks(example, OCTAVE):
            checker = checker or _project_octave_checker()
            dialect_2025 = is_2025_dialect(block.code)
            for diagnostic in checker(block.code, not dialect_2025):
                if diagnostic.severity != "error":
                    continue
                mode = "2025 dialect, lenient" if dialect_2025 else "strict"
                findings.append(
                    self.finding(
                        f"{block.where()} ({mode}): {diagnostic.line}:{diagnostic.column}: "
                        f"{diagnostic.code} {diagnostic.message}",
                        block.message_index,
                    )
                )
        return findings


class RedisCommands(_CodeCheck):
    id = "code.redis_commands"
    description = "Redis stream commands (XADD, XREADGROUP, XREAD, XACK, XGROUP) are well formed."

    def run(self, example: Example) -> list[Finding]:
        findings = []
        for block in self.blocks(example, REDIS | SHELL):
            shell = block.language in SHELL
            if shell and "redis-cli" not in block.code:
                continue
            for line, problem in code_redis.command_problems(block.code, shell=shell):
                findings.append(
                    self.finding(f"{block.where()}: line {line}: {problem}", block.message_index)
                )
        return findings


def code_checks(octave_checker: OctaveChecker | None = None) -> list[Check]:
    """The code checks (``octave_checker`` replaces ``octave.check``, for tests)."""
    blocks = Blocks()
    documents = YamlDocuments()
    return [
        FencesClosed(blocks),
        PythonParses(blocks),
        PythonAsyncNotBlocking(blocks),
        YamlParses(blocks, documents),
        ComposeDependsOn(blocks, documents),
        ComposeHealthcheck(blocks, documents),
        ComposeSecrets(blocks, documents),
        JsonParses(blocks),
        OctaveParses(blocks, octave_checker),
        RedisCommands(blocks),
    ]
