"""The User-space Service Toolbox: every function the data-plane agents may plan with.

Latencies are warm medians measured on the project's 2-core machine (benchmarks/seed_cases.py
and dp_agents/README.md); memory is the instance's peak RSS rounded up. Planning only needs
them to be the right order of magnitude; the executor keeps its own measured profiles.
"""

from __future__ import annotations

from dp_agents.errors import PlanError
from dp_agents.toolbox.function import ResourceProfile, ServiceFunction, WasmKernel

_E = "dp_agents.toolbox.entries"
# host models of the wasm kernels (name the C code loads, loader the executor runs once per
# process); strings, so importing the catalog loads neither onnxruntime nor the traffic models
OCR_NETWORKS = (
    ("plate_det", "dp_agents.plates.networks:detector"),
    ("plate_rec", "dp_agents.plates.networks:recogniser"),
)
REGISTRY_TABLE = (("plate_registry", "dp_agents.plates.registry_table:registry_table"),)
IMAGE_CODEC = (("image_codec", "dp_agents.bev.codec:image_codec"),)
TRAFFIC_MODELS = (
    ("traffic_road", "dp_agents.traffic.networks:road"),
    ("traffic_corridor_6005", "dp_agents.traffic.networks:corridor_6005"),
    ("traffic_corridor_t4013", "dp_agents.traffic.networks:corridor_t4013"),
)

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
            "read the plate number with rapidocr's PP-OCR det + rec ONNX (wasm: C pre/post-processing, "
            "networks run by the host)",
            ("image",),
            '{"plate", "raw", "score", "format_ok"}',
            "dp_agents.plates.ocr:read_plate",
            f"{_E}:plate_ocr",
            ResourceProfile(
                cpu=1.0,
                memory_mib=320,
                latency_ms={"wasm": 60.0, "container": 70.0, "process": 70.0},
                host_inference=True,
            ),
            wasm=WasmKernel("ocr.wasm", "plate_ocr", OCR_NETWORKS),
        ),
        ServiceFunction(
            "plate_lookup",
            "look the plate up in the registry of known vehicles",
            ("reading",),
            '{"plate", "known", "vehicle", "match", "score"}',
            "dp_agents.plates.registry:lookup_plate",
            f"{_E}:plate_lookup",
            ResourceProfile(cpu=0.1, memory_mib=40, latency_ms={"wasm": 0.3, "container": 0.2, "process": 0.2}),
            wasm=WasmKernel("ocr.wasm", "plate_lookup", REGISTRY_TABLE),
        ),
        ServiceFunction(
            "traffic_prep_road",
            "clean the last hour of loop speeds (failed loops interpolated) into the model window",
            ("readings",),
            '{"at", "slot", "sensors", "window"}',
            "dp_agents.traffic.steps:prep_road",
            f"{_E}:traffic_prep_road",
            ResourceProfile(cpu=0.5, memory_mib=120, latency_ms={"wasm": 6.0, "container": 6.0, "process": 6.0}),
            wasm=WasmKernel("traffic.wasm", "traffic_prep_road", ()),
        ),
        ServiceFunction(
            "traffic_prep_corridor",
            "average irregular speed + occupancy samples into the last half hour on a 5-min grid",
            ("readings",),
            '{"sensor", "at", "speed", "occupancy"}',
            "dp_agents.traffic.steps:prep_corridor",
            f"{_E}:traffic_prep_corridor",
            ResourceProfile(cpu=0.5, memory_mib=110, latency_ms={"wasm": 1.0, "container": 3.0, "process": 3.0}),
            wasm=WasmKernel("traffic.wasm", "traffic_prep_corridor", ()),
        ),
        ServiceFunction(
            "traffic_predict",
            "speeds 15/30/60 min ahead (L1-fitted lag models trained on the first 70%)",
            ("road", "corridor"),
            '{"road", "corridor"} predicted speeds',
            "dp_agents.traffic.steps:predict",
            f"{_E}:traffic_predict",
            ResourceProfile(cpu=0.5, memory_mib=140, latency_ms={"wasm": 7.0, "container": 4.0, "process": 4.0}),
            wasm=WasmKernel("traffic.wasm", "traffic_predict", TRAFFIC_MODELS),
        ),
        ServiceFunction(
            "traffic_report",
            "congested sensors per horizon and the corridor outlook",
            ("prediction",),
            "operator report JSON",
            "dp_agents.traffic.steps:report",
            f"{_E}:traffic_report",
            ResourceProfile(cpu=0.1, memory_mib=40, latency_ms={"wasm": 2.0, "container": 1.0, "process": 1.0}),
            wasm=WasmKernel("traffic.wasm", "traffic_report", ()),
        ),
        ServiceFunction(
            "bev_prep_camera",
            "decode one car's frame, undistort it, undo its exposure gain",
            ("frame", "camera"),
            '{"camera", "image"} undistorted PNG',
            "dp_agents.bev.steps:prep_camera",
            f"{_E}:bev_prep_camera",
            ResourceProfile(
                cpu=0.5, memory_mib=90, latency_ms={"wasm": 120.0, "container": 90.0, "process": 90.0}
            ),
            wasm=WasmKernel("bev.wasm", "bev_prep_camera", IMAGE_CODEC),
        ),
        ServiceFunction(
            "bev_fuse",
            "warp every view onto the ground plane and fuse a bird's-eye view",
            ("*",),
            '{"bev_png" (alpha 0 = unknown), "coverage"}',
            "dp_agents.bev.steps:fuse",
            f"{_E}:bev_fuse",
            ResourceProfile(
                cpu=1.0, memory_mib=160, latency_ms={"wasm": 250.0, "container": 350.0, "process": 350.0}
            ),
            wasm=WasmKernel("bev.wasm", "bev_fuse", IMAGE_CODEC),
        ),
    )
}


def toolbox_function(name: str) -> ServiceFunction:
    try:
        return TOOLBOX[name]
    except KeyError:
        raise PlanError(f"no toolbox function {name!r} (known: {', '.join(sorted(TOOLBOX))})") from None
