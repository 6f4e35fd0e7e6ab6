"""A behavioural fake runtime: instances answer by calling a Python function in-process."""

from __future__ import annotations

import threading

from edge_exec.errors import WorkerLost
from edge_exec.runtimes.base import Outcome


class FakeInstance:
    runtime = "process"

    def __init__(self, owner: FakeRuntime, instance_id: str) -> None:
        self.id, self.owner = instance_id, owner
        self._alive = True
        self.requests: list[int] = []

    @property
    def alive(self) -> bool:
        return self._alive

    @property
    def pid(self) -> int | None:
        return None

    def kill(self) -> None:
        self._alive = False

    def invoke(self, payload: bytes, request_id: int) -> Outcome:
        if not self._alive:
            raise WorkerLost("fake instance is dead")
        self.requests.append(request_id)
        self.owner.entered.release()
        if self.owner.gate is not None:
            self.owner.gate.wait()
        if self.owner.die_on is not None and self.owner.die_on(payload, self):
            self._alive = False
            raise WorkerLost("fake instance died mid-request")
        return Outcome(self.owner.answer(payload), 0.01, 1.0)

    def close(self) -> None:
        self._alive = False
        self.owner.closed.append(self.id)


class FakeRuntime:
    name = "process"

    def __init__(self, answer=lambda payload: payload[::-1], die_on=None) -> None:
        self.answer, self.die_on = answer, die_on
        self.started: list[FakeInstance] = []
        self.closed: list[str] = []
        self.prepared: list[str] = []
        self.gate: threading.Event | None = None
        self.entered = threading.Semaphore(0)

    def prepare(self, function) -> None:
        self.prepared.append(function.name)

    def start(self, function, instance_id: str) -> FakeInstance:
        instance = FakeInstance(self, instance_id)
        self.started.append(instance)
        return instance

    def close(self) -> None:
        pass


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
