"""Steps defined outside edge_exec, as a data-plane package would: the workers import them from
the read-only project, with the venv's packages (numpy, OpenCV)."""

import getpass


def luma_mean(payload: bytes) -> dict:
    import cv2
    import numpy as np

    rgb = np.frombuffer(payload, dtype=np.uint8).reshape(-1, 1, 3)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return {"mean": float(gray.mean()), "user": getpass.getuser(), "numpy": np.__version__}
