import threading

import pytest

from edge_exec.capacity import CapacityLedger, NodeCapacity
from edge_exec.errors import TimeLimitExceeded, WorkerLost
from edge_exec.functions import Function, Limits
from edge_exec.pool import InstancePool

from .fakes import FakeClock, FakeRuntime

STEP = Function("step", python="m:f", limits=Limits(memory_mib=100, cpu=0.5, concurrency=1))


def make_pool(runtime=None, capacity=NodeCapacity(2.0, 1000), **kwargs) -> tuple[InstancePool, FakeRuntime]:
    runtime = runtime or FakeRuntime()
    clock = kwargs.pop("clock", FakeClock())
    pool = InstancePool(STEP, runtime, CapacityLedger(capacity), node="n1", keep_alive_s=10.0, clock=clock,
                        **kwargs)
    return pool, runtime


def test_scale_from_zero_then_reuse_while_warm():
    pool, runtime = make_pool()
    first = pool.invoke(b"ab", 1)
    second = pool.invoke(b"cd", 2)
    assert (first.cold, second.cold) == (True, False)
    assert first.outcome.output == b"ba" and second.instance == first.instance
    assert len(runtime.started) == 1


def test_scale_to_zero_after_keep_alive_only():
    clock = FakeClock()
    pool, runtime = make_pool(clock=clock)
    pool.invoke(b"x", 1)
    clock.now += 9.0
    assert pool.reap() == 0
    clock.now += 1.0
    assert pool.reap() == 1
    assert pool.snapshot() == [] and runtime.closed == [runtime.started[0].id]
    assert pool.ledger.snapshot()["reserved_memory_mib"] == 0
    assert pool.invoke(b"x", 2).cold          # the next request pays a cold start again
    assert [kind for _, kind, _ in pool.counters.events] == ["start", "remove", "start"]


def _in_threads(pool: InstancePool, count: int) -> tuple[list, list]:
    results, errors = [], []

    def call(i: int) -> None:
        try:
            results.append(pool.invoke(str(i).encode(), i))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
    threads = [threading.Thread(target=call, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    return threads, (results, errors)


def test_concurrent_requests_never_exceed_capacity_and_queue_instead():
    # room for 2 instances (cpu 1.0 / 0.5); 5 concurrent requests
    pool, runtime = make_pool(capacity=NodeCapacity(1.0, 1000), clock=lambda: 0.0)
    runtime.gate = threading.Event()
    threads, (results, errors) = _in_threads(pool, 5)
    for _ in range(2):
        runtime.entered.acquire(timeout=5)
    assert len(runtime.started) == 2
    assert pool.ledger.snapshot()["reserved_cpu"] == 1.0
    runtime.gate.set()
    for thread in threads:
        thread.join(timeout=5)
    assert not errors
    assert sorted(r.outcome.output for r in results) == sorted(str(i).encode()[::-1] for i in range(5))
    assert len(runtime.started) == 2


def test_a_request_whose_instance_dies_is_retried_and_answered_once():
    runtime = FakeRuntime(die_on=lambda payload, instance: payload == b"boom" and len(instance.requests) == 1
                          and instance is runtime.started[0])
    pool, _ = make_pool(runtime=runtime)
    served = pool.invoke(b"boom", 1)
    assert served.outcome.output == b"moob" and served.attempts == 2
    assert pool.counters.retries == 1 and len(runtime.started) == 2
    assert [row["alive"] for row in pool.snapshot()] == [True]     # the dead one was removed


def test_an_instance_that_keeps_dying_is_reported():
    pool, runtime = make_pool(runtime=FakeRuntime(die_on=lambda payload, instance: True))
    with pytest.raises(WorkerLost, match="3 times"):
        pool.invoke(b"x", 1)
    assert pool.ledger.snapshot()["reserved_cpu"] == 0.0


def test_queueing_gives_up_after_the_queue_timeout():
    ticks = iter(range(0, 1000, 10))
    pool, runtime = make_pool(capacity=NodeCapacity(0.5, 1000), clock=lambda: float(next(ticks)),
                              queue_timeout_s=15)
    runtime.gate = threading.Event()
    threads, _ = _in_threads(pool, 1)
    runtime.entered.acquire(timeout=5)
    with pytest.raises(TimeLimitExceeded, match="queued"):
        pool.invoke(b"y", 9)
    runtime.gate.set()
    threads[0].join(timeout=5)


def test_close_lets_in_flight_requests_finish():
    pool, runtime = make_pool(clock=lambda: 0.0)
    runtime.gate = threading.Event()
    threads, (results, errors) = _in_threads(pool, 1)
    runtime.entered.acquire(timeout=5)
    closer = threading.Thread(target=pool.close)
    closer.start()
    runtime.gate.set()
    closer.join(timeout=5)
    threads[0].join(timeout=5)
    assert len(results) == 1 and not errors and pool.snapshot() == []
