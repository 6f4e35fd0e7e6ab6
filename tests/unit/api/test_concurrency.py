"""Two operators at once: submissions run as jobs on worker threads, the server keeps
answering while they run, and the job queue is bounded."""

from __future__ import annotations

import threading

import pytest

from aaas.api import ConsoleServer
from tests.unit.api.conftest import Client
from tests.unit.api.fakes import FakeOperator
from tests.unit.api.test_endpoints import SLICE, wait_job


def submit_both(client: Client) -> list[dict]:
    replies: list = [None, None]

    def send(i: int, who: str) -> None:
        replies[i] = client.post("/api/intents", {"text": SLICE}, headers={"X-Operator": who})

    threads = [threading.Thread(target=send, args=(i, who)) for i, who in enumerate(("alice", "bob"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [r.status for r in replies] == [202, 202]
    return [r.body for r in replies]


def test_two_submissions_run_side_by_side_while_the_server_answers():
    gate = threading.Event()
    operator = FakeOperator(gate=gate)
    with ConsoleServer(operator, workers=2) as server:
        client = Client(server.url)
        jobs = submit_both(client)
        assert operator.entered.acquire(timeout=10) and operator.entered.acquire(timeout=10)
        # both are inside the operator now; reads still answer
        assert client.get("/api/health").body["pending_jobs"] == 2
        assert {j["state"] for j in client.get("/api/jobs").body} == {"running"}
        assert client.get("/api/runs").status == 200
        gate.set()
        finished = [wait_job(client, j) for j in jobs]
    assert [j["state"] for j in finished] == ["done", "done"]
    runs = {j["run"]["thread_id"]: j["run"]["actor"] for j in finished}
    assert len(runs) == 2 and sorted(runs.values()) == ["alice", "bob"]
    assert {r["thread_id"] for r in operator.runs()} == set(runs)


def test_one_worker_takes_submissions_one_at_a_time():
    gate = threading.Event()
    operator = FakeOperator(gate=gate)
    with ConsoleServer(operator, workers=1) as server:
        client = Client(server.url)
        jobs = submit_both(client)
        assert operator.entered.acquire(timeout=10)
        states = sorted(client.get(f"/api/jobs/{j['job_id']}").body["state"] for j in jobs)
        assert states == ["queued", "running"]
        assert not operator.entered.acquire(timeout=0.2)   # the second has not reached the operator
        gate.set()
        assert [wait_job(client, j)["state"] for j in jobs] == ["done", "done"]


def test_a_full_queue_answers_busy():
    gate = threading.Event()
    with ConsoleServer(FakeOperator(gate=gate), workers=1, max_pending=1) as server:
        client = Client(server.url)
        first = client.post("/api/intents", {"text": SLICE})
        second = client.post("/api/intents", {"text": SLICE})
        assert first.status == 202
        assert second.status == 503 and "retry" in second.body["message"]
        gate.set()
        assert wait_job(client, first.body)["state"] == "done"
        assert client.post("/api/intents?wait=1", {"text": SLICE}).status == 200


def test_a_second_decision_on_the_same_run_is_a_conflict():
    operator = FakeOperator()
    with ConsoleServer(operator, workers=1) as server:
        client = Client(server.url)
        run = client.post("/api/intents?wait=1", {"text": SLICE}).body
        operator.gate = gate = threading.Event()       # occupy the only worker
        blocker = client.post("/api/intents", {"text": "drain du2"}).body
        assert operator.entered.acquire(timeout=10) and operator.entered.acquire(timeout=10)
        first = client.post(f"/api/runs/{run['thread_id']}/approve", {"approve": True})
        second = client.post(f"/api/runs/{run['thread_id']}/approve", {"approve": False})
        assert first.status == 202
        assert second.status == 409 and "already in progress" in second.body["message"]
        gate.set()
        assert wait_job(client, blocker)["state"] == "done"
        assert wait_job(client, first.body)["run"]["status"] == "done"


@pytest.mark.parametrize("workers", [1, 3])
def test_many_clients_at_once_all_get_answers(workers):
    with ConsoleServer(FakeOperator(), workers=workers) as server:
        client = Client(server.url)
        statuses: list[int] = []
        lock = threading.Lock()

        def hammer(i: int) -> None:
            replies = [client.post("/api/intents?wait=1", {"text": f"which path does cam{i % 4 + 1} take"}),
                       client.get("/api/runs"), client.post("/api/intents", raw=b"{broken")]
            with lock:
                statuses.extend(r.status for r in replies)

        threads = [threading.Thread(target=hammer, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(statuses) == sorted([200, 200, 400] * 12)
        assert len(client.get("/api/runs").body) == 12
