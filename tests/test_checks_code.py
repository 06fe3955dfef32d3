"""Code checks: fenced blocks checked by language, one bad block per failure kind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from test_checks_rows import (
    COMPOSE,
    OCTAVE,
    PYTHON_CLIENT,
    REDIS,
    make_gate,
    no_trace_problems,
    octave_row,
    replace_message,
    row,
)

from hestai_datagen.checks import QualityGate
from hestai_datagen.checks.code import is_2025_dialect
from hestai_datagen.checks.code_redis import command_problems
from hestai_datagen.checks.fences import blocks_in
from hestai_datagen.examples import Example, Message


def answer(text: str) -> Example:
    return row(
        [
            Message(role="user", content="Show me how this works in the HESTAI stack, with code."),
            Message(role="assistant", content=f"Here it is:\n\n{text}\n\nThat is all it takes."),
        ],
        tools=(),
    )


def error_ids(example: Example) -> set[str]:
    return {f.check_id for f in make_gate().admit(example).errors}


def fence(language: str, code: str) -> str:
    return f"```{language}\n{code.strip()}\n```"


def test_fences_are_found_with_language_flags_and_lines() -> None:
    text = "intro\n```python anti-pattern\nimport time\n```\n~~~yaml\na: 1\n~~~\n```\nplain\n```"
    blocks = list(blocks_in(text, 3))
    assert [(b.language, b.line, b.code, b.closed) for b in blocks] == [
        ("python", 2, "import time\n", True),
        ("yaml", 5, "a: 1\n", True),
        ("", 8, "plain\n", True),
    ]
    assert blocks[0].anti_pattern and not blocks[1].anti_pattern


def test_unclosed_fence() -> None:
    bad = answer("```python\nprint('never closed')")
    assert error_ids(bad) == {"code.fence_closed"}


def test_python_that_does_not_parse() -> None:
    bad = answer(fence("python", "async def main(:\n    await session.initialize()"))
    assert error_ids(bad) == {"code.python_parses"}


@pytest.mark.parametrize(
    ("code", "blocked"),
    [
        ("import time\n\nasync def poll():\n    time.sleep(1)", "time.sleep"),
        ("from time import sleep\n\nasync def poll():\n    sleep(1)", "time.sleep"),
        (
            "import requests\n\nasync def fetch(url):\n    return requests.get(url).json()",
            "requests.get",
        ),
        ("import requests as r\n\nasync def fetch(url):\n    return r.post(url)", "requests.post"),
        (
            "import urllib.request\n\nasync def fetch(url):\n"
            "    return urllib.request.urlopen(url)",
            "urllib.request.urlopen",
        ),
        (
            "import psycopg2\n\nasync def load():\n    conn = psycopg2.connect(dsn)",
            "psycopg2.connect",
        ),
        (
            "import sqlite3\n\nasync def load():\n    return sqlite3.connect('x.db')",
            "sqlite3.connect",
        ),
        ("import subprocess\n\nasync def build():\n    subprocess.run(['make'])", "subprocess.run"),
        ("async def poll():\n    time.sleep(1)  # no import in the snippet", "time.sleep"),
    ],
)
def test_blocking_call_inside_async_def(code: str, blocked: str) -> None:
    verdict = make_gate().admit(answer(fence("python", code)))
    assert {f.check_id for f in verdict.errors} == {"code.python_async_blocking"}
    assert f"{blocked}()" in verdict.errors[0].reason


@pytest.mark.parametrize(
    "code",
    [
        "import time\n\ndef poll():\n    time.sleep(1)",
        "import asyncio, time\n\nasync def poll():\n    await asyncio.to_thread(time.sleep, 1)",
        "import asyncio, requests\n\nasync def fetch(url):\n    loop = asyncio.get_running_loop()\n"
        "    return await loop.run_in_executor(None, requests.get, url)",
        "import asyncio, time\n\nasync def main():\n    def work():\n        time.sleep(1)\n"
        "    await asyncio.to_thread(work)",
        "import redis.asyncio as redis\n\nasync def main():\n    r = redis.Redis()\n"
        "    await r.xadd('events', {'type': 'ping'})",
    ],
)
def test_non_blocking_async_code_passes(code: str) -> None:
    assert error_ids(answer(fence("python", code))) == set()


def test_anti_pattern_blocks_are_exempt_from_semantics_but_not_syntax() -> None:
    code = "import time\n\nasync def poll():\n    time.sleep(1)"
    assert error_ids(answer(fence("python anti-pattern", code))) == set()
    assert error_ids(answer(fence("python anti-pattern", "async def poll(:"))) == {
        "code.python_parses"
    }


def test_yaml_that_does_not_parse() -> None:
    bad = answer(fence("yaml", "services:\n  db:\n    image: postgres\n   ports: [5432"))
    assert error_ids(bad) == {"code.yaml_parses"}


def test_compose_depends_on_undefined_service() -> None:
    bad = answer(
        COMPOSE.replace(
            "      redis:\n        condition: service_started",
            "      cache:\n        condition: service_started",
        )
    )
    verdict = make_gate().admit(bad)
    assert {f.check_id for f in verdict.errors} == {"code.compose_depends_on"}
    assert "'cache'" in verdict.errors[0].reason


def test_compose_depends_on_list_form_with_undefined_service() -> None:
    code = (
        "services:\n  app:\n    image: app:1\n    depends_on: [db, queue]\n"
        "  db:\n    image: postgres:16"
    )
    assert error_ids(answer(fence("yaml", code))) == {"code.compose_depends_on"}


def test_compose_unknown_condition() -> None:
    bad = answer(COMPOSE.replace("condition: service_started", "condition: service_ready"))
    assert error_ids(bad) == {"code.compose_depends_on"}


def test_compose_service_healthy_without_healthcheck() -> None:
    bad = answer(COMPOSE.replace("condition: service_started", "condition: service_healthy"))
    verdict = make_gate().admit(bad)
    assert {f.check_id for f in verdict.errors} == {"code.compose_healthcheck"}
    assert "'redis' has no healthcheck" in verdict.errors[0].reason


@pytest.mark.parametrize(
    "environment",
    [
        "      POSTGRES_PASSWORD: hunter2hunter2",
        "      - POSTGRES_PASSWORD=hunter2hunter2",
        "      API_KEY: abc123",
        "      JWT_SECRET: ${JWT_SECRET:-not-so-secret}",
    ],
)
def test_compose_hard_coded_secret(environment: str) -> None:
    code = f"services:\n  db:\n    image: postgres:16\n    environment:\n{environment}"
    assert error_ids(answer(fence("yaml", code))) == {"code.compose_secrets"}


@pytest.mark.parametrize(
    "environment",
    [
        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}",
        "      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:?required}",
        "      POSTGRES_PASSWORD_FILE: /run/secrets/db_password",
        "      - API_KEY",
        "      TOKENIZERS_PARALLELISM: 'false'",
        "      POSTGRES_USER: anchor",
    ],
)
def test_compose_placeholders_and_non_secrets_pass(environment: str) -> None:
    code = f"services:\n  db:\n    image: postgres:16\n    environment:\n{environment}"
    assert error_ids(answer(fence("yaml", code))) == set()


def test_plain_yaml_is_not_judged_as_compose() -> None:
    assert error_ids(answer(fence("yaml", "password: hunter2\ndepends_on: [nothing]"))) == set()


@pytest.mark.parametrize(
    "block",
    [
        fence("json", '{"jsonrpc": "2.0", "id": 1, "method": "tools/list",}'),
        fence("jsonl", '{"a": 1}\n{"b": 2'),
    ],
)
def test_json_that_does_not_parse(block: str) -> None:
    assert error_ids(answer(block)) == {"code.json_parses"}


@pytest.mark.parametrize(
    "line",
    [
        "XADD hestai:events * type",
        "XADD hestai:events * type role_switch role",
        "XADD hestai:events 1718000000000 type ping",
        "XADD hestai:events MAXLEN ~ many * type ping",
        "XADD hestai:events",
        "XREADGROUP GROUP anchor-workers COUNT 10 STREAMS hestai:events >",
        "XREADGROUP GROUP g c STREAMS hestai:events",
        "XREADGROUP GROUP g c COUNT ten STREAMS s >",
        "XREADGROUP g c STREAMS s >",
        "XACK hestai:events anchor-workers",
        "XACK hestai:events anchor-workers not-an-id",
        "XGROUP CREATE hestai:events anchor-workers",
        "XGROUP CREATE hestai:events anchor-workers latest MKSTREAM",
        "XGROUP MAKE hestai:events anchor-workers $",
    ],
)
def test_malformed_redis_commands(line: str) -> None:
    assert error_ids(answer(fence("redis", line))) == {"code.redis_commands"}


@pytest.mark.parametrize(
    "line",
    [
        "XADD s NOMKSTREAM MINID = 1718000000000-0 LIMIT 100 * k v",
        "XADD s 1718000000000-5 k v k2 'a value with spaces'",
        "XREADGROUP GROUP g c BLOCK 0 NOACK STREAMS s1 s2 > 0-0",
        "XREAD COUNT 2 STREAMS s $",
        "XGROUP CREATECONSUMER s g c",
        "XGROUP SETID s g 0",
        "XACK s g 1718000000000-0 1718000000000-1",
    ],
)
def test_well_formed_redis_commands(line: str) -> None:
    assert command_problems(line) == []


def test_redis_cli_lines_in_shell_blocks() -> None:
    bad = fence(
        "bash",
        "export STREAM=hestai:events\nredis-cli -h redis -p 6379 XADD hestai:events '*' type",
    )
    assert error_ids(answer(bad)) == {"code.redis_commands"}
    good = fence("bash", "redis-cli -h redis XADD hestai:events '*' type ping\necho done")
    assert error_ids(answer(good)) == set()


def test_unknown_languages_are_ignored() -> None:
    assert error_ids(answer(fence("rust", "fn main( {"))) == set()


@dataclass
class Diagnostic:
    code: str
    severity: str
    line: int
    column: int
    message: str


def test_octave_blocks_use_strict_rules_for_the_current_dialect() -> None:
    calls: list[tuple[str, bool]] = []

    def checker(text: str, strict: bool) -> list[Diagnostic]:
        calls.append((text, strict))
        return [
            Diagnostic("E001", "error", 3, 7, "single colon assignment"),
            Diagnostic("W1", "warning", 1, 1, "style"),
        ]

    gate = QualityGate(trace_checker=no_trace_problems, octave_checker=checker)
    verdict = gate.admit(octave_row())
    assert [f.check_id for f in verdict.findings] == ["code.octave_parses"]
    assert "strict" in verdict.findings[0].reason and "E001" in verdict.findings[0].reason
    assert calls == [(OCTAVE.split("\n", 1)[1].rsplit("```", 1)[0], True)]


def test_octave_blocks_in_the_2025_dialect_are_read_leniently() -> None:
    calls: list[bool] = []

    def checker(text: str, strict: bool) -> list[Diagnostic]:
        calls.append(strict)
        return []

    block = fence(
        "octave",
        '===HESTAI_PRIORITIES===\nMETA:\n  VERSION::"2025"\nP1::HERMES:MCP_PROTOCOL*\n'
        "===END_PRIORITIES===",
    )
    gate = QualityGate(trace_checker=no_trace_problems, octave_checker=checker)
    assert gate.admit(answer(block)).accepted
    assert calls == [False]
    assert is_2025_dialect("---ETHOS_SHANK---\nA::B\n---END_ETHOS_SHANK---")
    assert not is_2025_dialect(OCTAVE)


def _project_octave() -> None:
    octave = pytest.importorskip("hestai_datagen.octave")
    if not hasattr(octave, "check"):
        pytest.skip("hestai_datagen.octave.check is not there yet")


def test_real_octave_parser_accepts_the_good_block() -> None:
    _project_octave()
    gate = QualityGate(trace_checker=no_trace_problems)
    verdict = gate.admit(octave_row())
    assert verdict.findings == []


def test_real_octave_parser_rejects_a_single_colon_assignment() -> None:
    _project_octave()
    bad_block = OCTAVE.replace("ROLE::DEVELOPER", "ROLE:DEVELOPER")
    bad = replace_message(
        octave_row(), 1, Message(role="assistant", content=f"Config:\n\n{bad_block}")
    )
    verdict = QualityGate(trace_checker=no_trace_problems).admit(bad)
    assert {f.check_id for f in verdict.errors} == {"code.octave_parses"}


def test_python_block_of_the_good_row_is_checked() -> None:
    assert "async def main" in PYTHON_CLIENT and "XADD" in REDIS


def test_code_in_user_and_tool_turns_is_input_and_not_checked() -> None:
    broken = fence("python", "import time\n\nasync def poll(:\n    time.sleep(1)")
    example = row(
        [
            Message(role="user", content=f"This crashes, why?\n\n{broken}"),
            Message(role="assistant", content="The parameter list is not closed: `poll(:`."),
        ],
        tools=(),
    )
    assert error_ids(example) == set()
    unclosed = replace_message(example, 0, Message(role="user", content="```python\nprint(1)"))
    assert error_ids(unclosed) == {"code.fence_closed"}


def test_blocks_marked_invalid_skip_language_checks() -> None:
    _project_octave()
    gate = QualityGate(trace_checker=no_trace_problems)
    broken = "===CFG===\nSTATUS: active\n===END==="
    assert gate.admit(answer(fence("octave invalid", broken))).accepted
    flagged = gate.admit(answer(fence("octave", broken)).model_copy(update={"id": "other"}))
    assert "code.octave_parses" in {f.check_id for f in flagged.errors}


def test_the_users_2025_spec_quoted_in_an_answer_passes(repo: Path) -> None:
    _project_octave()
    spec = (repo / "octave_configs" / "hestai-training-priorities.oct.md").read_text(
        encoding="utf-8"
    )
    assert is_2025_dialect(spec)
    verdict = QualityGate(trace_checker=no_trace_problems).admit(answer(fence("octave", spec)))
    assert "code.octave_parses" not in {f.check_id for f in verdict.errors}
