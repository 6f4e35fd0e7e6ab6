"""The User-space Service Toolbox: every function the data-plane agents may plan with.

Latencies are warm medians measured on the project's 2-core machine (benchmarks/seed_cases.py
and dp_agents/README.md); memory is the instance's peak RSS rounded up. Planning only needs
them to be the right order of magnitude; the executor keeps its own measured profiles.
"""

from __future__ import annotations

from dp_agents.errors import PlanError
from dp_agents.toolbox.function import ResourceProfile, ServiceFunction, WasmKernel

_E = "dp_agents.toolbox.entries"

TOOLBOX: dict[str, ServiceFunction] = {
    f.name: f
    for f in (
        ServiceFunction(
            "plate_preprocess",
            "decode a plate frame (PNM; JPEG/PNG in Python), grey, resize to 96 px, stretch contrast",
            ("frame",),
            "grey PGM bytes",
            "dp_agents.plates.preprocess:preprocess_frame",
            f"{_E}:plate_preprocess",
            ResourceProfile(
                cpu=0.2, memory_mib=24, latency_ms={"wasm": 1.5, "container": 1.0, "process": 1.0}
            ),
            wire="raw",
            wasm=WasmKernel("preprocess.wasm", "plate_preprocess"),
        ),
        ServiceFunction(
            "plate_ocr",
            "read the plate number with rapidocr (PP-OCR det + rec ONNX)",
            ("image",),
            '{"plate", "raw", "score", "format_ok"}',
            "dp_agents.plates.ocr:read_plate",
            f"{_E}:plate_ocr",
            ResourceProfile(
                cpu=1.0,
                memory_mib=320,
                latency_ms={"wasm": 75.0, "container": 70.0, "process": 70.0},
                host_inference=True,
            ),
        ),
        ServiceFunction(
            "plate_lookup",
            "look the plate up in the registry of known vehicles",
            ("reading",),
            '{"plate", "known", "vehicle", "match", "score"}',
            "dp_agents.plates.registry:lookup_plate",
            f"{_E}:plate_lookup",
            ResourceProfile(cpu=0.1, memory_mib=40, latency_ms={"container": 0.2, "process": 0.2}),
        ),
        ServiceFunction(
            "traffic_prep_road",
            "clean the last hour of loop speeds (failed loops interpolated) into the model window",
            ("readings",),
            '{"at", "slot", "sensors", "window"}',
            "dp_agents.traffic.steps:prep_road",
            f"{_E}:traffic_prep_road",
            ResourceProfile(cpu=0.5, memory_mib=120, latency_ms={"container": 6.0, "process": 6.0}),
        ),
        ServiceFunction(
            "traffic_prep_corridor",
            "average irregular speed + occupancy samples into the last half hour on a 5-min grid",
            ("readings",),
            '{"sensor", "at", "speed", "occupancy"}',
            "dp_agents.traffic.steps:prep_corridor",
            f"{_E}:traffic_prep_corridor",
            ResourceProfile(cpu=0.5, memory_mib=110, latency_ms={"container": 3.0, "process": 3.0}),
        ),
        ServiceFunction(
            "traffic_predict",
            "speeds 15/30/60 min ahead (L1-fitted lag models trained on the first 70%)",
            ("road", "corridor"),
            '{"road", "corridor"} predicted speeds',
            "dp_agents.traffic.steps:predict",
            f"{_E}:traffic_predict",
            ResourceProfile(cpu=0.5, memory_mib=140, latency_ms={"container": 4.0, "process": 4.0}),
        ),
        ServiceFunction(
            "traffic_report",
            "congested sensors per horizon and the corridor outlook",
            ("prediction",),
            "operator report JSON",
            "dp_agents.traffic.steps:report",
            f"{_E}:traffic_report",
            ResourceProfile(cpu=0.1, memory_mib=40, latency_ms={"container": 1.0, "process": 1.0}),
        ),
        ServiceFunction(
            "bev_prep_camera",
            "decode one car's frame, undistort it, undo its exposure gain",
            ("frame", "camera"),
            '{"camera", "image"} undistorted PNG',
            "dp_agents.bev.steps:prep_camera",
            f"{_E}:bev_prep_camera",
            ResourceProfile(cpu=0.5, memory_mib=90, latency_ms={"container": 90.0, "process": 90.0}),
        ),
        ServiceFunction(
            "bev_fuse",
            "warp every view onto the ground plane and fuse a bird's-eye view",
            ("*",),
            '{"bev_png" (alpha 0 = unknown), "coverage"}',
            "dp_agents.bev.steps:fuse",
            f"{_E}:bev_fuse",
            ResourceProfile(cpu=1.0, memory_mib=160, latency_ms={"container": 350.0, "process": 350.0}),
        ),
    )
}


def toolbox_function(name: str) -> ServiceFunction:
    try:
        return TOOLBOX[name]
    except KeyError:
        raise PlanError(f"no toolbox function {name!r} (known: {', '.join(sorted(TOOLBOX))})") from None
