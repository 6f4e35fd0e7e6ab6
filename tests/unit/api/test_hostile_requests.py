"""Whatever a client sends, the answer is a JSON error that says what is wrong, and the
server goes on serving the next request."""

from __future__ import annotations

import socket

import pytest

from aaas.api import ConsoleServer
from aaas.api.requests import MAX_BODY_BYTES
from tests.unit.api.conftest import Client
from tests.unit.api.fakes import FakeOperator


def assert_error(reply, status: int, *words: str) -> None:
    assert reply.status == status, reply.body
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.body["status"] == status
    for word in words:
        assert word in reply.body["message"], reply.body["message"]


def assert_alive(client: Client) -> None:
    assert client.get("/api/health").status == 200


@pytest.mark.parametrize("raw, words", [
    (b"{oops", ["not valid JSON"]),
    (b"[]", ["JSON object"]),
    (b'{"text": 12}', ["'text'", "string"]),
    (b'{"words": "block ssh"}', ["'text' is missing"]),
    (b'{"text": "a", "extra": 1}', ["unknown field", "extra"]),
    (b"\xc3\x28", ["UTF-8"]),
    (b"[" * 20000, ["nested too deeply"]),
])
def test_bad_intent_bodies(client, raw, words):
    assert_error(client.post("/api/intents", raw=raw), 400, *words)
    assert_alive(client)


def test_a_huge_body_is_refused(client):
    reply = client.post("/api/intents", raw=b'{"text": "' + b"a" * (MAX_BODY_BYTES + 10) + b'"}')
    assert_error(reply, 413, str(MAX_BODY_BYTES))
    assert_alive(client)


def test_an_announced_huge_body_is_refused_without_waiting_for_it(server):
    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=10) as sock:
        sock.sendall(b"POST /api/intents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 999999999\r\n\r\n{")
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.0 413")
    assert_alive(Client(server.url))


def test_a_form_post_is_refused(client):
    reply = client.post("/api/intents", raw=b"text=block", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(reply, 415, "application/json")


def test_bad_decision_bodies(client):
    run = client.post("/api/intents?wait=1", {"text": "create a slice"}).body
    assert_error(client.post(f"/api/runs/{run['thread_id']}/approve", {"approve": "yes"}), 400, "true or false")
    assert_error(client.post(f"/api/runs/{run['thread_id']}/approve", {}), 400, "'approve' is missing")


def test_unknown_runs_and_jobs(client):
    assert_error(client.get("/api/runs/run-404"), 404, "run-404")
    assert_error(client.post("/api/runs/run-404/approve", {"approve": True}), 404, "run-404")
    assert_error(client.get("/api/jobs/job-404"), 404, "job-404")


def test_a_malformed_run_id_is_a_bad_request(client):
    assert_error(client.get("/api/runs/%20%3Cscript%3E"), 400, "not a run id")


def test_deciding_a_run_that_does_not_wait_is_a_conflict(client):
    refused = client.post("/api/intents?wait=1", {"text": "delete all flows"}).body
    reply = client.post(f"/api/runs/{refused['thread_id']}/approve", {"approve": True})
    assert_error(reply, 409, "refused", "awaiting approval")


def test_unknown_paths_and_methods(client):
    assert_error(client.get("/api/nothing"), 404, "/api/nothing")
    reply = client.request("DELETE", "/api/runs")
    assert_error(reply, 405, "GET")
    assert reply.headers["allow"] == "GET"
    assert_error(client.get("/api/intents"), 405, "POST")


def test_bad_query_parameters(client):
    assert_error(client.get("/api/audit?limit=lots"), 400, "limit")
    assert_error(client.get("/api/audit?limit=100000"), 400, "between")
    assert_error(client.post("/api/intents?wait=perhaps", {"text": "x"}), 400, "wait")


def test_a_forged_operator_header(client):
    assert_error(client.post("/api/intents", {"text": "x"}, headers={"X-Operator": "<img src=x>"}), 400,
                 "X-Operator")


def test_a_foreign_host_is_refused(client):
    # DNS rebinding: a page on evil.example resolving to 127.0.0.1 reaches us with its own Host.
    assert_error(client.get("/api/runs", headers={"Host": "evil.example:8080"}), 403, "localhost")
    assert client.get("/api/runs", headers={"Host": "localhost:8080"}).status == 200


def test_a_cross_site_write_is_refused(client, server):
    reply = client.post("/api/intents", {"text": "drain du2"}, headers={"Origin": "http://evil.example"})
    assert_error(reply, 403, "cross-site")
    host = server.url.split("//")[1]
    same = client.post("/api/intents", {"text": "drain du2"}, headers={"Origin": server.url, "Host": host})
    assert same.status == 202


@pytest.mark.parametrize("raw", [
    b"GARBAGE\r\n\r\n",
    b"BREW /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
])
def test_protocol_garbage(server, raw):
    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=10) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    assert b'"status"' in answer or answer == b""
    assert_alive(Client(server.url))


def test_a_client_that_never_finishes_does_not_block_others(server):
    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=10) as sock:
        sock.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64)  # a TLS hello, no line end
        assert_alive(Client(server.url))


class BrokenOperator(FakeOperator):
    def topology(self):
        raise RuntimeError("the topology view has a bug")

    def submit(self, text, actor):
        raise RuntimeError("the agent graph has a bug")

    def runs(self):
        return [{"thread_id": "r1", "status": "done", "latency_ms": float("nan"), "at": object()}]


def test_an_operator_bug_is_a_500_and_the_server_lives():
    with ConsoleServer(BrokenOperator()) as server:
        client = Client(server.url)
        assert_error(client.get("/api/topology"), 500, "RuntimeError", "the topology view has a bug")
        failed = client.post("/api/intents?wait=1", {"text": "drain du2"})
        assert_error(failed, 500, "RuntimeError", "the agent graph has a bug")
        assert failed.body["job"]["state"] == "error"
        runs = client.get("/api/runs").body           # NaN becomes null; odd objects become text
        assert runs[0]["latency_ms"] is None and isinstance(runs[0]["at"], str)
        assert_alive(client)
