#!/usr/bin/env python3
"""The seed paper's evaluation: three services, four configurations, one METR-LA-derived trace.

    .venv/bin/python benchmarks/seed_cases.py --json [--plot PATH] [--scale 1.0]

For each service a request trace is derived from real traffic (dp_agents.trace: a day of METR-LA
mean loop speed, 5-minute slots compressed to 0.2 s, congestion scaling the request rate; rush
hours burst, free flow leaves gaps longer than the keep-alive, so instances scale to zero and
cold starts happen). The same trace, payloads and step implementations run on the edge executor
(edge_exec, one executor per compute node of edge6g, requests placed near cam*/veh* sources) in
four configurations:

  process    every step as a bare Python worker (the paper's bare metal)
  container  every step in a runc container worker, warm pool with the same keep-alive
  wasm       every step with a wasm build runs as wasm (C kernels; OCR and traffic prediction run
             their networks through the executor's host inference interface, wasi-nn style);
             steps without one run where the executor puts them: see "wasm_fallback_steps"
  aaas       the executor chooses the runtime per step from its measured profiles, learned in a
             short unmeasured warm-up (as a deployment keeps them in its state); instances
             still start cold

Every (service, configuration) run starts fresh executors; configurations are interleaved and
their order reversed each round (--rounds), so load drift on the shared machine favours none.
Latency is per request, open loop: completion minus the scheduled arrival (queueing included).
Peak memory is the largest sum, over time, of the peak memory of the instances alive then (an
instance lives from its first call to its last call plus the keep-alive; the largest run
counts): wasm instances count their linear memory, workers their cgroup peak; a host model that
wasm instances share (OCR networks, traffic models) counts once per node while an instance using
it lives, with the resident memory it adds to a process (measured at start in a fresh process);
executor processes are not counted otherwise (the same in every configuration). Prints one JSON
object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

from dp_agents.executor import ExecutorCaller, executor_functions  # noqa: E402
from dp_agents.handoff import deploy_service  # noqa: E402
from dp_agents.runner import run_plan  # noqa: E402
from dp_agents.trace import arrivals, idle_gaps  # noqa: E402
from edge_exec.cluster import EdgeCluster, twin_netns  # noqa: E402
from edge_exec.profiles import ProfileBook, percentile  # noqa: E402
from twin.model import load_topology  # noqa: E402

CONFIGS = ("process", "container", "wasm", "aaas")
KEEP_ALIVE_S = 10.0
CALIBRATION = 10  # warm-up requests per service from which AaaS learns its runtime profiles
SECONDS_PER_SLOT = 0.2
NODES = ["du1", "du2", "du3", "du4", "cu1", "cu2", "edge1", "edge2"]
REQUESTS = {  # sized so that a quiet 2-core machine is busy in rush hours, not saturated all along
    "license_plate_recognition": 24,
    "traffic_flow_prediction": 36,
    "blind_zone_completion": 8,
}
SOURCES = {  # two sources per service, under different DUs: placement keeps each near its own
    "license_plate_recognition": ["cam1", "cam2"],
    "traffic_flow_prediction": ["veh1", "veh2"],
    "blind_zone_completion": ["veh1", "veh3"],
}
SEEDS = {"license_plate_recognition": 11, "traffic_flow_prediction": 12, "blind_zone_completion": 13}


def day_speeds():
    from dp_agents.traffic.series import STEPS_PER_DAY, metr_speeds

    grid = metr_speeds()
    day = 5  # 2012-03-06, a Tuesday with both rush hours
    return grid.values[day * STEPS_PER_DAY : (day + 1) * STEPS_PER_DAY].mean(axis=1)


def workloads() -> dict[str, list]:
    """Payload pools: requests cycle through them; each keeps what its quality check needs."""
    from dp_agents.bev.scene import render_scene
    from dp_agents.plates.synth import generate_plates
    from dp_agents.traffic.readings import traffic_request

    plates = [(p.frame, p.label) for p in generate_plates(20, seed=7)]
    traffic = [
        (
            traffic_request(
                f"2012-03-0{6 + k % 2}T{7 + k % 12:02d}:{(k * 5) % 60:02d}:00", ("6005", "t4013")[k % 2], None
            ),
            None,
        )
        for k in range(16)
    ]
    scenes = []
    for seed in (11, 5):
        scene = render_scene(seed)
        request = {
            "frames": {c.name: f for c, f in zip(scene.cameras, scene.frames, strict=True)},
            "cameras": {c.name: c.to_json() for c in scene.cameras},
        }
        scenes.append((request, scene))
    return {
        "license_plate_recognition": plates,
        "traffic_flow_prediction": traffic,
        "blind_zone_completion": scenes,
    }


def replay(cluster, config: str, service: str, times: list[float], pool: list) -> list[dict]:
    """Issue the trace open loop; return one record per request."""
    plan = deploy_service({"service": service, "near": SOURCES[service][0], "latency_ms": 60_000})
    runtime = None if config == "aaas" else config
    records: list[dict] = [{} for _ in times]

    def one(index: int, scheduled: float) -> None:
        source = SOURCES[service][index % len(SOURCES[service])]
        payload, truth = pool[index % len(pool)]
        caller = ExecutorCaller(cluster, source, runtime)
        try:
            output = run_plan(plan, payload, caller).output
            error = None
        except Exception as exc:  # noqa: BLE001 - a failed request is recorded, not fatal
            output, error = None, f"{type(exc).__name__}: {exc}"
        records[index] = {
            "latency_ms": (time.perf_counter() - scheduled) * 1000,
            "output": output,
            "truth": truth,
            "error": error,
            "meta": dict(caller.meta),
            "end": time.perf_counter(),
        }

    start = time.perf_counter() + 0.2
    with ThreadPoolExecutor(max_workers=16, thread_name_prefix="request") as workers:
        for index, offset in enumerate(times):
            scheduled = start + offset
            time.sleep(max(0.0, scheduled - time.perf_counter()))
            workers.submit(one, index, scheduled)
    return records


HOST_MODEL_PROBE = """
import sys
from edge_exec.functions import resolve_entry
def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * 4096 / 2**20
import edge_exec.runtimes.wasm  # noqa: F401 - what an executor holds before any model (wasmtime, numpy)
before = rss()
model = resolve_entry(sys.argv[1])()  # the loader's own imports (onnxruntime, OpenCV) count
print(rss() - before)
"""


def host_model_footprints() -> dict[str, dict[str, float]]:
    """function -> {loader: MiB a loaded host model adds to the executor}, measured in a fresh process."""
    from dp_agents.toolbox import TOOLBOX

    measured: dict[str, float] = {}
    out: dict[str, dict[str, float]] = {}
    for function in TOOLBOX.values():
        for _, loader in function.wasm.models if function.wasm else ():
            if loader not in measured:
                probe = subprocess.run([sys.executable, "-c", HOST_MODEL_PROBE, loader], capture_output=True,
                                       text=True, timeout=300, cwd=ROOT)
                if probe.returncode != 0:
                    raise SystemExit(f"host model {loader} does not load: {probe.stderr.strip()[-400:]}")
                measured[loader] = round(float(probe.stdout.strip().splitlines()[-1]), 2)
            out.setdefault(function.name, {})[loader] = measured[loader]
    return out


HOST_MODELS: dict[str, dict[str, float]] = {}   # filled in main(): function -> {loader: MiB}


def peak_memory_mib(records: list[dict]) -> float:
    """Largest, over the runs, of the largest sum of live instances' peaks (an instance lives from
    its first call to its last call plus the keep-alive)."""
    runs: dict[str, list[dict]] = {}
    for record in records:
        runs.setdefault(record.get("run", ""), []).append(record)
    return max((_run_peak_mib(run) for run in runs.values()), default=0.0)


def _run_peak_mib(records: list[dict]) -> float:
    spans: dict[str, list[float]] = {}
    for record in records:
        for meta in record["meta"].values():
            end = record["end"]
            begin = end - meta["latency_ms"] / 1000
            shared = HOST_MODELS.get(meta["function"], {}) if meta["runtime"] == "wasm" else {}
            holders = [(f"{meta['node']}/{meta['instance']}", meta["peak_mib"])]
            holders += [(f"{meta['node']}/host:{loader}", mib) for loader, mib in shared.items()]
            for key, mib in holders:
                span = spans.setdefault(key, [begin, end, 0.0])
                span[0], span[1], span[2] = min(span[0], begin), max(span[1], end), max(span[2], mib)
    events = sorted([(b, m) for b, _, m in spans.values()] + [(e + KEEP_ALIVE_S, -m) for _, e, m in spans.values()])
    live = peak = 0.0
    for _, delta in events:
        live += delta
        peak = max(peak, live)
    return peak


def summary(records: list[dict]) -> dict:
    ok = [r["latency_ms"] for r in records if r["error"] is None]
    runtimes: dict[str, dict[str, int]] = {}
    cold = 0
    for record in records:
        for step, meta in record["meta"].items():
            runtimes.setdefault(step, {}).setdefault(meta["runtime"], 0)
            runtimes[step][meta["runtime"]] += 1
            cold += bool(meta["cold"])
    return {
        "avg_ms": round(statistics.fmean(ok), 2) if ok else None,
        "p95_ms": round(percentile(ok, 0.95), 2) if ok else None,
        "min_ms": round(min(ok), 2) if ok else None,
        "median_ms": round(statistics.median(ok), 2) if ok else None,
        "peak_mib": round(peak_memory_mib(records), 2),
        "requests": len(records),
        "failed": len(records) - len(ok),
        "cold_starts": cold,
        "runtimes": runtimes,
        "errors": sorted({r["error"][:160] for r in records if r["error"]})[:3],
    }


def quality(service: str, records: list[dict]) -> dict:
    answered = [r for r in records if r["error"] is None]
    if service == "license_plate_recognition":
        right = sum(r["output"]["plate"] == r["truth"] for r in answered)
        return {"plate_accuracy": round(right / max(len(answered), 1), 4), "plates": len(answered)}
    if service == "blind_zone_completion":
        from dp_agents.bev.fusion import BEV_EXTENT_M, BEV_SIZE, psnr
        from dp_agents.bev.scene import ground_truth
        from dp_agents.bev.steps import decode_bev

        scores = []
        for r in answered:
            image, known = decode_bev(r["output"]["bev_png"])
            scores.append((known.mean(), psnr(image, ground_truth(r["truth"].texture, BEV_SIZE, BEV_EXTENT_M), known)))
        return {
            "coverage": round(statistics.fmean(c for c, _ in scores), 4) if scores else None,
            "psnr_db": round(statistics.fmean(p for _, p in scores), 2) if scores else None,
        }
    from dp_agents.traffic.evaluation import held_out_scores

    return {"mae_mph": held_out_scores(), "answered": len(answered)}


def run_once(
    config: str, service: str, times: list[float], pool: list, twin: str | None, profiles: dict | None = None
) -> list[dict]:
    """One service under one configuration on fresh executors (no warm instance carried over);
    with `twin`, each executor runs inside its emulated node's namespace. `profiles` are runtime
    profiles the executor learned before (AaaS keeps them in its state, so does this run)."""
    state = Path(tempfile.mkdtemp(prefix="dps-"))
    netns = {} if twin is None else {"netns": twin_netns(twin)}
    cluster = EdgeCluster(load_topology("edge6g"), state, keep_alive_s=KEEP_ALIVE_S, **netns)
    if profiles is not None:
        cluster.profiles = ProfileBook.from_dict(profiles)
    try:
        cluster.start(NODES)
        for function in executor_functions():
            cluster.deploy(function)
        records = replay(cluster, config, service, times, pool)
        for record in records:
            record["run"] = state.name  # instances are per run: peak memory is per run
        return records
    finally:
        cluster.stop()
        shutil.rmtree(state, ignore_errors=True)


def learn_profiles(pools: dict, twin: str | None) -> dict:
    """What an AaaS deployment knows after some service: runtime profiles from a short warm-up
    (CALIBRATION requests per service, one at a time, not measured), as its state file keeps them."""
    state = Path(tempfile.mkdtemp(prefix="dps-"))
    netns = {} if twin is None else {"netns": twin_netns(twin)}
    cluster = EdgeCluster(load_topology("edge6g"), state, keep_alive_s=KEEP_ALIVE_S, **netns)
    try:
        cluster.start(NODES)
        for function in executor_functions():
            cluster.deploy(function)
        for service, pool in pools.items():
            plan = deploy_service({"service": service, "near": SOURCES[service][0], "latency_ms": 60_000})
            for index in range(CALIBRATION):
                run_plan(plan, pool[index % len(pool)][0], ExecutorCaller(cluster, SOURCES[service][0], None))
            for node in cluster.handles:
                cluster.client(node).reap(0)
        return cluster.profiles.to_dict()
    finally:
        cluster.stop()
        shutil.rmtree(state, ignore_errors=True)


def run_all(configs: list[str], traces: dict, pools: dict, rounds: int, twin: str | None) -> dict:
    """Configurations interleaved, the order reversed every round, so that a machine whose load
    drifts (it is shared) does not favour whichever configuration happens to run last."""
    raw: dict[str, dict[str, list[dict]]] = {c: {s: [] for s in traces} for c in configs}
    learned = learn_profiles(pools, twin) if "aaas" in configs else None
    for round_index in range(rounds):
        order = configs if round_index % 2 == 0 else configs[::-1]
        for service, times in traces.items():
            for config in order:
                profiles = learned if config == "aaas" else None
                raw[config][service].extend(run_once(config, service, times, pools[service], twin, profiles))
    return raw


def ratios(table: dict) -> dict:
    out = {}
    for service, configs in table.items():
        aaas = configs["aaas"]
        out[service] = {
            f"aaas_over_{base}_{key}": round(aaas[key] / configs[base][key], 3)
            for base in ("container", "wasm")
            for key in ("avg_ms", "p95_ms", "peak_mib")
            if aaas.get(key) and configs[base].get(key)
        }
    return out


def plot(table: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(table), 3, figsize=(12, 3 * len(table)), squeeze=False)
    for row, (service, configs) in enumerate(table.items()):
        for col, key in enumerate(("avg_ms", "p95_ms", "peak_mib")):
            ax = axes[row][col]
            ax.bar(CONFIGS, [configs[c].get(key) or 0 for c in CONFIGS], color=["#888", "#4a7", "#58c", "#d63"])
            ax.set_title(f"{service.replace('_', ' ')}: {key}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    parser.add_argument("--plot", type=Path, default=ROOT / "benchmarks" / "seed_cases.png")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the request counts")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--services", default=",".join(REQUESTS), help="comma-separated subset of the services")
    parser.add_argument("--rounds", type=int, default=2, help="repetitions, configuration order reversed each")
    parser.add_argument("--twin", help="run the executors inside this running emulated network (aaas twin up)")
    args = parser.parse_args()
    speeds = day_speeds()
    unknown = set(args.services.split(",")) - set(REQUESTS)
    if unknown:
        parser.error(f"unknown services {sorted(unknown)} (known: {', '.join(REQUESTS)})")
    traces = {
        s: arrivals(speeds, max(2, round(n * args.scale)), SECONDS_PER_SLOT, SEEDS[s])
        for s, n in REQUESTS.items()
        if s in args.services.split(",")
    }
    pools = {s: pool for s, pool in workloads().items() if s in traces}
    HOST_MODELS.update(host_model_footprints())
    load_before = os.getloadavg()
    raw = run_all(args.configs.split(","), traces, pools, args.rounds, args.twin)
    table = {s: {c: summary(raw[c][s]) for c in raw} for s in traces}
    report = {
        "services": table,
        "quality": {s: quality(s, raw["aaas" if "aaas" in raw else next(iter(raw))][s]) for s in traces},
        "trace": {
            s: {
                "requests": len(t),
                "duration_s": round(t[-1], 2) if t else 0,
                "gaps_longer_than_keep_alive": idle_gaps(t, KEEP_ALIVE_S),
            }
            for s, t in traces.items()
        },
        "keep_alive_s": KEEP_ALIVE_S,
        "machine": {
            "cpus": os.cpu_count(),
            "load_avg_before": [round(v, 2) for v in load_before],
            "load_avg_after": [round(v, 2) for v in os.getloadavg()],
        },
        "nodes": NODES,
        "host_model_mib": HOST_MODELS,
        "wasm_fallback_steps": sorted(
            {
                step
                for s in traces
                for step, rt in table[s].get("wasm", {}).get("runtimes", {}).items()
                if "wasm" not in rt
            }
        ),
    }
    if set(CONFIGS) <= set(raw):
        report["ratios"] = ratios(table)
        plot(table, args.plot)
        report["plot"] = str(args.plot)
    print(json.dumps(report))


if __name__ == "__main__":
    threading.current_thread().name = "seed-cases"
    main()
