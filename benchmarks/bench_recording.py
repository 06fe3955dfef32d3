"""Benchmark the MCP trace recorder: cold recording of every key, warm cache load, throughput.

Run: ``.venv/bin/python benchmarks/bench_recording.py [--keys N] [--quick]``. Prints figures;
asserts nothing. Uses a temporary cache directory so the project's own cache is neither used nor
touched. A full run records every key twice (all together, then each transport alone).
``--quick`` records only the first keys of each transport (servers still start for real).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from hestai_datagen.mcp_traces import Recorder, RecordingKey, available_recordings

QUICK_PER_TRANSPORT = 2


def first_of_each_transport(keys: list[RecordingKey], count: int) -> list[RecordingKey]:
    """The first ``count`` keys of every transport, in their original order."""
    seen: Counter[str] = Counter()
    chosen = []
    for key in keys:
        seen[key.transport] += 1
        if seen[key.transport] <= count:
            chosen.append(key)
    return chosen


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=0, help="only the first N keys (0 = all)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"only the first {QUICK_PER_TRANSPORT} keys of each transport",
    )
    args = parser.parse_args(argv)
    keys = available_recordings()
    if args.quick:
        keys = first_of_each_transport(keys, QUICK_PER_TRANSPORT)
    if args.keys:
        keys = keys[: args.keys]
    by_transport = Counter(k.transport for k in keys)
    print(f"keys: {len(keys)} ({', '.join(f'{t}={n}' for t, n in sorted(by_transport.items()))})")
    with tempfile.TemporaryDirectory(prefix="bench-recordings-") as tmp:
        cache = Path(tmp)
        start = time.perf_counter()
        cold = Recorder(cache).record_many(keys)
        cold_s = time.perf_counter() - start
        messages = sum(len(r.messages) for r in cold.values())
        start = time.perf_counter()
        warm = Recorder(cache).record_many(keys)
        warm_s = time.perf_counter() - start
        assert len(warm) == len(cold)
        for transport in sorted(by_transport):
            subset = [k for k in keys if k.transport == transport]
            start = time.perf_counter()
            Recorder(cache, use_cache=False).record_many(subset)
            took = time.perf_counter() - start
            print(f"cold record, {transport} only: {took:.2f} s ({len(subset) / took:.1f} rec/s)")
    print(f"cold record of all keys: {cold_s:.2f} s ({messages} wire messages)")
    print(f"warm cache load: {warm_s:.3f} s")
    print(f"recordings/s cold: {len(keys) / cold_s:.1f}")
    print(f"recordings/s warm: {len(keys) / warm_s:.0f}")


if __name__ == "__main__":
    main()
