"""Deviceless scaling of one function on one runtime on one node.

Instances are created on demand (scale from zero), reused while warm, and removed after a
keep-alive without requests (scale to zero). Each instance serves at most
`limits.concurrency` requests at once; beyond that a new instance starts if the node's
capacity allows, otherwise the request queues. A request whose instance dies under it is
retried on another instance (WorkerLost); it is answered exactly once, by the pool.
Instances are only ever removed under the lock when idle, so scale-down never races a request.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from edge_exec.capacity import CapacityLedger
from edge_exec.errors import ExecutorError, InvocationError, TimeLimitExceeded, WorkerLost
from edge_exec.functions import Function
from edge_exec.runtimes.base import Instance, Outcome, Runtime

MAX_ATTEMPTS = 3


@dataclass
class Slot:
    instance: Instance
    in_flight: int = 0
    served: int = 0
    last_used: float = 0.0
    started_at: float = 0.0


@dataclass
class PoolCounters:
    started: int = 0
    removed: int = 0
    retries: int = 0
    requests: int = 0
    # (time, "start"|"remove", instance id): the scaling trace, newest last
    events: deque = field(default_factory=lambda: deque(maxlen=2000))


@dataclass(frozen=True)
class Served:
    outcome: Outcome
    instance: str
    cold: bool
    attempts: int


class InstancePool:
    def __init__(self, function: Function, runtime: Runtime, ledger: CapacityLedger, *, node: str,
                 keep_alive_s: float, max_instances: int = 8, queue_timeout_s: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.function, self.runtime, self.ledger, self.node = function, runtime, ledger, node
        self.keep_alive_s, self.max_instances = keep_alive_s, max_instances
        self.queue_timeout_s = queue_timeout_s
        self.clock = clock
        self.counters = PoolCounters()
        self.queued = 0
        self._slots: list[Slot] = []
        self._starting = 0
        self._closed = False
        self._cond = threading.Condition()
        self._ids = itertools.count(1)

    # -- serving --------------------------------------------------------------------------
    def invoke(self, payload: bytes, request_id: int) -> Served:
        with self._cond:
            self.counters.requests += 1
        for attempt in range(1, MAX_ATTEMPTS + 1):
            slot, cold = self._acquire()
            try:
                outcome = slot.instance.invoke(payload, request_id)
            except WorkerLost:
                self._release(slot)
                with self._cond:
                    self.counters.retries += 1
                continue
            except InvocationError:
                self._release(slot)
                raise
            self._release(slot)
            return Served(outcome, slot.instance.id, cold, attempt)
        raise WorkerLost(f"instances died under the request {MAX_ATTEMPTS} times", self.function.name,
                         self.runtime.name)

    def _warm_slot(self) -> Slot | None:
        limit = self.function.limits.concurrency
        free = [s for s in self._slots if s.instance.alive and s.in_flight < limit]
        # pack onto the busiest, most recently used instance so idle ones can expire
        return max(free, key=lambda s: (s.in_flight, s.last_used), default=None)

    def _acquire(self) -> tuple[Slot, bool]:
        deadline = self.clock() + self.queue_timeout_s
        with self._cond:
            self._drop_dead_locked()
            self.queued += 1
            try:
                while True:
                    if self._closed:
                        raise ExecutorError(f"{self.function.name} on {self.node} is closed (draining)")
                    slot = self._warm_slot()
                    if slot is not None:
                        slot.in_flight += 1
                        return slot, False
                    if self._can_start_locked():
                        self._starting += 1
                        break
                    remaining = deadline - self.clock()
                    if remaining <= 0:
                        raise TimeLimitExceeded(f"queued {self.queue_timeout_s:.0f} s on {self.node} with no "
                                                "free instance", self.function.name, self.runtime.name)
                    self._cond.wait(timeout=min(remaining, 0.5))
                    self._drop_dead_locked()
            finally:
                self.queued -= 1
        return self._start(), True

    def _can_start_locked(self) -> bool:
        return (len(self._slots) + self._starting < self.max_instances
                and self.ledger.reserve(self.function.limits))

    def _start(self) -> Slot:
        instance_id = f"{self.node}-{self.function.name}-{self.runtime.name[0]}{next(self._ids)}"
        try:
            instance = self.runtime.start(self.function, instance_id)
        except BaseException:
            with self._cond:
                self._starting -= 1
                self.ledger.release(self.function.limits)
                self._cond.notify_all()
            raise
        now = self.clock()
        slot = Slot(instance, in_flight=1, last_used=now, started_at=now)
        with self._cond:
            self._starting -= 1
            self._slots.append(slot)
            self.counters.started += 1
            self.counters.events.append((now, "start", instance_id))
        return slot

    def _release(self, slot: Slot) -> None:
        with self._cond:
            slot.in_flight -= 1
            slot.served += 1
            slot.last_used = self.clock()
            self._drop_dead_locked()
            self._cond.notify_all()

    def _drop_dead_locked(self) -> list[Slot]:
        dead = [s for s in self._slots if not s.instance.alive and s.in_flight == 0]
        for slot in dead:
            self._forget_locked(slot)
            # already dead: closing only releases pipes and cgroups; not while holding the lock
            threading.Thread(target=slot.instance.close, name="close-dead", daemon=True).start()
        return dead

    def _forget_locked(self, slot: Slot) -> None:
        self._slots.remove(slot)
        self.ledger.release(self.function.limits)
        self.counters.removed += 1
        self.counters.events.append((self.clock(), "remove", slot.instance.id))

    # -- scaling down ---------------------------------------------------------------------
    def reap(self, now: float | None = None, keep_alive_s: float | None = None) -> int:
        """Remove instances idle for the keep-alive (all idle ones with keep_alive_s=0)."""
        now = self.clock() if now is None else now
        keep = self.keep_alive_s if keep_alive_s is None else keep_alive_s
        with self._cond:
            idle = [s for s in self._slots if s.in_flight == 0 and now - s.last_used >= keep]
            for slot in idle:
                self._forget_locked(slot)
            self._cond.notify_all()
        for slot in idle:
            slot.instance.close()
        return len(idle)

    def evict_lru(self) -> float | None:
        """Remove the least recently used idle instance (capacity pressure); returns when it was
        last used, or None when every instance is busy."""
        with self._cond:
            idle = [s for s in self._slots if s.in_flight == 0]
            if not idle:
                return None
            slot = min(idle, key=lambda s: s.last_used)
            self._forget_locked(slot)
            self._cond.notify_all()
        slot.instance.close()
        return slot.last_used

    def oldest_idle(self) -> float | None:
        with self._cond:
            return min((s.last_used for s in self._slots if s.in_flight == 0), default=None)

    @property
    def in_flight(self) -> int:
        with self._cond:
            return sum(s.in_flight for s in self._slots) + self._starting

    def close(self, wait_s: float = 30.0) -> None:
        """Stop taking requests, let in-flight ones finish (drain), then remove every instance."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            deadline = self.clock() + wait_s
            while any(s.in_flight for s in self._slots) or self._starting:
                if self.clock() >= deadline:
                    break
                self._cond.wait(timeout=0.05)
        self.reap(keep_alive_s=0.0, now=float("inf"))
        with self._cond:
            leftovers, self._slots = list(self._slots), []
        for slot in leftovers:
            slot.instance.close()

    def snapshot(self) -> list[dict]:
        now = self.clock()
        with self._cond:
            return [{"instance": s.instance.id, "function": self.function.name, "runtime": self.runtime.name,
                     "node": self.node, "in_flight": s.in_flight, "served": s.served, "pid": s.instance.pid,
                     "idle_s": round(now - s.last_used, 3), "age_s": round(now - s.started_at, 3),
                     "alive": s.instance.alive} for s in self._slots]
