import pytest

from edge_exec.capacity import NodeCapacity
from edge_exec.errors import Draining, FunctionError, MemoryLimitExceeded
from edge_exec.functions import Function, Limits
from edge_exec.node import NodeExecutor
from edge_exec.protocol import error_reply, raise_error

from .fakes import FakeRuntime

STEP = Function("step", python="m:f", limits=Limits(memory_mib=64, cpu=0.5))


def make_node(**capacity) -> tuple[NodeExecutor, FakeRuntime]:
    runtime = FakeRuntime()
    node = NodeExecutor("du1", NodeCapacity(**({"cpu": 2.0, "memory_mib": 4096} | capacity)),
                        runtimes=lambda name: runtime)
    return node, runtime


def test_deploy_prepares_each_runtime_and_invoke_reports_where_it_ran():
    node, runtime = make_node()
    assert node.deploy(STEP) == ["container", "process"]
    assert runtime.prepared == ["step", "step"]
    output, meta = node.invoke("step", b"abc", "process")
    assert output == b"cba"
    assert meta | {"latency_ms": 0} == meta | {"node": "du1", "function": "step", "runtime": "process",
                                               "cold": True, "attempts": 1, "latency_ms": 0}


def test_unknown_functions_runtimes_and_missing_accelerators_are_usage_errors():
    node, _ = make_node()
    with pytest.raises(FunctionError, match="not deployed"):
        node.invoke("step", b"")
    node.deploy(STEP)
    with pytest.raises(FunctionError, match="no artifact"):
        node.invoke("step", b"", "wasm")
    with pytest.raises(FunctionError, match="accelerator"):
        node.deploy(Function("gpu", python="m:g", accelerator="gpu"))


def test_load_reports_capacity_instances_and_counters():
    node, _ = make_node()
    node.deploy(STEP)
    node.invoke("step", b"x", "process")
    load = node.load()
    assert load["capacity"]["reserved_memory_mib"] == 64
    assert [row["function"] for row in load["instances"]] == ["step"]
    assert load["counters"]["instances_started"] == 1
    assert node.reap(keep_alive_s=0.0) == 1
    assert node.load()["capacity"]["reserved_memory_mib"] == 0


def test_a_draining_node_refuses_new_requests_and_empties():
    node, _ = make_node()
    node.deploy(STEP)
    node.invoke("step", b"x", "container")
    assert node.drain() == 1
    with pytest.raises(Draining):
        node.invoke("step", b"x", "container")
    node.undrain()
    assert node.invoke("step", b"x", "container")[1]["cold"] is True


def test_errors_cross_the_protocol_with_their_type():
    with pytest.raises(MemoryLimitExceeded, match="OOM"):
        raise_error(error_reply(MemoryLimitExceeded("OOM-killed", "step", "container")))
    with pytest.raises(Draining):
        raise_error(error_reply(Draining("du1 is draining")))
    with pytest.raises(FunctionError):
        raise_error(error_reply(FunctionError("nope")))


def test_idle_instances_of_other_functions_make_room_for_queued_requests():
    import threading
    node, runtime = make_node(cpu=0.5)                 # room for one instance at a time
    other = Function("other", python="m:o", limits=Limits(memory_mib=64, cpu=0.5))
    node.deploy(STEP)
    node.deploy(other)
    node.invoke("other", b"x", "process")              # idle, but holds the node's whole cpu
    done = []
    waiter = threading.Thread(target=lambda: done.append(node.invoke("step", b"ab", "process")))
    waiter.start()
    for _ in range(500):
        if node.load()["queued"]:
            break
        waiter.join(timeout=0.01)
    assert node.relieve_pressure() == 1
    waiter.join(timeout=5)
    assert done and done[0][0] == b"ba"
    assert [row["function"] for row in node.instances()] == ["step"]


def test_redeploying_a_changed_function_retires_its_old_instances():
    node, runtime = make_node()
    node.deploy(STEP)
    node.invoke("step", b"x", "process")
    node.deploy(STEP)                                             # same definition: instance kept
    assert len(node.instances()) == 1 and not runtime.closed
    node.deploy(Function("step", python="m:f", limits=Limits(memory_mib=32, cpu=0.25)))
    assert runtime.closed == [runtime.started[0].id]
    assert node.invoke("step", b"x", "process")[1]["cold"] is True
    assert node.ledger.snapshot()["reserved_memory_mib"] == 32
