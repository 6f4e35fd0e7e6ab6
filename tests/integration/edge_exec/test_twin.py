"""The executor inside the emulated edge6g network (twin.emu): one executor per compute node in
that node's namespace, functions in all three runtimes, limits enforced, scale to zero."""

import json
import os
import time
import zlib
from dataclasses import replace

import pytest

from edge_exec.catalog import builtin_functions
from edge_exec.cluster import EdgeCluster
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
    cluster = EdgeCluster(load_topology("edge6g"), state_dir, netns=edge6g.node_pid, keep_alive_s=0.5)
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
