"""The services' steps on the real edge executor (edge_exec): wasm, runc containers and processes,
placed by the executor on edge6g's compute nodes nearest the request's source host."""

import shutil
import tempfile
from pathlib import Path

import pytest

from dp_agents.executor import ExecutorCaller, executor_functions
from dp_agents.handoff import deploy_service
from dp_agents.plates.synth import generate_plates
from dp_agents.runner import run_plan
from dp_agents.traffic.readings import traffic_request
from dp_agents.traffic.store import traffic_models
from edge_exec.cluster import EdgeCluster
from twin.model import load_topology

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cluster(plate_kernel, ocr_ready, shared_data):
    traffic_models()  # containers cannot see the data: the trained artefact must exist first
    for tool in ("runc", "nsenter"):
        assert shutil.which(tool), f"{tool} is missing: run scripts/setup.sh (apt: runc util-linux)"
    state = Path(tempfile.mkdtemp(prefix="dpx-"))  # short: unix socket paths are limited
    edge = EdgeCluster(load_topology("edge6g"), state, keep_alive_s=60)
    try:
        edge.start(["du1", "du2", "cu1"])
        for function in executor_functions():
            edge.deploy(function)
        yield edge
    finally:
        edge.stop()
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(autouse=True)
def scaled_to_zero_afterwards(cluster):
    """Each test starts from zero instances (an idle instance of another runtime still counts as
    warm for placement, edge_exec's placement does not tell runtimes apart)."""
    yield
    for node in cluster.handles:
        cluster.client(node).reap(0)


@pytest.mark.parametrize("runtime", ["wasm", "container", "process"])
def test_plates_are_read_on_each_runtime_near_the_camera(cluster, runtime):
    plan = deploy_service({"service": "license_plate_recognition", "near": "cam1", "latency_ms": None})
    caller = ExecutorCaller(cluster, "cam1", runtime)
    for sample in generate_plates(2, seed=7):
        assert run_plan(plan, sample.frame, caller).output["plate"] == sample.label
    ran = {step: (meta["runtime"], meta["node"]) for step, meta in caller.meta.items()}
    assert ran["preprocess"] == (runtime, "du1")  # cam1 hangs off ru1 under du1
    assert ran["ocr"][0] in ("container", "process") and ran["ocr"][1] in ("du1", "cu1")


def test_traffic_prediction_runs_on_the_executor(cluster):
    plan = deploy_service({"service": "traffic_flow_prediction", "near": "veh3", "latency_ms": None})
    caller = ExecutorCaller(cluster, "veh3", "container")
    answer = run_plan(plan, traffic_request("2012-03-06T08:00:00", "t4013", None), caller).output
    assert answer["horizons_min"] == [15, 30, 60] and answer["corridor"]["sensor"] == "t4013"
    assert {meta["runtime"] for meta in caller.meta.values()} == {"container"}
