"""The executor inside the emulated edge6g network (twin.emu): one executor per compute node in
that node's namespace, functions in all three runtimes, limits enforced, scale to zero, and
requests from a camera host reaching the placed node over the emulated links."""

import json
import os
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from edge_exec.catalog import builtin_functions
from edge_exec.cluster import EdgeCluster, twin_addresses
from edge_exec.errors import MemoryLimitExceeded, TimeLimitExceeded
from edge_exec.functions import Limits
from twin.model import load_topology

pytestmark = pytest.mark.integration
CATALOG = {f.name: f for f in builtin_functions()}
NODES = ["du1", "cu1", "edge1"]


@pytest.fixture(scope="module")
def edge6g():
    from twin.emu import down, up
    name = f"eex{os.getpid() % 10000}"
    network = up(load_topology("edge6g"), name, die_with_parent=True)
    try:
        yield network
    finally:
        down(name)


@pytest.fixture
def cluster(edge6g, state_dir):
    cluster = EdgeCluster(load_topology("edge6g"), state_dir, netns=edge6g.node_pid,
                          addresses=twin_addresses(edge6g), keep_alive_s=0.5)
    try:
        cluster.start(NODES)
        for name in ("checksum", "whereami", "spin", "blowup"):
            cluster.deploy(CATALOG[name])
        yield cluster
    finally:
        cluster.stop()


def test_every_runtime_runs_inside_the_emulated_nodes(cluster, edge6g):
    for node in NODES:
        node_netns = os.readlink(f"/proc/{edge6g.node_pid(node)}/ns/net")
        assert cluster.client(node).ping()["netns"] == node_netns
        for runtime in ("wasm", "container", "process"):
            payload = f"{node}-{runtime}".encode()
            output, meta = cluster.client(node).invoke("checksum", payload, runtime)
            assert output == zlib.adler32(payload).to_bytes(4, "big") and meta["node"] == node
        for runtime in ("container", "process"):
            output, _ = cluster.client(node).invoke("whereami", b"", runtime)
            assert json.loads(output)["netns"] == node_netns


def test_placement_and_limits_in_the_emulated_network(cluster):
    assert cluster.invoke("checksum", b"frame", source="cam1").meta["node"] == "du1"
    assert cluster.invoke("checksum", b"frame", source="veh2").meta["node"] == "cu1"   # du2 not started
    quick = Limits(memory_mib=48, cpu=0.5, time_ms=300, pids=16)
    cluster.deploy(replace(CATALOG["spin"], limits=quick))
    with pytest.raises(TimeLimitExceeded):
        cluster.invoke("spin", b"x", source="cam1", runtime="wasm")
    with pytest.raises(MemoryLimitExceeded):
        cluster.invoke("blowup", b"x", source="cam1", runtime="container")
    assert cluster.invoke("checksum", b"still", source="cam1", runtime="container").meta["node"] == "du1"


def test_instances_scale_to_zero_in_the_emulated_nodes(cluster):
    for runtime in ("wasm", "container", "process"):
        assert cluster.invoke("checksum", b"x", source="cam1", runtime=runtime).meta["cold"]
    du1 = cluster.client("du1")
    deadline = time.monotonic() + 15
    while du1.instances() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert du1.instances() == []
    counters = du1.load()["counters"]
    assert counters["instances_started"] == counters["instances_removed"] >= 3
    started = {event[2] for event in du1.events() if event[1] == "start"}
    removed = {event[2] for event in du1.events() if event[1] == "remove"}
    assert started == removed and {name.rsplit("-", 1)[1][0] for name in started} >= {"w", "c", "p"}


# Run inside cam1's namespace: place and invoke over the network (TCP to the twin addresses).
FROM_CAMERA = """
import json, sys, zlib
from pathlib import Path
from edge_exec.cluster import EdgeCluster
from edge_exec.errors import ExecutorError
from twin.model import load_topology
cluster = EdgeCluster(load_topology("edge6g"), Path(sys.argv[1]), over_network=True)
payload = bytes(range(256)) * 2048
result = cluster.invoke("checksum", payload, source="cam1", runtime="process")
assert result.output == zlib.adler32(payload).to_bytes(4, "big")
try:
    cluster.client("du1").shutdown()
    refused = ""
except ExecutorError as exc:
    refused = str(exc)
print(json.dumps({"meta": result.meta, "refused": refused}))
"""


def link_bytes(network, a: str, b: str, direction: str) -> int:
    return sum(int(Path(f"/sys/class/net/{intf}/statistics/{direction}_bytes").read_text())
               for intf in network.link_interfaces(a, b))


def test_a_request_from_a_camera_crosses_the_emulated_links(cluster, edge6g, state_dir):
    assert cluster.handles["du1"].address == f"{edge6g.ip('du1_srv')}:7470"
    before = {"cam1": link_bytes(edge6g, "cam1", "ru1", "rx"), "du1": link_bytes(edge6g, "du1", "du1_srv", "tx")}
    done = edge6g.run_in("cam1", [sys.executable, "-c", FROM_CAMERA, str(state_dir)], timeout=120)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["meta"]["node"] == "du1" and answer["meta"]["payload_bytes"] == 512 * 1024
    assert "not offered over the network" in answer["refused"]       # control stays on the unix socket
    assert cluster.client("du1").ping()["node"] == "du1"
    # what cam1 sent entered ru1's port and left du1's port towards its compute server
    assert link_bytes(edge6g, "cam1", "ru1", "rx") - before["cam1"] >= 512 * 1024
    assert link_bytes(edge6g, "du1", "du1_srv", "tx") - before["du1"] >= 512 * 1024
