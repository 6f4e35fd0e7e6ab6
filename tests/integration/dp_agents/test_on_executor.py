"""The services' steps on the real edge executor (edge_exec): wasm, runc containers and processes,
placed by the executor on edge6g's compute nodes nearest the request's source host."""

import shutil

import pytest

from dp_agents.executor import ExecutorCaller, serving_cluster
from dp_agents.handoff import deploy_service
from dp_agents.plates.synth import generate_plates
from dp_agents.runner import run_plan
from dp_agents.traffic.readings import traffic_request
from dp_agents.traffic.store import traffic_models
from twin.model import load_topology

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cluster(plate_kernel, ocr_ready, shared_data):
    traffic_models()  # containers cannot see the data: the trained artefact must exist first
    for tool in ("runc", "nsenter"):
        assert shutil.which(tool), f"{tool} is missing: run scripts/setup.sh (apt: runc util-linux)"
    with serving_cluster(load_topology("edge6g"), ["du1", "du2", "du3", "cu1"], "dpx-", keep_alive_s=60) as edge:
        yield edge


# one camera per runtime, each under its own DU: a DU full of another runtime's idle instances
# is passed over by placement (those instances are not warm for this runtime)
CAMERAS = {"wasm": ("cam1", "du1"), "container": ("cam2", "du2"), "process": ("cam3", "du3")}


@pytest.mark.parametrize("runtime", ["wasm", "container", "process"])
def test_plates_are_read_on_each_runtime_near_the_camera(cluster, runtime):
    camera, du = CAMERAS[runtime]
    plan = deploy_service({"service": "license_plate_recognition", "near": camera, "latency_ms": None})
    caller = ExecutorCaller(cluster, camera, runtime)
    for sample in generate_plates(2, seed=7):
        assert run_plan(plan, sample.frame, caller).output["plate"] == sample.label
    ran = {step: (meta["runtime"], meta["node"]) for step, meta in caller.meta.items()}
    assert ran["preprocess"] == (runtime, du)  # the camera's RU hangs off this DU
    ocr_runtimes = cluster.registry.get("plate_ocr").runtimes    # the runtime asked for if OCR has it
    assert ran["ocr"][0] == runtime if runtime in ocr_runtimes else ran["ocr"][0] in ocr_runtimes
    assert ran["ocr"][1] in cluster.handles
    assert caller.meta["ocr"]["network_latency_ms"] >= caller.meta["preprocess"]["network_latency_ms"]


def test_traffic_prediction_runs_on_the_executor(cluster):
    plan = deploy_service({"service": "traffic_flow_prediction", "near": "veh3", "latency_ms": None})
    caller = ExecutorCaller(cluster, "veh3", "container")
    answer = run_plan(plan, traffic_request("2012-03-06T08:00:00", "t4013", None), caller).output
    assert answer["horizons_min"] == [15, 30, 60] and answer["corridor"]["sensor"] == "t4013"
    assert {meta["runtime"] for meta in caller.meta.values()} == {"container"}
