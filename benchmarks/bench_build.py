"""Throughput and memory of a real build: the default spec, templates and checks, end to end.

Each build runs in its own process (so peak memory is that build's alone) into a temporary
folder, at growing sizes and worker counts, and reports rows per second (accepted rows over the
wall time of ``run_build``) and peak resident memory (of the largest process: the build's own, or
its biggest pool worker). The MCP recordings the templates need are loaded, or recorded once,
into the project's cache (``data/cache/recordings``, as ``hestai-datagen build`` does) before the
clock starts, so every figure is for a warm cache. Memory should stay nearly flat as the size
doubles: rows stream to shards, and only 128-value duplicate signatures are kept per row.
A build that fails (e.g. the gate's balance check) is reported in one line and exits 1.
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_build.py [--sizes 500 1000 2000] [--workers 1 2] [--quick]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "data" / "cache" / "recordings"
FULL_SIZES = [500, 1000, 2000]
QUICK_SIZES = [150, 300]


def build_once(size: int, workers: int, out: Path, cache: Path) -> dict[str, float]:
    """One timed build (run in a fresh process by ``run_one``); returns its figures."""
    from hestai_datagen.cli.options import resolve_config
    from hestai_datagen.examples.recordings import record_for
    from hestai_datagen.pipeline import prepare, run_build

    config = resolve_config(None)
    config = config.model_validate({**config.model_dump(), "examples": size})
    inputs = prepare(config, None)
    record_for(inputs.scenarios.templates, cache)  # warm the cache outside the timed part
    start = time.perf_counter()
    result = run_build(inputs, out, cache_dir=cache, workers=workers)
    seconds = time.perf_counter() - start
    peak_kib = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {
        "rows": result.accepted,
        "tried": result.tried,
        "seconds": seconds,
        "peak_mib": peak_kib / 1024,
    }


def _child(size: int, workers: int, out: Path, cache: Path) -> None:
    """Child-process entry: print the figures as one JSON line, or the error as one line."""
    from hestai_datagen.errors import HestaiError

    try:
        figures = build_once(size, workers, out, cache)
    except HestaiError as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(json.dumps(figures))


def run_one(size: int, workers: int, cache: Path = CACHE) -> dict[str, float]:
    """Build ``size`` rows with ``workers`` processes in a fresh process; its figures."""
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(size),
                str(workers),
                str(Path(tmp) / "out"),
                str(cache),
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=False,
        )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        raise SystemExit(
            f"build of {size} rows with {workers} worker(s) failed: {lines[-1]}\n"
            f"(its folder was temporary; to keep one: hestai-datagen build -n {size} "
            f"--workers {workers} --out data/build-bench)"
        )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", help=f"rows per build (default {FULL_SIZES})"
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--quick", action="store_true", help=f"sizes {QUICK_SIZES} unless --sizes is given"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        size, workers, out, cache = args.child
        _child(int(size), int(workers), Path(out), Path(cache))
        return
    sizes = args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)
    print(f"recording cache: {CACHE}")
    header = f"{'rows':>6} {'workers':>7} {'tried':>6} {'seconds':>8} {'rows/s':>8} {'peak MiB':>9}"
    print(header, flush=True)
    for workers in args.workers:
        for size in sizes:
            f = run_one(size, workers)
            print(
                f"{int(f['rows']):>6} {workers:>7} {int(f['tried']):>6} {f['seconds']:>8.1f} "
                f"{f['rows'] / f['seconds']:>8.0f} {f['peak_mib']:>9.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
