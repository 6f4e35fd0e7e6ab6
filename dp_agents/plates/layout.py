"""The California plate layout, its look-alike folding and label generation. Import-light: the
lookup step and the registry use it without loading OpenCV or the OCR engine."""

from __future__ import annotations

import random
import re

PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # California skips I, O and Q
PLATE_LAYOUT = "DLLLDDD"  # digit, three letters, three digits
PLATE_PATTERN = re.compile(r"^[1-9][A-HJ-NPR-Z]{3}[0-9]{3}$")
# what the recogniser confuses, folded by the kind of character the layout expects there
AS_DIGIT = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "G": "6", "B": "8", "T": "7"}
)
AS_LETTER = str.maketrans(
    {"0": "D", "1": "L", "2": "Z", "5": "S", "6": "G", "8": "B", "O": "D", "I": "L", "Q": "D"}
)


def fold_to_layout(text: str, layout: str = PLATE_LAYOUT) -> str:
    """Fold look-alike characters to what the layout expects at each position (O->0, 8->B ...)."""
    if len(text) != len(layout):
        return text
    return "".join(
        ch.translate(AS_DIGIT if kind == "D" else AS_LETTER) for ch, kind in zip(text, layout, strict=True)
    )


def plate_text(rng: random.Random) -> str:
    digit = str(rng.randint(1, 9))
    letters = "".join(rng.choice(PLATE_LETTERS) for _ in range(3))
    return f"{digit}{letters}{rng.randint(0, 999):03d}"


def generate_plate_labels(count: int, seed: int = 7) -> list[str]:
    """The labels of `synth.generate_plates(count, seed)`, without rendering (their own stream)."""
    rng = random.Random(seed)
    return [plate_text(rng) for _ in range(count)]
