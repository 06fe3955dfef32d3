"""Throughput and memory of a real build: the default spec, templates and checks, end to end.

Each build runs in its own process (so peak memory is that build's alone) into a temporary
folder, at growing sizes and worker counts, and reports rows per second (accepted rows over wall
time, recording cache warm) and peak resident memory. Memory should stay nearly flat as the size
doubles: rows stream to shards, and only 128-value duplicate signatures are kept per row.
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_build.py [--sizes 500 1000 2000] [--workers 1 2] [--quick]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, resource, sys, time
from pathlib import Path
from hestai_datagen.cli.options import resolve_config
from hestai_datagen.pipeline import prepare, run_build

size, workers, out, cache = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
config = resolve_config(None)
config = config.model_validate({**config.model_dump(), "examples": size})
inputs = prepare(config, None)
start = time.perf_counter()
result = run_build(inputs, out, cache_dir=cache, workers=workers)
seconds = time.perf_counter() - start
peak_kib = max(
    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
)
print(json.dumps({"rows": result.accepted, "tried": result.tried, "seconds": seconds,
                  "peak_mib": peak_kib / 1024}))
"""

CACHE = Path(__file__).resolve().parents[1] / "data" / "cache" / "recordings"


def run_one(size: int, workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                str(size),
                str(workers),
                str(Path(tmp) / "out"),
                str(CACHE),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    sizes = [150, 300] if args.quick else args.sizes
    print(f"{'rows':>6} {'workers':>7} {'tried':>6} {'seconds':>8} {'rows/s':>8} {'peak MiB':>9}")
    for workers in args.workers:
        for size in sizes:
            f = run_one(size, workers)
            print(
                f"{int(f['rows']):>6} {workers:>7} {int(f['tried']):>6} {f['seconds']:>8.1f} "
                f"{f['rows'] / f['seconds']:>8.0f} {f['peak_mib']:>9.0f}"
            )


if __name__ == "__main__":
    main()
