"""The node executor's core: the functions deployed on one node, their pools, its capacity.

In-process and transport-free (server.py puts it behind a unix socket). Runtimes are created
on first use, so a node that only runs containers never imports wasmtime. While draining,
the node refuses new requests (the cluster places them elsewhere) and lets in-flight ones end.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable

from edge_exec.capacity import CapacityLedger, NodeCapacity
from edge_exec.errors import Draining, FunctionError, InvocationError
from edge_exec.functions import Function, check_artifacts
from edge_exec.pool import InstancePool
from edge_exec.runtimes.base import Runtime

DEFAULT_KEEP_ALIVE_S = 30.0


class NodeExecutor:
    def __init__(self, node: str, capacity: NodeCapacity, *, runtimes: Callable[[str], Runtime],
                 keep_alive_s: float = DEFAULT_KEEP_ALIVE_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.node, self.keep_alive_s, self.clock = node, keep_alive_s, clock
        self.ledger = CapacityLedger(capacity)
        self._runtime_factory = runtimes
        self._runtimes: dict[str, Runtime] = {}
        self._functions: dict[str, Function] = {}
        self._pools: dict[tuple[str, str], InstancePool] = {}
        self._lock = threading.Lock()
        self._requests = itertools.count(1)
        self.draining = False
        self.failures: dict[str, int] = {}
        self._retired: list[InstancePool] = []     # drained pools, kept for their counters

    def runtime(self, name: str) -> Runtime:
        with self._lock:
            return self._runtimes_get(name)

    # -- functions ------------------------------------------------------------------------
    def deploy(self, function: Function) -> list[str]:
        capacity = self.ledger.capacity
        if function.accelerator and function.accelerator != capacity.accelerator:
            raise FunctionError(f"{function.name} needs accelerator {function.accelerator!r}; "
                                f"{self.node} has {capacity.accelerator or 'none'}")
        check_artifacts(function)
        for runtime in function.runtimes:
            self.runtime(runtime).prepare(function)
        with self._lock:
            changed = self._functions.get(function.name) not in (None, function)
            self._functions[function.name] = function
            stale = [self._pools.pop(key) for key in list(self._pools) if changed and key[0] == function.name]
            self._retired.extend(stale)
        for pool in stale:       # a new definition (limits, artifact) must not be served by old instances
            pool.close()
        return list(function.runtimes)

    def function(self, name: str) -> Function:
        try:
            return self._functions[name]
        except KeyError:
            raise FunctionError(f"function {name!r} is not deployed on {self.node}") from None

    def _pool(self, function: Function, runtime: str) -> InstancePool:
        if runtime not in function.runtimes:
            raise FunctionError(f"{function.name} has no artifact for runtime {runtime!r} "
                                f"(has {', '.join(function.runtimes)})")
        key = (function.name, runtime)
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                pool = self._pools[key] = InstancePool(function, self._runtimes_get(runtime), self.ledger,
                                                       node=self.node, keep_alive_s=self.keep_alive_s,
                                                       clock=self.clock)
            return pool

    def _runtimes_get(self, name: str) -> Runtime:
        if name not in self._runtimes:
            self._runtimes[name] = self._runtime_factory(name)
        return self._runtimes[name]

    # -- requests -------------------------------------------------------------------------
    def invoke(self, name: str, payload: bytes, runtime: str | None = None) -> tuple[bytes, dict]:
        if self.draining:
            raise Draining(f"{self.node} is draining")
        function = self.function(name)
        chosen = runtime or function.runtimes[0]
        started = time.perf_counter()
        try:
            served = self._pool(function, chosen).invoke(payload, next(self._requests))
        except InvocationError as exc:
            with self._lock:
                self.failures[exc.kind] = self.failures.get(exc.kind, 0) + 1
            raise
        meta = {"node": self.node, "function": name, "runtime": chosen, "instance": served.instance,
                "cold": served.cold, "attempts": served.attempts, "compute_ms": served.outcome.compute_ms,
                "latency_ms": (time.perf_counter() - started) * 1000, "peak_mib": served.outcome.peak_mib}
        return served.outcome.output, meta

    # -- scaling and draining -------------------------------------------------------------
    def reap(self, keep_alive_s: float | None = None) -> int:
        with self._lock:
            pools = list(self._pools.values())
        return sum(pool.reap(keep_alive_s=keep_alive_s) for pool in pools)

    def relieve_pressure(self) -> int:
        """Requests queued for capacity that idle instances of other functions hold: evict those,
        least recently used first, until the waiting function fits. Called by the reaper thread,
        which holds no pool lock, so pools never wait on each other."""
        with self._lock:
            pools = list(self._pools.values())
        evicted = 0
        for waiting in [p for p in pools if p.queued and not self.ledger.fits(p.function.limits)]:
            while not self.ledger.fits(waiting.function.limits):
                others = [(p.oldest_idle(), id(p), p) for p in pools if p is not waiting]
                candidates = sorted(entry for entry in others if entry[0] is not None)
                if not candidates or candidates[0][2].evict_lru() is None:
                    break
                evicted += 1
        return evicted

    def drain(self, wait_s: float = 30.0) -> int:
        """New requests are refused from now on; returns the instances removed after in-flight ones end."""
        self.draining = True
        with self._lock:
            pools = list(self._pools.values())
        removed_before = sum(p.counters.removed for p in pools)
        for pool in pools:
            pool.close(wait_s)
        with self._lock:
            for key in [k for k, p in self._pools.items() if p in pools]:
                del self._pools[key]
            self._retired.extend(pools)
        return sum(p.counters.removed for p in pools) - removed_before

    def undrain(self) -> None:
        self.draining = False

    # -- reports --------------------------------------------------------------------------
    def _all_pools(self) -> list[InstancePool]:
        with self._lock:
            return list(self._pools.values()) + list(self._retired)

    def instances(self) -> list[dict]:
        return [row for pool in self._all_pools() for row in pool.snapshot()]

    def load(self) -> dict:
        pools = self._all_pools()
        counters = {"requests": sum(p.counters.requests for p in pools),
                    "instances_started": sum(p.counters.started for p in pools),
                    "instances_removed": sum(p.counters.removed for p in pools),
                    "retries": sum(p.counters.retries for p in pools)}
        with self._lock:
            failures, functions = dict(self.failures), sorted(self._functions)
        return {"node": self.node, "draining": self.draining, "capacity": self.ledger.snapshot(),
                "in_flight": sum(p.in_flight for p in pools), "queued": sum(p.queued for p in pools),
                "instances": self.instances(), "functions": functions, "counters": counters,
                "failures": failures}

    def scaling_events(self) -> list[tuple[float, str, str]]:
        return sorted(event for pool in self._all_pools() for event in pool.counters.events)

    def close(self) -> None:
        self.draining = True
        for pool in self._all_pools():
            pool.close(wait_s=5.0)
        with self._lock:
            runtimes = list(self._runtimes.values())
        for runtime in runtimes:
            runtime.close()
