"""Capacity accounting of one node: instances reserve their limits while they exist.

Pure and thread-safe. A node never holds more instances than its cpu and memory allow;
a request that would need one more instance queues instead (see pool.py).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from edge_exec.functions import Limits

EPSILON = 1e-9


@dataclass(frozen=True)
class NodeCapacity:
    cpu: float
    memory_mib: int
    accelerator: str | None = None


class CapacityLedger:
    def __init__(self, capacity: NodeCapacity) -> None:
        self.capacity = capacity
        self._lock = threading.Lock()
        self.cpu = 0.0
        self.memory_mib = 0

    def fits(self, limits: Limits) -> bool:
        return (self.cpu + limits.cpu <= self.capacity.cpu + EPSILON
                and self.memory_mib + limits.memory_mib <= self.capacity.memory_mib)

    def reserve(self, limits: Limits) -> bool:
        with self._lock:
            if not self.fits(limits):
                return False
            self.cpu += limits.cpu
            self.memory_mib += limits.memory_mib
            return True

    def release(self, limits: Limits) -> None:
        with self._lock:
            self.cpu = max(0.0, self.cpu - limits.cpu)
            self.memory_mib = max(0, self.memory_mib - limits.memory_mib)

    def snapshot(self) -> dict:
        with self._lock:
            return {"cpu": self.capacity.cpu, "memory_mib": self.capacity.memory_mib,
                    "accelerator": self.capacity.accelerator,
                    "reserved_cpu": round(self.cpu, 3), "reserved_memory_mib": self.memory_mib}
