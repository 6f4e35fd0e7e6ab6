"""Submissions and decisions run in the background: validating on the twin and pushing to
production take seconds, so the API answers 202 with a job id at once and the page polls
the job. A few worker threads (one by default, so the agents see one change at a time)
take jobs from a bounded queue; a full queue answers 503 instead of piling up threads."""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aaas.api.errors import Busy, Conflict, NotFound

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, ERROR = "queued", "running", "done", "error"


@dataclass
class Job:
    job_id: str
    kind: str                     # "submit" | "decide"
    text: str                     # the intent, or the decision in words
    actor: str
    thread_id: str | None
    created_at: float
    state: str = QUEUED
    run: dict[str, Any] | None = None
    error: str | None = None
    finished_at: float | None = None
    finished: threading.Event = field(default_factory=threading.Event, repr=False)

    def to_dict(self) -> dict[str, Any]:
        thread_id = self.thread_id or (self.run or {}).get("thread_id")
        return {"job_id": self.job_id, "kind": self.kind, "state": self.state, "text": self.text,
                "actor": self.actor, "thread_id": thread_id, "run": self.run, "error": self.error,
                "created_at": self.created_at, "finished_at": self.finished_at}


class JobBoard:
    def __init__(self, workers: int = 1, max_pending: int = 32, keep: int = 500,
                 clock: Callable[[], float] = time.time) -> None:
        self._queue: queue.Queue[tuple[Job, Callable[[], dict[str, Any]]] | None] = queue.Queue()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._max_pending, self._keep, self._clock = max_pending, keep, clock
        self._prefix = f"job-{int(clock() * 1000):x}-"
        self._workers = [threading.Thread(target=self._work, name=f"aaas-api-worker-{i}", daemon=True)
                         for i in range(workers)]
        for worker in self._workers:
            worker.start()

    def start(self, kind: str, text: str, actor: str, work: Callable[[], dict[str, Any]],
              thread_id: str | None = None) -> Job:
        with self._lock:
            pending = self._pending_locked()
            if len(pending) >= self._max_pending:
                raise Busy(f"{len(pending)} submissions are already waiting; retry in a moment")
            if thread_id and any(j.thread_id == thread_id for j in pending):
                raise Conflict(f"a decision on run {thread_id} is already in progress")
            job = Job(f"{self._prefix}{next(self._ids)}", kind, text, actor, thread_id, self._clock())
            self._jobs[job.job_id] = job
            self._forget_old_locked()
        self._queue.put((job, work))
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id[:80]!r} (jobs are kept in memory until the server restarts)")
        return job

    def pending(self) -> list[Job]:
        with self._lock:
            return self._pending_locked()

    def close(self, timeout: float = 5.0) -> None:
        for _ in self._workers:
            self._queue.put(None)
        for worker in self._workers:
            worker.join(timeout)

    def _pending_locked(self) -> list[Job]:
        return [j for j in self._jobs.values() if j.state in (QUEUED, RUNNING)]

    def _forget_old_locked(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.state in (DONE, ERROR)]
        for key in finished[: max(0, len(self._jobs) - self._keep)]:
            del self._jobs[key]

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            job, work = item
            job.state = RUNNING
            run, error = None, None
            try:
                run = _run_view(work())
            except KeyError as exc:
                error = f"unknown run: {exc.args[0] if exc.args else exc}"
            except Exception as exc:  # a failing agent must not take the worker down with it
                log.exception("job %s (%s) failed", job.job_id, job.kind)
                error = f"{type(exc).__name__}: {exc}"
            # readers poll without the lock: set the state last, so "done" always comes with its run
            job.run, job.error, job.finished_at = run, error, self._clock()
            job.state = DONE if error is None else ERROR
            job.finished.set()


def _run_view(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"the operator returned {type(value).__name__}, not a run view dict")
    return value
