"""Issuing service requests from a camera's or vehicle's host of the emulated network.

    nsenter -t <host pid> -n -- python -m dp_agents.on_host --state DIR --source cam1 \\
        --service license_plate_recognition --requests IN --answers OUT [--runtime wasm,container]

The program runs inside the source host's network namespace (`host_request_command` builds the
command line). It plans the service near the host, places each step with the edge cluster whose
state is in DIR, and sends the step's input to the placed node's executor over TCP on the twin's
addresses; each output comes back to the host and goes on from there to the next step's node.
So a request, and every hand-off between its steps, crosses the emulated links.

IN holds a dp_agents.payload list of requests; OUT receives a payload
{"source", "netns", "answers": [...], "steps": [{step id: executor meta}, ...]}.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from dp_agents.errors import ComponentMissing, DataPlaneError
from dp_agents.executor import ExecutorCaller
from dp_agents.handoff import deploy_service
from dp_agents.payload import pack, unpack
from dp_agents.runner import run_plan
from edge_exec.cluster import EdgeCluster
from edge_exec.errors import EdgeExecError
from twin.model import load_topology

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def host_request_command(netns_pid: int, state: Path, source: str, service: str, requests: Path,
                         answers: Path, runtimes: tuple[str, ...] = ()) -> list[str]:
    """The command that issues `requests` from inside the namespace held by `netns_pid`."""
    nsenter = shutil.which("nsenter")
    if nsenter is None:
        raise ComponentMissing("nsenter not found (util-linux): needed to enter the source host's namespace")
    argv = [nsenter, "-t", str(netns_pid), "-n", "--", sys.executable, "-m", "dp_agents.on_host",
            "--state", str(state), "--source", source, "--service", service,
            "--requests", str(requests), "--answers", str(answers)]
    return argv + (["--runtime", ",".join(runtimes)] if runtimes else [])


def host_environment() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), PYTHONDONTWRITEBYTECODE="1")


def network_cluster(state: Path) -> EdgeCluster:
    """The cluster recorded in `state`, reached over the network from this namespace."""
    try:
        recorded = json.loads((state / "cluster.json").read_text())
    except (OSError, ValueError) as exc:
        raise DataPlaneError(f"no edge cluster state in {state}: {exc}") from exc
    return EdgeCluster(load_topology(recorded["topology"]), state, over_network=True)


def issue(cluster: EdgeCluster, source: str, service: str, requests: list[Any],
          runtimes: tuple[str, ...] = ()) -> dict:
    plan = deploy_service({"service": service, "near": source, "latency_ms": None})
    answers, steps = [], []
    for request in requests:
        caller = ExecutorCaller(cluster, source, runtimes or None)
        answers.append(run_plan(plan, request, caller).output)
        steps.append(caller.meta)
    return {"source": source, "netns": os.readlink("/proc/self/ns/net"), "answers": answers, "steps": steps}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dp_agents.on_host")
    parser.add_argument("--state", required=True, type=Path, help="the edge cluster's state folder")
    parser.add_argument("--source", required=True, help="the host the requests come from (e.g. cam1)")
    parser.add_argument("--service", required=True)
    parser.add_argument("--requests", required=True, type=Path, help="payload file: a list of requests")
    parser.add_argument("--answers", required=True, type=Path, help="payload file written with the answers")
    parser.add_argument("--runtime", default="", help="runtimes to prefer, comma-separated")
    args = parser.parse_args(argv)
    try:
        requests = unpack(args.requests.read_bytes())
        if not isinstance(requests, list):
            raise DataPlaneError(f"{args.requests} holds {type(requests).__name__}, not a list of requests")
        cluster = network_cluster(args.state)
        runtimes = tuple(r for r in args.runtime.split(",") if r)
        result = issue(cluster, args.source, args.service, requests, runtimes)
    except (OSError, DataPlaneError, EdgeExecError) as exc:
        print(f"dp_agents.on_host: {exc}", file=sys.stderr)
        return 1
    partial = args.answers.with_suffix(".partial")
    partial.write_bytes(pack(result))
    os.replace(partial, args.answers)
    print(json.dumps({"source": args.source, "answers": len(result["answers"])}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
