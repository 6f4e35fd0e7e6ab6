import random

import numpy as np
import pytest

from dp_agents.errors import StepInputError
from dp_agents.plates.ocr import PLATE_PATTERN, fold_to_layout, pick_plate_line
from dp_agents.plates.preprocess import encode_pgm, preprocess_frame, resize_bilinear, stretch_contrast
from dp_agents.plates.registry import demo_registry, load_registry, lookup_plate
from dp_agents.plates.synth import PLATE_LETTERS, encode_ppm, generate_plate_labels, plate_text


def test_plate_letters_skip_the_ones_california_skips():
    assert not set("IOQ") & set(PLATE_LETTERS)
    labels = [plate_text(random.Random(i)) for i in range(200)]
    assert all(PLATE_PATTERN.match(label) for label in labels)


def test_labels_are_reproducible_from_the_seed():
    assert generate_plate_labels(10, 3) == generate_plate_labels(10, 3) != generate_plate_labels(10, 4)


@pytest.mark.parametrize(
    "raw, folded",
    [("BABC123", "8ABC123"), ("7A8C1O3", "7ABC103"), ("1AB0I23", "1ABD123"), ("TOOLONG12", "TOOLONG12")],
)
def test_look_alikes_fold_to_the_layout(raw, folded):
    assert fold_to_layout(raw) == folded


def test_the_plate_is_the_tallest_alphanumeric_line():
    lines = [("California", 0.99, 18.0), ("7ABC123", 0.95, 35.0), ("#", 0.5, 60.0)]
    assert pick_plate_line(lines) == ("7ABC123", 0.95)
    assert pick_plate_line([("ab", 0.9, 40.0)]) == ("", 0.0)


def test_lookup_finds_exact_and_folded_plates_and_reports_unknown():
    registry = load_registry(None)
    known = demo_registry()["vehicles"][3]
    assert lookup_plate({"plate": known["plate"], "score": 0.9}, registry)["vehicle"]["status"] == "stolen"
    assert lookup_plate({"plate": "ZZZ", "score": 0.1}, registry)["known"] is False
    index = {"8ABC123": {"plate": "8ABC123"}}
    assert lookup_plate({"plate": "BABC123"}, index)["match"] == "folded"


def test_lookup_refuses_a_reading_without_a_plate():
    with pytest.raises(StepInputError):
        lookup_plate({"text": "7ABC123"}, {})


def test_registry_file_from_the_user(tmp_path):
    path = tmp_path / "registry.json"
    path.write_text('{"vehicles": [{"plate": "1abc234", "make": "Kia"}]}')
    assert load_registry(path)["1ABC234"]["make"] == "Kia"


def test_resize_keeps_a_constant_image_constant_and_hits_the_size():
    flat = np.full((50, 80), 77, np.uint8)
    out = resize_bilinear(flat, 31, 19)
    assert out.shape == (19, 31) and (out == 77).all()


def test_contrast_stretch_spans_the_full_range():
    ramp = np.tile(np.arange(100, 150, dtype=np.uint8), (10, 1))
    stretched = stretch_contrast(ramp)
    assert stretched.min() == 0 and stretched.max() == 255
    assert (np.diff(stretched[0].astype(int)) >= 0).all()


def test_preprocessing_gives_a_96_pixel_high_pgm():
    rgb = np.zeros((60, 120, 3), np.uint8)
    rgb[20:40, 30:90] = (200, 180, 160)
    out = preprocess_frame(encode_ppm(rgb))
    assert out.startswith(b"P5\n192 96\n255\n") and len(out) == len(b"P5\n192 96\n255\n") + 192 * 96
    assert preprocess_frame(encode_pgm(rgb[..., 0])).startswith(b"P5\n192 96\n")


@pytest.mark.parametrize("frame", [b"", b"not an image", b"P6\n10 10\n255\n"])
def test_unreadable_frames_are_refused(frame):
    with pytest.raises(StepInputError):
        preprocess_frame(frame)
