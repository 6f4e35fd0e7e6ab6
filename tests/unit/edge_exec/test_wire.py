import io

import pytest

from edge_exec.wire import MAX_FRAME, FrameError, encode, read_message


def test_messages_round_trip_in_sequence():
    stream = io.BytesIO(encode({"id": 1}, b"\x00\x01") + encode({"id": 2}))
    assert read_message(stream) == ({"id": 1}, b"\x00\x01")
    assert read_message(stream) == ({"id": 2}, b"")
    with pytest.raises(FrameError, match="closed"):
        read_message(stream)


def test_a_truncated_message_is_an_error():
    data = encode({"id": 1}, b"payload")
    with pytest.raises(FrameError, match="mid-message"):
        read_message(io.BytesIO(data[:-3]))


def test_oversized_and_non_object_frames_are_refused():
    with pytest.raises(FrameError, match="limit"):
        read_message(io.BytesIO((MAX_FRAME + 1).to_bytes(4, "big")))
    with pytest.raises(FrameError, match="object"):
        read_message(io.BytesIO(b"\x00\x00\x00\x02[]" + b"\x00\x00\x00\x00"))
