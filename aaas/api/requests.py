"""Reading what a client sent: bodies, fields, headers and query parameters, checked
strictly so a hostile or careless request gets a 4xx that names the problem. Pure apart
from reading the body stream."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import IO, Any

from aaas.api.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType

MAX_BODY_BYTES = 64 * 1024
MAX_TEXT_CHARS = 2000  # the agents refuse longer texts
MAX_COMMENT_CHARS = 2000
DEFAULT_ACTOR = "operator"
_ACTOR = re.compile(r"^[A-Za-z0-9_.@ -]{1,64}$")
_RUN_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")


def read_json_body(headers: Mapping[str, str], stream: IO[bytes]) -> dict[str, Any]:
    """The request body as a JSON object; refuses chunked, oversized and non-JSON bodies
    before reading more than the limit."""
    media = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if media != "application/json":
        # Requiring JSON also makes cross-site form posts need a CORS preflight, which we never grant.
        raise UnsupportedMediaType(f"send the body as application/json (got {media or 'no Content-Type'})")
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        raise BadRequest("chunked bodies are not accepted: send Content-Length")
    length = _content_length(headers.get("Content-Length"))
    if length > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"body is {length} bytes; the limit is {MAX_BODY_BYTES}", limit=MAX_BODY_BYTES)
    raw = stream.read(length) if length else b""
    if len(raw) < length:
        raise BadRequest(f"body ended after {len(raw)} of {length} bytes")
    return parse_json_object(raw)


def _content_length(value: str | None) -> int:
    if value is None:
        raise BadRequest("Content-Length is required on POST")
    try:
        length = int(value.strip())
    except ValueError:
        raise BadRequest(f"Content-Length {value!r} is not a number") from None
    if length < 0:
        raise BadRequest("Content-Length must not be negative")
    return length


def parse_json_object(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"body is not UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise BadRequest("body is empty: send a JSON object")
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise BadRequest("body JSON is nested too deeply") from None
    if not isinstance(value, dict):
        raise BadRequest(f"body must be a JSON object, not {_json_type(value)}")
    return value


def _no_constant(name: str) -> None:
    raise BadRequest(f"body contains {name}, which is not JSON")


def intent_request(body: dict[str, Any]) -> str:
    """The intent text of a POST /api/intents body: {"text": "..."}."""
    text = _required(body, "text", str)
    _only_fields(body, {"text"})
    if not text.strip():
        raise BadRequest("field 'text' is blank: type what you want the network to do")
    if len(text) > MAX_TEXT_CHARS:
        raise BadRequest(f"field 'text' has {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
    return text.strip()


def decision_request(body: dict[str, Any]) -> tuple[bool, str]:
    """(approve, comment) of a POST /api/runs/{id}/approve body."""
    approve = _required(body, "approve", bool)
    _only_fields(body, {"approve", "comment"})
    comment = body.get("comment", "")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        raise BadRequest(f"field 'comment' must be a string, not {_json_type(comment)}")
    if len(comment) > MAX_COMMENT_CHARS:
        raise BadRequest(f"field 'comment' has {len(comment)} characters; the limit is {MAX_COMMENT_CHARS}")
    return approve, comment.strip()


def actor_from(headers: Mapping[str, str], default: str = DEFAULT_ACTOR) -> str:
    """Who is acting: the X-Operator header, or the server's default operator name."""
    value = headers.get("X-Operator")
    if value is None or not value.strip():
        return default
    value = value.strip()
    if not _ACTOR.match(value):
        raise BadRequest("header X-Operator must be 1-64 letters, digits, spaces or _ . @ -")
    return value


def run_id(value: str) -> str:
    if not _RUN_ID.match(value):
        raise BadRequest(f"{value[:80]!r} is not a run id (1-128 letters, digits or _ . : @ -)")
    return value


def int_param(query: Mapping[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    values = query.get(name)
    if not values:
        return default
    try:
        number = int(values[-1])
    except ValueError:
        raise BadRequest(f"query parameter {name}={values[-1][:40]!r} is not an integer") from None
    if not low <= number <= high:
        raise BadRequest(f"query parameter {name} must be between {low} and {high}, not {number}")
    return number


def flag_param(query: Mapping[str, list[str]], name: str) -> bool:
    values = query.get(name)
    if not values:
        return False
    value = values[-1].lower()
    if value in ("1", "true", "yes", ""):
        return True
    if value in ("0", "false", "no"):
        return False
    raise BadRequest(f"query parameter {name} must be true or false, not {values[-1][:40]!r}")


def _only_fields(body: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise BadRequest(f"unknown field(s) {', '.join(map(repr, unknown))}; "
                         f"allowed: {', '.join(sorted(allowed))}")


def _required(body: dict[str, Any], name: str, kind: type) -> Any:
    if name not in body:
        raise BadRequest(f"field {name!r} is missing")
    value = body[name]
    # bool is an int subclass in Python, and int is no bool: check exactly.
    if type(value) is not kind:
        raise BadRequest(f"field {name!r} must be {_KIND_NAMES[kind]}, not {_json_type(value)}")
    return value


_KIND_NAMES = {str: "a string", bool: "true or false"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
