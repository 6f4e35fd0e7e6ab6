"""Reading a service request from files, the way `aaas service run NAME --input FILE` takes it.

- license_plate_recognition: an image file (binary PNM, JPEG or PNG) of a plate.
- traffic_flow_prediction: a JSON request with the readings themselves ({"road": ..., "corridor":
  ...}, see dp_agents.traffic.readings), or a query {"road_at", "corridor_sensor", "corridor_at"}
  whose readings are then taken from the data folder in place.
- blind_zone_completion: a JSON file {"frames": {car: image path}, "cameras": {car: calibration}}
  with image paths relative to the JSON file (what `aaas service sample` writes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dp_agents.errors import IntentError, StepInputError


def load_request(service: str, path: str | Path) -> Any:
    source = Path(path)
    try:
        if service == "license_plate_recognition":
            return source.read_bytes()
        document = json.loads(source.read_text())
    except OSError as exc:
        raise StepInputError(f"cannot read request file {source}: {exc}") from exc
    except ValueError as exc:
        raise StepInputError(f"request file {source} is not JSON: {exc}") from exc
    if service == "traffic_flow_prediction":
        return _traffic_request(document)
    if service == "blind_zone_completion":
        return _camera_request(document, source.parent)
    raise IntentError(f"unknown service {service!r}")


def _traffic_request(document: Any) -> dict:
    if not isinstance(document, dict):
        raise StepInputError("a traffic request is a JSON object")
    if "road" in document or "corridor" in document:
        return document
    from dp_agents.traffic.readings import traffic_request

    return traffic_request(
        document.get("road_at"), document.get("corridor_sensor") or "6005", document.get("corridor_at")
    )


def _camera_request(document: Any, base: Path) -> dict:
    if not isinstance(document, dict) or not isinstance(document.get("frames"), dict):
        raise StepInputError(
            'a blind-zone request is {"frames": {car: image path}, "cameras": {car: calibration}}'
        )
    cameras = document.get("cameras") or {}
    missing = sorted(set(document["frames"]) - set(cameras))
    if missing:
        raise StepInputError(f"no calibration for cameras {missing}")
    frames = {}
    for car, image in document["frames"].items():
        try:
            frames[car] = (base / str(image)).read_bytes()
        except OSError as exc:
            raise StepInputError(f"frame of {car} ({image}) cannot be read: {exc}") from exc
    return {"frames": frames, "cameras": {car: cameras[car] for car in frames}}
