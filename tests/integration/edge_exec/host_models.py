"""Host models for the aaas_nn interface tests: small numpy networks, loaded like real ones."""

import numpy as np

LOADS = {"count": 0}


class Doubler:
    """y = 2x + 1 on any f32 tensor; two labels for the label() call."""

    labels = ("blank", "plate")

    def run(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        return [inputs[0] * 2 + 1]


class Inflater:
    """An output far larger than its input (a hostile or broken model)."""

    def run(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        return [np.zeros((64, 1024, 1024), np.float32)]


def doubler() -> Doubler:
    LOADS["count"] += 1
    return Doubler()


def inflater() -> Inflater:
    return Inflater()


def broken():
    raise RuntimeError("weights file truncated")
