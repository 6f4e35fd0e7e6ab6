"""One service request run across a running twin, as `aaas service run --twin NAME` does it.

Node executors start inside the twin's compute nodes, listening on the nodes' own addresses;
the request is issued from inside the source host's namespace (dp_agents.on_host), so the
request and every hand-off between steps cross the emulated links. The executors are this
run's own and stop when it ends (a standing cluster is `aaas exec up --twin NAME`); they listen
on a port of their own, so a standing cluster on the same twin is left alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from dp_agents.errors import ComponentMissing, IntentError, StepFailed
from dp_agents.executor import serving_cluster
from dp_agents.on_host import host_environment, host_request_command
from dp_agents.payload import pack, unpack
from edge_exec.cluster import compute_nodes, twin_addresses, twin_netns
from edge_exec.errors import EdgeExecError
from twin.model import TopologyError, load_topology

REQUEST_TIMEOUT_S = 600      # cold containers and model loads on a busy machine, bounded
KEEP_ALIVE_S = 60.0
PORTS = (7500, 500)          # first port, how many: standing clusters use edge_exec's EXECUTOR_PORT (7470)


def run_on_twin(twin: str, service: str, source: str, request: Any,
                timeout_s: float = REQUEST_TIMEOUT_S) -> dict:
    """{"output", "steps": {step: executor meta}, "source", "netns"} of one request from `source`."""
    from twin.emu import EmuError, Network

    try:
        addresses, netns = twin_addresses(twin, PORTS[0] + os.getpid() % PORTS[1]), twin_netns(twin)
        network = Network.load(twin)
    except (EdgeExecError, EmuError) as exc:
        raise ComponentMissing(f"no running twin {twin!r} (`aaas twin up --name {twin}`): {exc}") from exc
    if source not in network.topology.nodes or not network.topology.nodes[source].is_host:
        raise IntentError(f"{source!r} is not a host of twin {twin!r}: requests come from a host "
                          "(e.g. cam1, veh1)")
    try:
        host_pid = network.node_pid(source)
    except EmuError as exc:
        raise ComponentMissing(f"host {source!r} of twin {twin!r} has no namespace: {exc}") from exc
    try:        # by name, as the executors and dp_agents.on_host load it: the model, without <node>_srv
        topology = load_topology(network.topology.name)
    except TopologyError as exc:
        raise ComponentMissing(f"twin {twin!r} runs topology {network.topology.name!r}, which is not in "
                               f"topologies/: {exc}") from exc
    try:
        with serving_cluster(topology, compute_nodes(topology), netns=netns, addresses=addresses,
                             keep_alive_s=KEEP_ALIVE_S) as cluster:
            return _issue(cluster.state_dir, host_pid, service, source, request, timeout_s)
    except EdgeExecError as exc:
        raise StepFailed(f"edge executor: {exc}") from exc


def _issue(state: Path, host_pid: int, service: str, source: str, request: Any, timeout_s: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="req-"))
    try:
        (folder / "requests").write_bytes(pack([request]))
        argv = host_request_command(host_pid, state, source, service, folder / "requests", folder / "answers")
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s, env=host_environment())
        except subprocess.TimeoutExpired as exc:
            raise StepFailed(f"the request from {source} did not finish within {timeout_s:.0f} s") from exc
        if done.returncode != 0:
            raise StepFailed(f"the request from {source} failed: {done.stderr.strip()[-600:]}")
        result = unpack((folder / "answers").read_bytes())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"output": result["answers"][0], "steps": result["steps"][0], "source": result["source"],
            "netns": result["netns"]}
