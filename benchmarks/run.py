"""Run every benchmark in turn (``make bench``): quality gate, MCP recording, real builds.

Each benchmark runs as its own script in a fresh process, exactly as its docstring says to run it,
under a heading; its figures go straight to this output. ``--quick`` is passed through to each for
a short run (small sizes); ``--only`` picks some. Exits 1 if any benchmark failed, after running the
rest. Speed is measured here, never asserted.

    .venv/bin/python benchmarks/run.py [--quick] [--only checks recording build]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Benchmark:
    """One benchmark script and what it measures."""

    name: str
    script: str
    measures: str


BENCHMARKS = (
    Benchmark("checks", "bench_checks.py", "quality gate throughput, rows/s per check and whole"),
    Benchmark("recording", "bench_recording.py", "MCP trace recording, cold and from warm cache"),
    Benchmark("build", "bench_build.py", "real builds: rows/s and peak memory per size/workers"),
)


def command(benchmark: Benchmark, quick: bool) -> list[str]:
    """The command line that runs ``benchmark``."""
    return [sys.executable, str(HERE / benchmark.script), *(["--quick"] if quick else [])]


def run(benchmark: Benchmark, quick: bool) -> tuple[int, float]:
    """Run one benchmark under its heading; its exit status and wall time in seconds."""
    argv = command(benchmark, quick)
    shown = " ".join(["benchmarks/" + benchmark.script, *argv[2:]])
    print(f"\n=== {benchmark.name}: {benchmark.measures} ===\n$ {shown}\n", flush=True)
    start = time.perf_counter()
    status = subprocess.run(argv, cwd=HERE.parent, check=False).returncode
    return status, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a short run")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[b.name for b in BENCHMARKS],
        help="run only these benchmarks (default: all)",
    )
    args = parser.parse_args(argv)
    chosen = [b for b in BENCHMARKS if not args.only or b.name in args.only]
    outcomes = [(b, *run(b, args.quick)) for b in chosen]
    print("\n=== summary ===")
    for benchmark, status, seconds in outcomes:
        verdict = "ok" if status == 0 else f"FAILED (exit status {status})"
        print(f"{benchmark.name:10} {verdict:28} {seconds:7.1f} s")
    return 1 if any(status for _, status, _ in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
