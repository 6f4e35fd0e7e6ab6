"""Executor entry points: bytes in, bytes out, one per toolbox function.

The executor's process and container runtimes import "dp_agents.toolbox.entries:<name>" and call
it with the request payload. `raw` functions receive and return the bytes themselves; `packed`
functions receive pack({input: value}) and return pack(output) (see dp_agents.payload).
Each entry imports its service lazily, so an OCR worker never loads pandas and a traffic worker
never loads onnxruntime: the instance's memory is the step's own.
"""

from __future__ import annotations

from dp_agents.errors import StepInputError
from dp_agents.payload import pack, unpack


def _inputs(payload: bytes, *names: str) -> list:
    values = unpack(payload)
    if not isinstance(values, dict) or any(name not in values for name in names):
        raise StepInputError(
            f"payload must be pack({{{', '.join(names)}}}), got keys "
            f"{sorted(values) if isinstance(values, dict) else type(values).__name__}"
        )
    return [values[name] for name in names]


def plate_preprocess(payload: bytes) -> bytes:
    from dp_agents.plates import preprocess

    return preprocess.preprocess_frame(payload)


def plate_ocr(payload: bytes) -> bytes:
    from dp_agents.plates import ocr

    return pack(ocr.read_plate(*_inputs(payload, "image")))


def plate_lookup(payload: bytes) -> bytes:
    from dp_agents.plates import registry

    return pack(registry.lookup_plate(*_inputs(payload, "reading")))


def traffic_prep_road(payload: bytes) -> bytes:
    from dp_agents.traffic import steps as traffic

    return pack(traffic.prep_road(*_inputs(payload, "readings")))


def traffic_prep_corridor(payload: bytes) -> bytes:
    from dp_agents.traffic import steps as traffic

    return pack(traffic.prep_corridor(*_inputs(payload, "readings")))


def traffic_predict(payload: bytes) -> bytes:
    from dp_agents.traffic import steps as traffic

    return pack(traffic.predict(*_inputs(payload, "road", "corridor")))


def traffic_report(payload: bytes) -> bytes:
    from dp_agents.traffic import steps as traffic

    return pack(traffic.report(*_inputs(payload, "prediction")))


def bev_prep_camera(payload: bytes) -> bytes:
    from dp_agents.bev import steps as bev

    return pack(bev.prep_camera(*_inputs(payload, "frame", "camera")))


def bev_fuse(payload: bytes) -> bytes:
    from dp_agents.bev import steps as bev

    views = unpack(payload)
    if not isinstance(views, dict):
        raise StepInputError("bev_fuse payload must be pack({view name: prep_camera output})")
    return pack(bev.fuse(**views))
