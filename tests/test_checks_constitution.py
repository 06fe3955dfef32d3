"""Constitution: secrets, personal data and disallowed content reject the row and name the rule."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from test_checks_rows import FETCH_CONTEXT_TOOL, call, compose_row, make_gate, row, tool_call_row

from hestai_datagen.checks import Constitution, GateConfig, QualityGate
from hestai_datagen.checks.constitution import luhn_ok
from hestai_datagen.errors import ConfigError
from hestai_datagen.examples import Example, Message, TraceMessage


def answer(text: str) -> Example:
    return row(
        [
            Message(role="user", content="How do I configure the HESTAI client for this service?"),
            Message(role="assistant", content=f"Configure it like this: {text} and restart it."),
        ],
        tools=(),
    )


def errors(example: Example) -> list[tuple[str, str]]:
    return [(f.check_id, f.reason) for f in make_gate().admit(example).errors]


# Values are assembled from pieces so that this file itself holds no scanner-bait literal.
AWS = "AKIA" + "QZ7RT2LMXW4PV6NB"
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
HF = "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz01234567"
OPENAI = "sk-proj-" + "Z9y8X7w6V5u4T3s2R1q0P9o8"
SLACK = "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKl"
JWT = "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiJoZXN0YWkifQ." + "c2lnbmF0dXJlLXZhbHVlLTEyMw"
PEM = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (f"AWS_ACCESS_KEY_ID={AWS}", "secret.aws_access_key"),
        (f"the token {GITHUB}", "secret.github_token"),
        (f"HF_TOKEN={HF}", "secret.huggingface_token"),
        (f"OPENAI_API_KEY={OPENAI}", "secret.openai_key"),
        (f"SLACK_BOT_TOKEN={SLACK}", "secret.slack_token"),
        (f"the session cookie {JWT}", "secret.jwt"),
        ("the header Authorization: Bearer 4f9a1c2e7b3d8f6a0e5c9b2d", "secret.bearer_token"),
        (f"the key file {PEM}", "secret.private_key"),
        ("DATABASE_URL=postgresql://anchor:s3cr3tpw@db:5432/anchor", "secret.url_password"),
    ],
)
def test_secrets_are_rejected_naming_the_rule(text: str, rule: str) -> None:
    found = errors(answer(text))
    assert [cid for cid, _ in found] == ["constitution.secret"]
    assert f"rule {rule} " in found[0][1]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("mail the on-call engineer at maria.lopez@hestai-ops.io", "personal.email"),
        ("call the on-call engineer on (415) 867-2309", "personal.phone"),
        ("call the on-call engineer on +44 7700 912 345", "personal.phone"),
        ("bill card 4539 1488 0343 6467", "personal.card_number"),
    ],
)
def test_personal_data_is_rejected_naming_the_rule(text: str, rule: str) -> None:
    found = errors(answer(text))
    assert [cid for cid, _ in found] == ["constitution.personal_data"]
    assert f"rule {rule} " in found[0][1]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("clean the host with `rm -rf /` first", "content.destructive_command"),
        ("greet {{ user_name }} by name", "content.unrendered_template"),
        ("{% if tools %}list tools{% endif %}", "content.unrendered_template"),
        ("Lorem ipsum dolor sit amet", "content.filler_text"),
    ],
)
def test_disallowed_content_is_rejected_naming_the_rule(text: str, rule: str) -> None:
    found = errors(answer(text))
    assert [cid for cid, _ in found] == ["constitution.disallowed_content"]
    assert f"rule {rule} " in found[0][1]


@pytest.mark.parametrize(
    "text",
    [
        "HF_TOKEN=${HF_TOKEN}",
        "Authorization: Bearer <token>",
        "Authorization: Bearer ${MCP_TOKEN}",
        "DATABASE_URL=postgresql://anchor:${POSTGRES_PASSWORD}@db:5432/anchor",
        "redis://:<password>@redis:6379/0",
        "AWS key AKIAIOSFODNN7EXAMPLE from the AWS docs",
        "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "mail alice@example.com or ops@hestai.test",
        "the fictional number 555-0142 or (415) 555-0199",
        "stream id 1718000000000-0 and the timestamp 1718000000000",
        "the ${{ secrets.HF_TOKEN }} expression in GitHub Actions",
        "the decorator @mcp.tool() and the package @modelcontextprotocol/sdk",
        "OCTAVE inline objects such as {{KEY:VALUE}}",
        "card 4539 1488 0343 6468 fails the Luhn checksum",
        "rm -rf ./build is fine",
    ],
)
def test_placeholders_and_look_alikes_pass(text: str) -> None:
    assert errors(answer(text)) == []


def test_every_field_is_scanned() -> None:
    in_arguments = tool_call_row().model_copy(
        update={
            "messages": [
                *tool_call_row().messages[:2],
                Message(
                    role="assistant",
                    content="",
                    tool_calls=[call("call_1", "greet", {"name": f"x\n{AWS}"})],
                ),
                *tool_call_row().messages[3:],
            ]
        }
    )
    assert ("constitution.secret", 2) in {
        (f.check_id, f.message_index) for f in make_gate().admit(in_arguments).errors
    }
    tools = [
        {
            **FETCH_CONTEXT_TOOL,
            "function": {**FETCH_CONTEXT_TOOL["function"], "description": f"use {HF}"},
        }
    ]
    in_tools = compose_row().model_copy(update={"tools": orjson.dumps(tools).decode()})
    assert [f.check_id for f in make_gate().admit(in_tools).errors] == ["constitution.secret"]
    trace = [
        TraceMessage(
            direction="client->server",
            transport="streamable-http",
            protocol_version="2025-06-18",
            raw="",
            http_method="DELETE",
            http_headers=[{"name": "authorization", "value": f"Bearer {GITHUB}"}],
        )
    ]
    in_trace = tool_call_row().model_copy(update={"trace": trace})
    reasons = [f.reason for f in make_gate().admit(in_trace).errors]
    assert any("trace[0].http_headers.authorization" in r for r in reasons)


def test_reasons_do_not_repeat_the_whole_secret() -> None:
    (found,) = errors(answer(f"HF_TOKEN={HF}"))
    assert HF not in found[1] and HF[:6] in found[1]


def test_luhn() -> None:
    assert luhn_ok("4539148803436467")
    assert not luhn_ok("4539148803436468")


def write_rules(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_custom_rules_file_is_used(tmp_path: Path) -> None:
    path = write_rules(
        tmp_path,
        "version: 1\nrules:\n  - id: content.codename\n    category: disallowed_content\n"
        "    description: internal code name\n    pattern: '(?i)project nightjar'\n",
    )
    gate = make_gate(GateConfig(constitution_path=path))
    found = [
        (f.check_id, f.reason) for f in gate.admit(answer("Project Nightjar ships soon")).errors
    ]
    assert found[0][0] == "constitution.disallowed_content" and "content.codename" in found[0][1]
    assert gate.admit(answer(f"HF_TOKEN={HF}")).accepted  # only the custom rules apply


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\nrules: []\n", "rules"),
        (
            "version: 1\nrules:\n  - id: x\n    category: secret\n    description: d\n"
            "    pattern: '(['\n",
            "rule x: bad pattern",
        ),
        (
            "version: 1\nrules:\n  - id: x\n    category: vibes\n    description: d\n"
            "    pattern: a\n",
            "category",
        ),
        ("rules: [\n", "not valid YAML"),
    ],
)
def test_malformed_rules_files_raise_config_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Constitution.load(write_rules(tmp_path, text))


def test_missing_rules_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        QualityGate(GateConfig(constitution_path=tmp_path / "nope.yaml"))


def test_project_rules_file_cites_the_spec(repo: Path) -> None:
    rules = Constitution.load(repo / "octave_configs" / "constitution.yaml")
    assert rules.spec_ref == "SECTION_II:HESTAI_PATTERN_RECOGNITION.CONSTITUTIONAL_CONSTRAINTS"
    spec = (repo / "octave_configs" / "hestai-training-priorities.oct.md").read_text(
        encoding="utf-8"
    )
    assert "CONSTITUTIONAL_CONSTRAINTS" in spec
    assert {r.rule.category for r in rules.rules} == {
        "secret",
        "personal_data",
        "disallowed_content",
    }


def test_strings_of_json_fields_are_not_joined_into_false_matches() -> None:
    arguments = {"url": "https://docs.example.com", "contact": "ops@hestai.test"}
    example = tool_call_row()
    messages = list(example.messages)
    tools = [
        {
            "type": "function",
            "function": {
                "name": "greet",
                "parameters": {"type": "object", "properties": {"url": {}, "contact": {}}},
            },
        }
    ]
    messages[2] = Message(
        role="assistant", content="", tool_calls=[call("call_1", "greet", arguments)]
    )
    clean = example.model_copy(update={"messages": messages, "tools": orjson.dumps(tools).decode()})
    assert errors(clean) == []
