"""Deviceless scaling against real workers: scale to zero, and no request lost or answered
twice when a worker is killed in the middle of a trace."""

import os
import signal
import threading
import time

import pytest

from edge_exec.capacity import NodeCapacity
from edge_exec.catalog import builtin_functions
from edge_exec.functions import Function, Limits
from edge_exec.launcher import start_executor, stop_executor

pytestmark = pytest.mark.integration
CATALOG = {f.name: f for f in builtin_functions()}


@pytest.fixture
def executor(state_dir):
    handle = start_executor("edge1", NodeCapacity(4.0, 4096), state_dir, keep_alive_s=0.5)
    client = handle.client()
    yield handle, client
    client.close()
    stop_executor(handle)


def _wait_until(predicate, timeout_s: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("runtime", ["wasm", "container", "process"])
def test_instances_scale_to_zero_after_the_keep_alive(executor, runtime):
    _, client = executor
    client.deploy(CATALOG["checksum"])
    assert client.invoke("checksum", b"a", runtime)[1]["cold"] is True
    assert client.invoke("checksum", b"b", runtime)[1]["cold"] is False
    assert [row["runtime"] for row in client.instances()] == [runtime]
    assert _wait_until(lambda: client.instances() == []), "instance outlived its keep-alive"
    counters = client.load()["counters"]
    assert counters["instances_started"] == counters["instances_removed"] == 1
    assert client.invoke("checksum", b"c", runtime)[1]["cold"] is True
    assert [kind for _, kind, _ in client.events()] == ["start", "remove", "start"]


@pytest.mark.parametrize("runtime", ["container", "process"])
def test_killing_a_worker_mid_trace_loses_no_request_and_answers_none_twice(executor, runtime):
    handle, client = executor
    client.deploy(Function("slow_echo", python="edge_exec.catalog:sleepy",
                           limits=Limits(memory_mib=64, cpu=0.5, time_ms=5000)))
    answers: dict[bytes, list[bytes]] = {}
    lock = threading.Lock()

    def sender(worker: int) -> None:
        mine = handle.client()
        for i in range(12):
            payload = f"30:{worker}-{i}".encode()
            output, _ = mine.invoke("slow_echo", payload, runtime)
            with lock:
                answers.setdefault(payload, []).append(output)
        mine.close()

    threads = [threading.Thread(target=sender, args=(w,)) for w in range(3)]
    for thread in threads:
        thread.start()
    assert _wait_until(lambda: len(client.instances()) >= 2)
    time.sleep(0.1)
    before = client.instances()
    victim = next(row for row in before if row["pid"])
    os.kill(victim["pid"], signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 36, "a request was lost"
    assert all(outputs == [payload] for payload, outputs in answers.items()), "an answer went astray or twice"
    load = client.load()
    assert victim["instance"] not in {row["instance"] for row in load["instances"]}
    # the trace went on, so the dead worker was replaced by a new instance
    assert load["counters"]["instances_started"] >= len(before) + 1
    assert load["counters"]["requests"] == 36


def test_a_saturated_node_queues_requests_instead_of_overcommitting(state_dir):
    handle = start_executor("du1", NodeCapacity(0.5, 4096), state_dir, keep_alive_s=30)   # one instance fits
    client = handle.client()
    try:
        client.deploy(Function("slow_echo", python="edge_exec.catalog:sleepy",
                               limits=Limits(memory_mib=64, cpu=0.5, time_ms=5000)))
        outputs = []

        def send(i: int) -> None:
            mine = handle.client()
            outputs.append(mine.invoke("slow_echo", f"150:{i}".encode(), "process")[0])
            mine.close()
        threads = [threading.Thread(target=send, args=(i,)) for i in range(3)]
        for thread in threads:
            thread.start()
        saw_queue = _wait_until(lambda: client.load()["queued"] > 0, timeout_s=10)
        for thread in threads:
            thread.join(timeout=30)
        assert saw_queue and sorted(outputs) == [f"150:{i}".encode() for i in range(3)]
        load = client.load()
        assert load["counters"]["instances_started"] == 1 and load["capacity"]["reserved_cpu"] == 0.5
    finally:
        client.close()
        stop_executor(handle)
