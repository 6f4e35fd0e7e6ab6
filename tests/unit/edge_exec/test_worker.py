import io

from edge_exec.wire import encode, read_message
from edge_exec.worker import serve


def _run(entry: str, requests: list[tuple[int, bytes]]) -> list[tuple[dict, bytes]]:
    inbound = io.BytesIO(b"".join(encode({"id": i}, p) for i, p in requests))
    outbound = io.BytesIO()
    serve(entry, inbound, outbound)
    outbound.seek(0)
    replies = [read_message(outbound) for _ in range(len(requests) + 1)]
    assert replies[0][0]["ready"] is True
    return replies[1:]


def test_replies_echo_the_request_ids_in_order():
    replies = _run("edge_exec.catalog:echo", [(7, b"a"), (9, b"bc")])
    assert [(h["id"], h["ok"], body) for h, body in replies] == [(7, True, b"a"), (9, True, b"bc")]


def test_structured_results_are_json_and_failures_are_replies():
    (ok, body), = _run("edge_exec.catalog:whereami", [(1, b"")])
    assert ok["ok"] and b'"netns"' in body
    (failed, body), = _run("edge_exec.catalog:sleepy", [(2, b"not-a-number")])
    assert failed == failed | {"id": 2, "ok": False, "kind": "failed"} and "ValueError" in failed["error"]
