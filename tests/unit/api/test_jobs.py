"""The job board on its own: outcomes of the work, its bounds, and forgetting old jobs."""

from __future__ import annotations

import threading

import pytest

from aaas.api.errors import Busy, Conflict, NotFound
from aaas.api.jobs import JobBoard


@pytest.fixture
def board():
    jobs = JobBoard(workers=1, max_pending=2, keep=2)
    yield jobs
    jobs.close()


def finish(job):
    assert job.finished.wait(10)
    return job


def test_a_run_view_ends_the_job_done(board):
    job = finish(board.start("submit", "drain du2", "alice", lambda: {"thread_id": "t1", "status": "done"}))
    assert job.state == "done" and job.to_dict()["thread_id"] == "t1" and job.error is None


@pytest.mark.parametrize("work, words", [
    (lambda: {}["t9"], "unknown run: t9"),
    (lambda: 1 / 0, "ZeroDivisionError"),
    (lambda: ["not", "a", "view"], "not a run view dict"),
])
def test_failures_end_the_job_with_a_reason_and_the_worker_lives(board, work, words):
    job = finish(board.start("submit", "x", "alice", work))
    assert job.state == "error" and words in job.error and job.run is None
    assert finish(board.start("submit", "y", "alice", lambda: {"thread_id": "t2"})).state == "done"


def test_the_queue_is_bounded_and_one_decision_per_run(board):
    gate = threading.Event()
    first = board.start("decide", "approve", "bob", lambda: gate.wait(10) and {"thread_id": "t1"}, thread_id="t1")
    with pytest.raises(Conflict, match="t1"):
        board.start("decide", "reject", "carol", lambda: {}, thread_id="t1")
    second = board.start("submit", "x", "bob", lambda: {"thread_id": "t2"})
    with pytest.raises(Busy):
        board.start("submit", "y", "bob", lambda: {"thread_id": "t3"})
    gate.set()
    assert finish(first).state == "done" and finish(second).state == "done"


def test_old_finished_jobs_are_forgotten(board):
    jobs = [finish(board.start("submit", str(i), "a", lambda: {"thread_id": "t"})) for i in range(4)]
    with pytest.raises(NotFound):
        board.get(jobs[0].job_id)
    assert board.get(jobs[-1].job_id) is jobs[-1]
