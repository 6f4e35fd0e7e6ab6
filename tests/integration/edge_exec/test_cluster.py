"""The cluster over real executors in their own namespaces: placement near the data source,
runtime choice from measurements, drain with a request in flight."""

import threading
import time
import zlib

import pytest

from edge_exec.catalog import builtin_functions
from edge_exec.cluster import EdgeCluster
from edge_exec.errors import PlacementError
from twin.model import load_topology

pytestmark = pytest.mark.integration
CATALOG = {f.name: f for f in builtin_functions()}
NODES = ["du1", "cu1", "edge1"]


@pytest.fixture
def cluster(state_dir, netns):
    spaces = {node: netns() for node in NODES}
    cluster = EdgeCluster(load_topology("edge6g"), state_dir, netns=lambda node: spaces[node].pid)
    try:
        cluster.start(NODES)
        for name in ("checksum", "sleepy"):
            cluster.deploy(CATALOG[name])
        yield cluster, spaces
    finally:
        cluster.stop()


def test_requests_run_near_their_source_and_the_choice_follows_measurements(cluster):
    cl, spaces = cluster
    assert cl.client("du1").ping()["netns"] == spaces["du1"].inode
    runtimes = []
    for i in range(10):
        payload = bytes([i]) * 100
        result = cl.invoke("checksum", payload, source="cam1")
        assert result.output == zlib.adler32(payload).to_bytes(4, "big")
        assert (result.meta["node"], result.meta["hops"]) == ("du1", 2)
        runtimes.append(result.meta["runtime"])
    assert {"wasm", "container"} <= set(runtimes) and "process" not in runtimes   # both explored
    expected = cl.profiles.choose(cl.registry.get("checksum")).runtime
    assert runtimes[-1] == expected
    assert cl.invoke("checksum", b"x", source="cam3").meta["node"] == "cu1"    # du3 has no executor


def test_draining_a_node_moves_new_requests_and_finishes_in_flight_ones(cluster):
    cl, _ = cluster
    in_flight = {}
    slow = threading.Thread(target=lambda: in_flight.update(
        result=cl.invoke("sleepy", b"400:slow", source="cam1", runtime="process")))
    slow.start()
    for _ in range(2000):                 # until the slow request is inside du1
        if cl.client("du1").load()["in_flight"]:
            break
        time.sleep(0.005)
    removed = cl.drain("du1")
    slow.join(timeout=30)
    assert in_flight["result"].output == b"400:slow" and in_flight["result"].meta["node"] == "du1"
    assert removed >= 1 and cl.client("du1").instances() == []
    moved = cl.invoke("sleepy", b"0:next", source="cam1", runtime="process")
    assert moved.meta["node"] == "cu1"
    cl.undrain("du1")
    assert cl.invoke("sleepy", b"0:back", source="cam1", runtime="process").meta["node"] == "du1"


def test_state_is_shared_with_a_second_driver(cluster, state_dir):
    cl, _ = cluster
    cl.invoke("checksum", b"x", source="cam1", runtime="wasm")
    cl.save()
    again = EdgeCluster(load_topology("edge6g"), state_dir)
    assert sorted(again.handles) == sorted(NODES) and "checksum" in again.registry
    assert again.invoke("checksum", b"x", source="cam2").meta["node"] in NODES
    with pytest.raises(PlacementError):
        again.client("du4")


def test_a_step_needing_a_gpu_runs_only_where_there_is_one(cluster):
    from edge_exec.functions import Function
    cl, _ = cluster
    cl.deploy(Function("gpu_checksum", python="edge_exec.catalog:checksum", accelerator="gpu"))
    assert "gpu_checksum" not in cl.client("du1").load()["functions"]
    result = cl.invoke("gpu_checksum", b"frame", source="cam1")
    assert result.meta["node"] == "edge1" and result.output == zlib.adler32(b"frame").to_bytes(4, "big")


def test_a_dead_executor_is_passed_over(cluster):
    import os
    import signal
    cl, _ = cluster
    os.kill(cl.handles["du1"].pid, signal.SIGKILL)
    result = cl.invoke("checksum", b"frame", source="cam1", runtime="wasm")
    assert result.meta["node"] == "cu1"
