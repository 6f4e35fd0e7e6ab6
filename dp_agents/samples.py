"""Sample requests for each service, written to a folder (`aaas service sample NAME --out DIR`)."""

from __future__ import annotations

import json
from pathlib import Path

import cv2

from dp_agents.errors import IntentError


def write_samples(service: str, folder: str | Path, count: int = 5, seed: int = 7) -> list[Path]:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    if service == "license_plate_recognition":
        return _plates(out, count, seed)
    if service == "traffic_flow_prediction":
        path = out / "request.json"
        path.write_text(
            json.dumps(
                {
                    "road_at": "2012-03-06T17:30:00",
                    "corridor_sensor": "6005",
                    "corridor_at": "2015-09-15T08:00:00",
                },
                indent=2,
            )
            + "\n"
        )
        return [path]
    if service == "blind_zone_completion":
        return _scene(out, seed)
    raise IntentError(f"unknown service {service!r}")


def _plates(out: Path, count: int, seed: int) -> list[Path]:
    from dp_agents.plates.synth import generate_plates

    written, labels = [], {}
    for index, sample in enumerate(generate_plates(count, seed)):
        path = out / f"plate{index:03d}.ppm"
        path.write_bytes(sample.frame)
        labels[path.name] = sample.label
        written.append(path)
    (out / "labels.json").write_text(json.dumps(labels, indent=2) + "\n")
    return written + [out / "labels.json"]


def _scene(out: Path, seed: int) -> list[Path]:
    from dp_agents.bev.fusion import BEV_EXTENT_M, BEV_SIZE
    from dp_agents.bev.scene import ground_truth, render_scene

    scene = render_scene(seed)
    frames, cameras = {}, {}
    for camera, frame in zip(scene.cameras, scene.frames, strict=True):
        (out / f"{camera.name}.jpg").write_bytes(frame)
        frames[camera.name], cameras[camera.name] = f"{camera.name}.jpg", camera.to_json()
    request = out / "request.json"
    request.write_text(json.dumps({"frames": frames, "cameras": cameras}, indent=2) + "\n")
    truth = out / "ground_truth.png"
    cv2.imwrite(
        str(truth), cv2.cvtColor(ground_truth(scene.texture, BEV_SIZE, BEV_EXTENT_M), cv2.COLOR_RGB2BGR)
    )
    return [out / f for f in frames.values()] + [request, truth]
