"""Smoke test of the benchmarks: each script runs in its quickest mode and prints its figures.

Speed is measured, never asserted: these tests only check that every promised figure is printed
and positive (a benchmark that silently prints nothing, or zeros, is broken).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?"


def _run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=BENCH.parent,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _figure(output: str, pattern: str) -> float:
    found = re.search(pattern, output, re.MULTILINE)
    assert found, f"no line matching {pattern!r} in:\n{output}"
    return _number(found.group(1))


def test_checks_benchmark_prints_rows_per_second_for_each_check_and_the_gate() -> None:
    out = _run("bench_checks.py", "--rows", "10")
    per_check = re.findall(rf"^([a-z_]+\.[a-z_.]+) +({NUMBER}) +({NUMBER}) +(\d+)$", out, re.M)
    ids = [check_id for check_id, *_ in per_check]
    assert {"format.role_order", "code.octave_parses", "protocol.trace"} <= set(ids)
    assert all(_number(rate) > 0 and _number(ms) > 0 for _, rate, ms, _ in per_check)
    assert _figure(out, rf"^whole gate .*: ({NUMBER}) rows/s") > 0
    assert _figure(out, rf"^whole gate .*\(({NUMBER}) ms/row\)") > 0
    assert _figure(out, r"accepted (\d+), rejected \d+$") == 10


def test_recording_benchmark_prints_cold_and_warm_rates() -> None:
    out = _run("bench_recording.py", "--keys", "2")
    assert _figure(out, r"^keys: (\d+) ") == 2
    assert _figure(out, rf"^cold record of all keys: ({NUMBER}) s \((\d+) wire messages\)") > 0
    assert _figure(out, rf"\(({NUMBER}) wire messages\)") > 0
    assert _figure(out, rf"^warm cache load: ({NUMBER}) s") > 0
    assert _figure(out, rf"^recordings/s cold: ({NUMBER})$") > 0
    assert _figure(out, rf"^recordings/s warm: ({NUMBER})$") > 0


@pytest.mark.slow
def test_build_benchmark_prints_rows_per_second_and_peak_memory() -> None:
    out = _run("bench_build.py", "--sizes", "100", "--workers", "1")
    row = re.search(
        rf"^ *(\d+) +(\d+) +(\d+) +({NUMBER}) +({NUMBER}) +({NUMBER})$", out, re.MULTILINE
    )
    assert row, f"no figures row in:\n{out}"
    rows, workers, tried, _seconds, rate, peak_mib = (_number(g) for g in row.groups())
    assert rows == 100 and workers == 1 and tried >= rows
    assert rate > 0 and peak_mib > 0  # seconds print as 0.1 s steps; the rate is the figure


def test_run_py_prints_a_heading_and_the_figures_of_the_benchmarks_it_runs() -> None:
    out = _run("run.py", "--only", "checks", "--quick")
    assert re.search(r"^=== checks: .+ ===$", out, re.MULTILINE)
    assert "bench_checks.py --quick" in out
    assert _figure(out, rf"^whole gate .*: ({NUMBER}) rows/s") > 0
    assert re.search(r"^checks +ok ", out, re.MULTILINE)
    assert "=== build" not in out and "=== recording" not in out
