"""The three services as step-graph templates over the toolbox.

A step's inputs name where each value comes from: another step's id, or `request` (the whole
request payload), or a path into it such as `request.frames.car1`. Steps whose inputs do not
depend on each other form parallel branches.
"""

from __future__ import annotations

from dataclasses import dataclass

from dp_agents.errors import IntentError

REQUEST = "request"


@dataclass(frozen=True)
class StepTemplate:
    id: str
    function: str
    inputs: dict[str, str]  # input name -> "request[.path]" or a step id


@dataclass(frozen=True)
class ServiceTemplate:
    name: str
    description: str
    request: str  # what a request carries
    request_bytes: int  # typical request size, for the transfer estimate
    steps: tuple[StepTemplate, ...]
    output: str  # id of the step whose output answers the request
    default_latency_ms: float


def camera_names(count: int) -> tuple[str, ...]:
    return tuple(f"car{k + 1}" for k in range(count))


def blind_zone_template(cameras: int = 4) -> ServiceTemplate:
    names = camera_names(cameras)
    preps = tuple(
        StepTemplate(
            f"prep_{name}",
            "bev_prep_camera",
            {"frame": f"request.frames.{name}", "camera": f"request.cameras.{name}"},
        )
        for name in names
    )
    fuse = StepTemplate("fuse", "bev_fuse", {name: f"prep_{name}" for name in names})
    return ServiceTemplate(
        "blind_zone_completion",
        "fuse several cars' camera views into a bird's-eye view of an intersection",
        '{"frames": {car: JPEG}, "cameras": {car: calibration}}',
        120_000 * cameras,
        preps + (fuse,),
        "fuse",
        default_latency_ms=1000.0,
    )


LICENSE_PLATE = ServiceTemplate(
    "license_plate_recognition",
    "read a plate from a roadside frame and look the vehicle up",
    "a plate frame (binary PNM; JPEG/PNG for the Python step)",
    40_000,
    (
        StepTemplate("preprocess", "plate_preprocess", {"frame": REQUEST}),
        StepTemplate("ocr", "plate_ocr", {"image": "preprocess"}),
        StepTemplate("lookup", "plate_lookup", {"reading": "ocr"}),
    ),
    "lookup",
    default_latency_ms=300.0,
)

TRAFFIC_FLOW = ServiceTemplate(
    "traffic_flow_prediction",
    "predict road speeds 15, 30 and 60 minutes ahead from two sensor modalities",
    '{"road": last hour of loop speeds, "corridor": raw speed + occupancy samples}',
    22_000,
    (
        StepTemplate("prep_road", "traffic_prep_road", {"readings": "request.road"}),
        StepTemplate("prep_corridor", "traffic_prep_corridor", {"readings": "request.corridor"}),
        StepTemplate("predict", "traffic_predict", {"road": "prep_road", "corridor": "prep_corridor"}),
        StepTemplate("report", "traffic_report", {"prediction": "predict"}),
    ),
    "report",
    default_latency_ms=200.0,
)

SERVICES = ("license_plate_recognition", "traffic_flow_prediction", "blind_zone_completion")


def service_template(name: str, cameras: int = 4) -> ServiceTemplate:
    if name == LICENSE_PLATE.name:
        return LICENSE_PLATE
    if name == TRAFFIC_FLOW.name:
        return TRAFFIC_FLOW
    if name == "blind_zone_completion":
        if not 1 <= cameras <= 16:
            raise IntentError(f"blind_zone_completion takes 1 to 16 cameras, not {cameras}")
        return blind_zone_template(cameras)
    raise IntentError(f"unknown service {name!r}: use one of {', '.join(SERVICES)}")
