#!/usr/bin/env python3
"""Edge executor benchmark: cold and warm start per runtime, and a scale-to-zero trace.

    .venv/bin/python benchmarks/edge_exec.py --json

A node executor process runs as in production (its own process, unix socket); every time is
measured at the client, so it includes the socket round trip. Cold = the first request after
the function's instances were scaled to zero (wasm: deserialize the cached .cwasm + link;
container: runc + Python worker start; process: Python worker start). Warm = a request served
by a live instance. peak_mib: wasm = the instance's linear memory, container/process = the
instance cgroup's peak usage (memory.max_usage_in_bytes), the largest seen over the warm calls.
The function is the checksum kernel (Adler-32 over 1 KiB), C->wasm and Python.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

# this file is named like the package: make sure `import edge_exec` finds the package
ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

from edge_exec.capacity import NodeCapacity  # noqa: E402
from edge_exec.catalog import builtin_functions  # noqa: E402
from edge_exec.launcher import start_executor, stop_executor  # noqa: E402
from edge_exec.profiles import percentile  # noqa: E402

RUNTIMES = ("wasm", "container", "process")
PAYLOAD = bytes(range(256)) * 4


def timed(client, runtime: str) -> tuple[float, dict]:
    started = time.perf_counter()
    _, meta = client.invoke("checksum", PAYLOAD, runtime)
    return (time.perf_counter() - started) * 1000, meta


def measure_runtime(client, runtime: str, cold_runs: int, warm_runs: int) -> dict:
    cold, warm, peaks, cold_min = [], [], [], []
    for _ in range(cold_runs):
        client.reap(0.0)                              # scale to zero: the next request is cold
        ms, meta = timed(client, runtime)
        assert meta["cold"], "expected a cold start"
        cold.append(ms)
        cold_min.append(meta["latency_ms"])
    for _ in range(warm_runs):
        ms, meta = timed(client, runtime)
        warm.append(ms)
        peaks.append(meta["peak_mib"])
    client.reap(0.0)
    p50, p95 = statistics.median, (lambda values: percentile(values, 0.95))
    return {"cold_ms_p50": round(p50(cold), 3), "cold_ms_p95": round(p95(cold), 3),
            "warm_ms_p50": round(p50(warm), 3), "warm_ms_p95": round(p95(warm), 3),
            "peak_mib": round(max(peaks), 3),
            "_detail": {"cold_ms_min": round(min(cold), 3), "warm_ms_min": round(min(warm), 3),
                        "cold_executor_ms_p50": round(statistics.median(cold_min), 3)}}


def scale_to_zero_trace(state: Path, bursts: int, per_burst: int, senders: int) -> dict:
    """Bursts of concurrent requests separated by idle gaps longer than the keep-alive."""
    keep_alive = 0.3
    handle = start_executor("du1", NodeCapacity(2.0, 4096), state / "trace", keep_alive_s=keep_alive)
    client = handle.client()
    answered, expected = [], []
    lock = threading.Lock()
    try:
        client.deploy(next(f for f in builtin_functions() if f.name == "echo"))

        def send(burst: int, sender: int) -> None:
            mine = handle.client()
            for i in range(per_burst // senders):
                payload = f"{burst}-{sender}-{i}".encode()
                output, _ = mine.invoke("echo", payload, "container")
                with lock:
                    answered.append((payload, output))
            mine.close()
        for burst in range(bursts):
            threads = [threading.Thread(target=send, args=(burst, s)) for s in range(senders)]
            expected += [f"{burst}-{s}-{i}".encode()
                         for s in range(senders) for i in range(per_burst // senders)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            time.sleep(keep_alive * 4)                 # idle: instances expire
        counters = client.load()["counters"]
    finally:
        client.close()
        stop_executor(handle)
    correct = {p for p, out in answered if p == out}
    return {"requests": len(expected), "instances_started": counters["instances_started"],
            "instances_removed": counters["instances_removed"], "lost": len(set(expected) - correct)}


def run(cold_runs: int, warm_runs: int, detail: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="aaasx-bench-") as tmp:
        state = Path(tmp)
        handle = start_executor("edge1", NodeCapacity(8.0, 16384), state / "node", keep_alive_s=600)
        client = handle.client()
        try:
            client.deploy(next(f for f in builtin_functions() if f.name == "checksum"))
            runtimes = {r: measure_runtime(client, r, cold_runs, warm_runs) for r in RUNTIMES}
        finally:
            client.close()
            stop_executor(handle)
        summary = {r: {k: v for k, v in m.items() if k != "_detail"} for r, m in runtimes.items()}
        result = {"runtimes": summary,
                  "scale_to_zero": scale_to_zero_trace(state, bursts=5, per_burst=20, senders=4)}
        if detail:
            result["detail"] = {r: m["_detail"] for r, m in runtimes.items()}
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--cold", type=int, default=30)
    parser.add_argument("--warm", type=int, default=300)
    parser.add_argument("--detail", action="store_true", help="add minimums and executor-side cold times")
    args = parser.parse_args()
    result = run(args.cold, args.warm, args.detail)
    if args.json:
        print(json.dumps(result))
        return
    for runtime, m in result["runtimes"].items():
        print(f"{runtime:9} cold p50 {m['cold_ms_p50']:8.3f} p95 {m['cold_ms_p95']:8.3f} ms | warm p50 "
              f"{m['warm_ms_p50']:.3f} p95 {m['warm_ms_p95']:.3f} ms | peak {m['peak_mib']} MiB")
    print("scale_to_zero", result["scale_to_zero"])


if __name__ == "__main__":
    main()
