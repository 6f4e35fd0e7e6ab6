import pytest

from dp_agents.errors import StepInputError
from dp_agents.payload import pack, unpack


def test_nested_bytes_and_json_survive_a_round_trip():
    value = {"camera": {"name": "car1", "k": [1.5, 2]}, "image": b"\x00\xffPNG", "views": [b"a", {"x": b""}]}
    assert unpack(pack(value)) == value


def test_plain_json_values_round_trip():
    for value in (None, 3, "text", [1, 2, 3], {"a": None}):
        assert unpack(pack(value)) == value


def test_bytes_are_not_base64_inflated():
    blob = bytes(range(256)) * 100
    assert len(pack(blob)) < len(blob) + 64


@pytest.mark.parametrize("broken", [b"", b"JSON{}", b"AAP1\x05\x00\x00\x00{}"])
def test_foreign_or_truncated_payloads_are_refused(broken):
    with pytest.raises(StepInputError):
        unpack(broken)


def test_trailing_bytes_are_refused():
    with pytest.raises(StepInputError, match="accounts for"):
        unpack(pack({"a": b"xy"}) + b"junk")
