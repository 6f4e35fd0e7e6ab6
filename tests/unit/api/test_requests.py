"""Reading client input strictly: each hostile or careless body gets an error that names
what is wrong (pure: no sockets)."""

from __future__ import annotations

import io
import json

import pytest

from aaas.api import requests as rq
from aaas.api.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType


def body_stream(payload: bytes, content_type: str = "application/json", length: int | None = None):
    headers = {"Content-Type": content_type, "Content-Length": str(len(payload) if length is None else length)}
    return headers, io.BytesIO(payload)


class Unreadable(io.RawIOBase):
    def read(self, size=-1):
        raise AssertionError("the body must not be read")


@pytest.mark.parametrize("raw, words", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "must be a JSON object, not an array"),
    (b"\"text\"", "not a string"),
    (b"", "empty"),
    (b"   ", "empty"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b'{"text": NaN}', "NaN"),
    (b'{"text": Infinity}', "Infinity"),
    (b"[" * 30000 + b"]" * 30000, "nested too deeply"),
])
def test_unreadable_bodies_are_bad_requests_that_say_why(raw, words):
    with pytest.raises(BadRequest, match=words):
        rq.parse_json_object(raw)


def test_a_json_error_says_where():
    with pytest.raises(BadRequest, match="line 2 column"):
        rq.parse_json_object(b'{"text":\n oops}')


def test_oversized_bodies_are_refused_before_reading():
    headers = {"Content-Type": "application/json", "Content-Length": str(rq.MAX_BODY_BYTES + 1)}
    with pytest.raises(PayloadTooLarge, match=str(rq.MAX_BODY_BYTES)):
        rq.read_json_body(headers, Unreadable())


def test_a_body_at_the_limit_is_read():
    text = "x" * (rq.MAX_BODY_BYTES - 20)
    payload = json.dumps({"t": text}).encode()
    assert len(payload) <= rq.MAX_BODY_BYTES
    assert rq.read_json_body(*body_stream(payload)) == {"t": text}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_only_json_is_accepted(content_type):
    with pytest.raises(UnsupportedMediaType):
        rq.read_json_body(*body_stream(b"{}", content_type))


def test_json_with_a_charset_is_accepted():
    assert rq.read_json_body(*body_stream(b'{"a": 1}', "application/json; charset=utf-8")) == {"a": 1}


@pytest.mark.parametrize("headers, words", [
    ({"Content-Type": "application/json"}, "Content-Length is required"),
    ({"Content-Type": "application/json", "Content-Length": "ten"}, "not a number"),
    ({"Content-Type": "application/json", "Content-Length": "-5"}, "negative"),
    ({"Content-Type": "application/json", "Content-Length": "5", "Transfer-Encoding": "chunked"}, "chunked"),
])
def test_framing_problems_are_bad_requests(headers, words):
    with pytest.raises(BadRequest, match=words):
        rq.read_json_body(headers, io.BytesIO(b"{}"))


def test_a_body_shorter_than_announced_is_refused():
    with pytest.raises(BadRequest, match="ended after 2 of 10 bytes"):
        rq.read_json_body(*body_stream(b"{}", length=10))


@pytest.mark.parametrize("body, words", [
    ({}, "'text' is missing"),
    ({"text": 5}, "must be a string, not a number"),
    ({"text": None}, "not null"),
    ({"text": ["a"]}, "not an array"),
    ({"text": "   "}, "blank"),
    ({"text": "x" * (rq.MAX_TEXT_CHARS + 1)}, "limit"),
    ({"text": "block ssh", "approve": True}, "unknown field"),
])
def test_intent_bodies_are_checked(body, words):
    with pytest.raises(BadRequest, match=words):
        rq.intent_request(body)


def test_an_intent_text_is_trimmed():
    assert rq.intent_request({"text": "  block ssh from cam1 to cloud1\n"}) == "block ssh from cam1 to cloud1"


@pytest.mark.parametrize("body, words", [
    ({}, "'approve' is missing"),
    ({"approve": 1}, "true or false, not a number"),
    ({"approve": "yes"}, "true or false, not a string"),
    ({"approve": True, "comment": 3}, "'comment' must be a string"),
    ({"approve": True, "comment": "x" * (rq.MAX_COMMENT_CHARS + 1)}, "limit"),
    ({"approve": True, "approver": "mallory"}, "unknown field"),
])
def test_decision_bodies_are_checked(body, words):
    with pytest.raises(BadRequest, match=words):
        rq.decision_request(body)


def test_a_decision_reads_approve_and_comment():
    assert rq.decision_request({"approve": False, "comment": " too wide "}) == (False, "too wide")
    assert rq.decision_request({"approve": True, "comment": None}) == (True, "")


def test_the_actor_comes_from_the_header_or_the_default():
    assert rq.actor_from({}, "ops") == "ops"
    assert rq.actor_from({"X-Operator": "  "}, "ops") == "ops"
    assert rq.actor_from({"X-Operator": "alice@noc"}) == "alice@noc"


@pytest.mark.parametrize("value", ["a\nb", "x" * 65, "<script>", "bob; rm"])
def test_a_forged_actor_is_refused(value):
    with pytest.raises(BadRequest, match="X-Operator"):
        rq.actor_from({"X-Operator": value})


@pytest.mark.parametrize("value", ["../etc", "a b", "", "x" * 129, "run/1"])
def test_run_ids_are_checked(value):
    with pytest.raises(BadRequest, match="not a run id"):
        rq.run_id(value)


def test_integer_parameters_are_bounded():
    assert rq.int_param({}, "limit", 100, 1, 1000) == 100
    assert rq.int_param({"limit": ["5"]}, "limit", 100, 1, 1000) == 5
    with pytest.raises(BadRequest, match="not an integer"):
        rq.int_param({"limit": ["many"]}, "limit", 100, 1, 1000)
    with pytest.raises(BadRequest, match="between 1 and 1000"):
        rq.int_param({"limit": ["0"]}, "limit", 100, 1, 1000)


def test_flag_parameters():
    assert rq.flag_param({"wait": ["true"]}, "wait") and rq.flag_param({"wait": [""]}, "wait")
    assert not rq.flag_param({"wait": ["0"]}, "wait") and not rq.flag_param({}, "wait")
    with pytest.raises(BadRequest, match="true or false"):
        rq.flag_param({"wait": ["maybe"]}, "wait")
