"""EdgeCluster.invoke against in-process node executors (fake runtimes): where requests land."""

import threading

import pytest

from edge_exec.capacity import NodeCapacity
from edge_exec.client import parse_address
from edge_exec.cluster import EdgeCluster, network_client
from edge_exec.errors import ExecutorError, PlacementError
from edge_exec.functions import Function, Limits
from edge_exec.launcher import ExecutorHandle, executor_argv
from edge_exec.node import NodeExecutor
from edge_exec.server import NETWORK_OPS, ExecutorService
from twin.model import load_topology

from .fakes import FakeRuntime

TOPO = load_topology("edge6g")
STEP = Function("step", python="m:f", limits=Limits(memory_mib=64, cpu=1.0))


class InProcessClient:
    """Calls a NodeExecutor directly. A request that the node could only serve by queueing (no idle
    instance of its runtime, no room for a new one) is refused loudly instead of waiting."""

    def __init__(self, node: NodeExecutor) -> None:
        self.node = node

    def load(self) -> dict:
        return self.node.load()

    def deploy(self, function: Function) -> list[str]:
        return self.node.deploy(function)

    def invoke(self, function: str, payload: bytes, runtime: str | None = None) -> tuple[bytes, dict]:
        idle = [row for row in self.node.instances()
                if (row["function"], row["runtime"], row["in_flight"]) == (function, runtime, 0)]
        if not idle and not self.node.ledger.fits(self.node.function(function).limits):
            raise AssertionError(f"{function} on {runtime} would queue on the full node {self.node.node}")
        return self.node.invoke(function, payload, runtime)

    def close(self) -> None:
        pass


def named_runtime(name: str) -> FakeRuntime:
    runtime = FakeRuntime()
    runtime.name = name
    return runtime


@pytest.fixture
def cluster(tmp_path):
    nodes = {}
    for name, cpu in (("du1", 1.0), ("cu1", 4.0)):
        runtimes: dict[str, FakeRuntime] = {}
        nodes[name] = NodeExecutor(name, NodeCapacity(cpu, 4096),
                                   runtimes=lambda r, runtimes=runtimes: runtimes.setdefault(r, named_runtime(r)))
    edge = EdgeCluster(TOPO, tmp_path, connect=lambda handle: InProcessClient(nodes[handle.node]))
    for name in nodes:
        edge.handles[name] = ExecutorHandle(name, 0, str(tmp_path / f"{name}.sock"), None)
    edge.deploy(STEP)
    return edge


def test_an_idle_instance_of_one_runtime_does_not_draw_a_request_for_another(cluster):
    first = cluster.invoke("step", b"ab", "cam1", runtime="process")
    assert (first.output, first.meta["node"]) == (b"ba", "du1")   # du1 is now full, its instance idle
    other = cluster.invoke("step", b"ab", "cam1", runtime="container")
    assert other.meta["node"] == "cu1" and other.meta["cold"]
    again = cluster.invoke("step", b"cd", "cam1", runtime="process")
    assert again.meta["node"] == "du1" and not again.meta["cold"]
    assert cluster.place("step", "cam1", runtime="process").warm
    container = cluster.place("step", "cam1", runtime="container")
    assert (container.node, container.warm) == ("cu1", True)   # warm where its own runtime idles


def test_requests_record_what_they_carried(cluster):
    meta = cluster.invoke("step", b"abc", "cam1", runtime="process").meta
    assert (meta["payload_bytes"], meta["output_bytes"], meta["source"]) == (3, 3, "cam1")


def test_a_network_address_needs_the_node_namespace_and_a_valid_form(tmp_path):
    with pytest.raises(ExecutorError, match="needs the node's namespace"):
        executor_argv("du1", NodeCapacity(1.0, 512), tmp_path / "s", tmp_path, tmp_path, 1.0, None, "10.0.0.9:7470")
    argv = executor_argv("du1", NodeCapacity(1.0, 512), tmp_path / "s", tmp_path, tmp_path, 1.0, 4242,
                         "10.0.0.9:7470")
    assert argv[0].endswith("nsenter") and argv[1:4] == ["-t", "4242", "-n"]
    assert argv[argv.index("--listen") + 1] == "10.0.0.9:7470"
    assert parse_address("10.0.0.9:7470") == ("10.0.0.9", 7470)
    for bad in ("du1:7470", "10.0.0.9", "10.0.0.9:0", "10.0.0.9:http"):
        with pytest.raises(ExecutorError, match="address"):
            parse_address(bad)
    with pytest.raises(PlacementError, match="no network address"):
        network_client(ExecutorHandle("du1", 1, "/tmp/x.sock", None))


def test_the_network_side_offers_only_the_request_path():
    node = NodeExecutor("du1", NodeCapacity(1.0, 512), runtimes=named_runtime)
    stop = threading.Event()
    service = ExecutorService(node, stop, NETWORK_OPS)
    reply, _ = service.handle({"op": "shutdown"}, b"")
    assert not reply["ok"] and "unix socket" in reply["error"] and not stop.is_set()
    assert service.handle({"op": "ping"}, b"")[0]["ok"]
    assert not service.handle({"op": "deploy", "function": STEP.to_dict()}, b"")[0]["ok"]
