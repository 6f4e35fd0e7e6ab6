"""The JSON API over a fake operator, through real HTTP on loopback: what each endpoint
answers, and that submissions and approvals run as jobs."""

from __future__ import annotations

import threading

from tests.unit.api.conftest import Client

SLICE = "Create a URLLC slice between veh1 and edge1 with 50 Mbps and 5 ms latency"


def wait_job(client: Client, job: dict) -> dict:
    for _ in range(1000):
        current = client.get(f"/api/jobs/{job['job_id']}").body
        if current["state"] in ("done", "error"):
            return current
        threading.Event().wait(0.02)
    raise AssertionError(f"job {job['job_id']} never finished")


def test_health(client):
    reply = client.get("/api/health")
    assert reply.status == 200 and reply.body["ok"] is True and reply.body["pending_jobs"] == 0


def test_a_submission_is_a_job_that_ends_in_a_run(client, operator):
    reply = client.post("/api/intents", {"text": SLICE}, headers={"X-Operator": "alice"})
    assert reply.status == 202
    assert reply.headers["location"] == f"/api/jobs/{reply.body['job_id']}"
    assert reply.body["kind"] == "submit" and reply.body["text"] == SLICE and reply.body["actor"] == "alice"
    job = wait_job(client, reply.body)
    assert job["state"] == "done"
    run = job["run"]
    assert job["thread_id"] == run["thread_id"]
    assert run == operator.run(run["thread_id"])
    assert run["actor"] == "alice" and run["status"] == "awaiting_approval"


def test_wait_returns_the_run_in_the_same_response(client):
    reply = client.post("/api/intents?wait=true", {"text": SLICE})
    assert reply.status == 200
    assert reply.body["status"] == "awaiting_approval"
    assert reply.body["actor"] == "tester"      # the server's default operator


def test_runs_list_newest_first_and_filter_by_status(client):
    first = client.post("/api/intents?wait=1", {"text": SLICE}).body
    second = client.post("/api/intents?wait=1", {"text": "delete all flows"}).body
    runs = client.get("/api/runs").body
    assert [r["thread_id"] for r in runs] == [second["thread_id"], first["thread_id"]]
    waiting = client.get("/api/runs?status=awaiting_approval").body
    assert [r["thread_id"] for r in waiting] == [first["thread_id"]]
    assert client.get(f"/api/runs/{second['thread_id']}").body["status"] == "refused"


def test_approval_pushes_and_records_the_approver(client, operator):
    run = client.post("/api/intents?wait=1", {"text": SLICE}).body
    reply = client.post(f"/api/runs/{run['thread_id']}/approve", {"approve": True, "comment": "ok"},
                        headers={"X-Operator": "bob"})
    assert reply.status == 202 and reply.body["kind"] == "decide" and reply.body["thread_id"] == run["thread_id"]
    job = wait_job(client, reply.body)
    assert job["state"] == "done" and job["run"]["status"] == "done" and job["run"]["pushed"] is True
    assert client.get("/api/audit?limit=1").body[0]["approval"] == "bob"
    assert [s["name"] for s in client.get("/api/topology").body["slices"]] == ["v2x"]


def test_rejection_changes_nothing(client, operator):
    run = client.post("/api/intents?wait=1", {"text": SLICE}).body
    before = client.get("/api/topology").body
    reply = client.post(f"/api/runs/{run['thread_id']}/approve?wait=1", {"approve": False, "comment": "too wide"})
    assert reply.status == 200 and reply.body["status"] == "rejected" and "too wide" in reply.body["answer"]
    assert client.get("/api/topology").body == before


def test_audit_limit(client):
    for _ in range(3):
        client.post("/api/intents?wait=1", {"text": "which path does cam1 take"})
    assert len(client.get("/api/audit").body) == 3
    assert [r["seq"] for r in client.get("/api/audit?limit=2").body] == [3, 2]


def test_topology_has_the_shape_the_page_draws(client):
    topo = client.get("/api/topology").body
    assert {"nodes", "links", "slices", "acls", "drained", "avoid"} <= set(topo)
    names = {n["name"] for n in topo["nodes"]}
    assert all(link["a"] in names and link["b"] in names for link in topo["links"])


def test_the_page_and_its_files_are_served_with_a_strict_policy(client):
    page = client.get("/")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for name in (b"/static/console.js", b"/static/topology.js", b"/static/console.css"):
        assert name in page.body
        assert client.get(name.decode()).status == 200
    for attribute in (b'src="http', b'href="http', b"src='http", b"href='http", b"@import"):
        assert attribute not in page.body  # nothing is fetched from outside the console


def test_head_answers_headers_only(client):
    reply = client.request("HEAD", "/api/health")
    assert reply.status == 200 and int(reply.headers["content-length"]) > 0 and reply.body == b""
