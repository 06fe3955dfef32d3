"""The gate itself: crash safety, stats, reject records, reject rate, config, balance."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from test_checks_rows import (
    good_rows,
    make_gate,
    no_octave_problems,
    no_trace_problems,
    tool_call_row,
)

from hestai_datagen.checks import (
    Check,
    Finding,
    GateConfig,
    QualityGate,
    RejectRecord,
    Verdict,
    check_balance,
    default_checks,
)
from hestai_datagen.errors import BuildError, ConfigError, HestaiError
from hestai_datagen.examples import Example, Message, TraceMessage


class Exploding(Check):
    id = "test.exploding"
    description = "Raises on rows whose user turn mentions 'boom'."

    def run(self, example: Example) -> list[Finding]:
        if any("boom" in m.content for m in example.messages):
            raise KeyError("no such slot\nsecond line")
        return []


class Nitpick(Check):
    id = "test.nitpick"
    severity = "warning"
    description = "Warns about every row."

    def run(self, example: Example) -> list[Finding]:
        return [self.finding("style nit")]


def gate_with(*extra: Check) -> QualityGate:
    config = GateConfig()
    checks = default_checks(
        config, trace_checker=no_trace_problems, octave_checker=no_octave_problems
    )
    return QualityGate(config, checks=[*checks, *extra])


def test_a_crashing_check_rejects_the_row_and_the_gate_carries_on() -> None:
    gate = gate_with(Exploding())
    boom = tool_call_row(name="boom", index=1)
    verdict = gate.admit(boom)
    assert not verdict.accepted
    (finding,) = verdict.findings
    assert finding.check_id == "test.exploding.crashed"
    assert finding.reason.startswith("check test.exploding crashed: KeyError: 'no such slot")
    assert "\n" not in finding.reason
    assert gate.admit(tool_call_row(index=2)).accepted
    stats = gate.stats()
    assert stats.checks["test.exploding"].crashed == 1
    assert stats.checks["test.exploding"].rejected == 1
    assert (stats.tried, stats.accepted, stats.rejected) == (2, 1, 1)


def test_the_project_trace_checker_crashing_is_contained() -> None:
    def broken(messages: object) -> list[object]:
        raise RuntimeError("SDK validator blew up")

    gate = QualityGate(trace_checker=broken, octave_checker=no_octave_problems)
    trace = [
        TraceMessage(
            direction="client->server", transport="memory", protocol_version="2025-06-18", raw="{}"
        )
    ]
    row = tool_call_row().model_copy(update={"trace": trace})
    verdict = gate.admit(row)
    assert [f.check_id for f in verdict.errors] == ["protocol.trace.crashed"]


def test_warnings_do_not_reject() -> None:
    gate = gate_with(Nitpick())
    verdict = gate.admit(tool_call_row())
    assert verdict.accepted and [f.severity for f in verdict.findings] == ["warning"]
    assert gate.stats().checks["test.nitpick"].warned == 1


def test_every_check_runs_on_every_row() -> None:
    gate = make_gate()
    rows = good_rows()
    broken = rows[0].model_copy(
        update={
            "id": "broken",
            "messages": [
                *rows[0].messages[:1],
                Message(role="user", content=" "),
                *rows[0].messages[2:],
            ],
        }
    )
    for example in [*rows, broken]:
        gate.admit(example)
    stats = gate.stats()
    assert stats.tried == 6 and stats.rejected == 1
    assert {cid: s.ran for cid, s in stats.checks.items()} == {cid: 6 for cid in stats.checks}
    ids = [info.id for info in gate.check_infos()]
    assert list(stats.checks) == ids
    assert {
        "format.tool_call_answered",
        "code.python_parses",
        "protocol.trace",
        "constitution.secret",
        "size.max_tokens",
        "dup.exact",
        "dup.near",
    } <= set(ids)


def test_disabled_checks_are_not_run() -> None:
    config = GateConfig(disabled_checks=["size.min_tokens", "dup.near"])
    gate = QualityGate(config, trace_checker=no_trace_problems, octave_checker=no_octave_problems)
    ids = {info.id for info in gate.check_infos()}
    assert "size.min_tokens" not in ids and "dup.near" not in ids and "dup.exact" in ids


def test_unknown_disabled_check_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"size\.max_tokenz"):
        QualityGate(GateConfig(disabled_checks=["size.max_tokenz"]))


def test_reject_record_keeps_the_row_and_every_finding() -> None:
    gate = make_gate()
    bad = tool_call_row().model_copy(update={"tools": "[]"})
    verdict = gate.admit(bad)
    record = RejectRecord.from_verdict(bad, verdict)
    assert (record.id, record.scenario, record.index) == (bad.id, "mcp_tool_call", 0)
    assert record.check_id == "format.tool_name_offered" and record.severity == "error"
    assert Example.model_validate_json(record.row) == bad
    line = orjson.loads(record.to_json_line())
    assert line["check_id"] == "format.tool_name_offered"
    assert [f["check_id"] for f in line["findings"]] == [f.check_id for f in verdict.findings]


def test_reject_record_of_an_accepted_row_is_refused() -> None:
    example = tool_call_row()
    with pytest.raises(HestaiError):
        RejectRecord.from_verdict(example, Verdict(accepted=True, findings=[]))


def test_reject_rate_over_the_threshold_fails_clearly() -> None:
    gate = make_gate(GateConfig(max_reject_rate=0.25))
    gate.admit(tool_call_row(index=0))
    gate.admit(tool_call_row(index=0))  # exact duplicate
    with pytest.raises(BuildError, match=r"1 of 2 rows rejected \(50.0%\).*dup.exact 1"):
        gate.ensure_reject_rate()


def test_reject_rate_within_the_threshold_passes() -> None:
    gate = make_gate(GateConfig(max_reject_rate=0.5))
    gate.admit(tool_call_row(index=0))
    gate.admit(tool_call_row(index=0))
    gate.ensure_reject_rate()


def test_config_from_a_build_config_file(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "c.yaml").write_text(
        "version: 1\nrules:\n  - {id: x, category: secret, description: d, pattern: zzz}\n"
    )
    config_file = tmp_path / "build.yaml"
    config_file.write_text(
        "seed: 7\nquality:\n  max_tokens_per_row: 3000\n  near_duplicate_threshold: 0.8\n"
        "  constitution_path: rules/c.yaml\n",
    )
    config = GateConfig.from_build_config(config_file)
    assert config.max_tokens_per_row == 3000 and config.near_duplicate_threshold == 0.8
    assert config.constitution_path == tmp_path / "rules" / "c.yaml"
    assert GateConfig.from_mapping(None) == GateConfig()


@pytest.mark.parametrize(
    ("quality", "message"),
    [
        ({"max_tokens_per_row": -1}, "quality.max_tokens_per_row"),
        ({"near_duplicate_threshold": 1.5}, "quality.near_duplicate_threshold"),
        ({"min_tokens_per_row": 10, "max_tokens_per_row": 5}, "min_tokens_per_row is above"),
        ({"colour": "red"}, "quality.colour"),
    ],
)
def test_bad_quality_config_is_a_config_error(quality: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        GateConfig.from_mapping(quality)


def test_balance_within_tolerance() -> None:
    assert (
        check_balance(
            {"P1": 40, "P2": 30, "P3": 30},
            {"a", "b"},
            {"P1": 0.4, "P2": 0.3, "P3": 0.3},
            ["a", "b"],
            0.05,
        )
        == []
    )


def test_balance_share_off_plan() -> None:
    findings = check_balance(
        {"P1": 70, "P2": 15, "P3": 15}, {"a"}, {"P1": 4, "P2": 3, "P3": 3}, ["a"], 0.05
    )
    assert [f.check_id for f in findings] == ["balance.priority_share"] * 3
    assert findings[0].reason.startswith("P1: 70.0% of accepted rows (70 of 100), planned 40.0%")


def test_balance_unplanned_priority_and_missing_coverage() -> None:
    findings = check_balance(
        {"P1": 90, "INTEGRATION": 10}, {"a"}, {"P1": 1.0}, ["a", "b", "c", "b"], 0.05
    )
    assert [f.check_id for f in findings] == [
        "balance.priority_share",
        "balance.priority_share",
        "balance.coverage",
    ]
    assert findings[-1].reason == "2 of 3 spec refs not covered: b, c"
