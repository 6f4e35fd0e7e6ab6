"""A warm worker behind a pair of pipes, shared by the process and container runtimes.

The worker (edge_exec.worker) runs in its own cgroup slot. Replies are read with a deadline
(select on the raw fd), so a function that runs past its time limit is killed rather than
waited for. After any failure the slot's counters say which limit, if any, stopped it.
"""

from __future__ import annotations

import os
import select
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from edge_exec.errors import (
    FunctionFailed,
    InvocationError,
    LimitExceeded,
    MemoryLimitExceeded,
    PidsLimitExceeded,
    TimeLimitExceeded,
    WorkerLost,
    invocation_error,
)
from edge_exec.functions import Function
from edge_exec.runtimes.base import Outcome
from edge_exec.runtimes.cgroups import CgroupSlot, Counters
from edge_exec.wire import FrameError, encode, read_message

READY_TIMEOUT_S = 20.0


class DeadlineReader:
    """File-like `read(n)` over a raw fd that raises TimeoutError past a deadline."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.deadline = float("inf")
        self._buffer = b""

    def read(self, size: int) -> bytes:
        if not self._buffer:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                raise TimeoutError
            self._buffer = os.read(self.fd, max(size, 65536))
            if not self._buffer:
                return b""
        chunk, self._buffer = self._buffer[:size], self._buffer[size:]
        return chunk


class PipeWorker:
    """One warm worker; the runtime supplies the process and how to kill it."""

    def __init__(self, function: Function, instance_id: str, runtime: str, process: subprocess.Popen,
                 slot: CgroupSlot, kill: Callable[[], None], log: Path | None = None) -> None:
        self.id, self.runtime, self.function = instance_id, runtime, function
        self.process, self.slot, self._kill, self.log = process, slot, kill, log
        self._reader = DeadlineReader(process.stdout.fileno())
        self._lock = threading.Lock()     # one request on the pipe at a time
        self._dead = False
        self._close_lock = threading.Lock()
        self._await_ready()
        self._baseline = slot.counters()      # after ready: runc's leaf cgroup exists by now

    def _await_ready(self) -> None:
        self._reader.deadline = time.monotonic() + READY_TIMEOUT_S
        try:
            read_message(self._reader)
        except (FrameError, TimeoutError, OSError) as exc:
            self.close(keep_log=True)
            # not WorkerLost: starting again would fail the same way
            raise FunctionFailed(f"worker did not start ({type(exc).__name__}): {self._log_tail()}",
                                 self.function.name, self.runtime) from None

    @property
    def alive(self) -> bool:
        return not self._dead and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def invoke(self, payload: bytes, request_id: int) -> Outcome:
        with self._lock:
            if not self.alive:
                raise WorkerLost("instance is gone", self.function.name, self.runtime)
            self.slot.reset_peak()
            self._reader.deadline = time.monotonic() + self.function.limits.time_ms / 1000
            try:
                os.write(self.process.stdin.fileno(), encode({"id": request_id}, payload))
                header, output = read_message(self._reader)
            except TimeoutError:
                self.close()
                raise TimeLimitExceeded(f"no answer in {self.function.limits.time_ms} ms; instance killed",
                                        self.function.name, self.runtime) from None
            except (FrameError, OSError):
                raise self._death() from None
            return self._outcome(header, output, request_id)

    def _outcome(self, header: dict, output: bytes, request_id: int) -> Outcome:
        if header.get("id") != request_id:
            self.close()
            raise WorkerLost(f"reply for request {header.get('id')} while waiting for {request_id}",
                             self.function.name, self.runtime)
        counters = self.slot.counters()
        exceeded = self._exceeded(counters)
        if exceeded is not None:        # poisoned (children of a fork bomb, an OOM-killed helper)
            self.close()
            raise exceeded
        if not header.get("ok"):
            error = invocation_error(header.get("kind", "failed"), header.get("error", "failed"),
                                     self.function.name, self.runtime)
            if isinstance(error, LimitExceeded):   # leftovers (fork-bomb children) die with the instance
                self.close()
            raise error
        return Outcome(output, float(header.get("compute_ms", 0.0)), counters.peak_bytes / (1 << 20))

    def _exceeded(self, now: Counters, died: bool = False) -> InvocationError | None:
        before, limits, name = self._baseline, self.function.limits, self.function.name
        # A worker that died while its cgroup was at the memory limit was OOM-killed, even when the
        # kill was counted in runc's (already removed) leaf cgroup.
        if now.oom_kills > before.oom_kills or (died and now.at_memory_limit):
            return MemoryLimitExceeded(f"OOM-killed at the {limits.memory_mib} MiB limit", name, self.runtime)
        if now.pids_refused > before.pids_refused:
            return PidsLimitExceeded(f"process count hit the limit of {limits.pids}; instance killed",
                                     name, self.runtime)
        return None

    def _death(self) -> InvocationError:
        """The pipe broke: tell a limit kill (report) from a lost worker (retry)."""
        try:
            self.process.wait(timeout=1)   # the kernel counts the OOM kill before the pipe closes
        except subprocess.TimeoutExpired:
            pass
        exceeded = self._exceeded(self.slot.counters(), died=True)
        self.close()                       # removes the slot: read its counters first
        if exceeded is not None:
            return exceeded
        code = self.process.returncode
        if code is None:
            return FunctionFailed("worker closed its pipe", self.function.name, self.runtime)
        return WorkerLost(f"worker exited with {code} mid-request", self.function.name, self.runtime)

    def _log_tail(self, size: int = 400) -> str:
        try:
            text = self.log.read_bytes()[-size:].decode("utf-8", "replace").strip()
        except (OSError, AttributeError):
            return "no log"
        return f"{text} (log: {self.log})" if text else f"empty log {self.log}"

    def close(self, keep_log: bool = False) -> None:
        with self._close_lock:              # the reaper and a failing call may both get here
            if self._dead:
                return
            self._dead = True
        self._kill()
        self.slot.kill_all()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.slot.remove()
        if self.log is not None and not keep_log and self.log.exists() and self.log.stat().st_size == 0:
            self.log.unlink()            # keep only the logs that say something
