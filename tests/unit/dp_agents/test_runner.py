import threading

import pytest

from dp_agents.errors import PlanError, StepInputError
from dp_agents.handoff import deploy_service
from dp_agents.runner import resolve, run_plan
from twin.model import load_topology


class RecordingCaller:
    """Fake step caller: returns the step id and records the inputs and the threads it ran on."""

    def __init__(self, barrier_parties=0):
        self.calls = {}
        self.barrier = threading.Barrier(barrier_parties) if barrier_parties else None

    def call(self, step, inputs):
        if self.barrier and step.function == "bev_prep_camera":
            self.barrier.wait(timeout=5)  # only passes if all cameras run at the same time
        self.calls[step.id] = inputs
        return {"from": step.id}


@pytest.fixture(scope="module")
def edge6g():
    return load_topology("edge6g")


def test_request_paths_resolve_into_the_request():
    request = {"frames": {"car1": b"jpeg"}}
    assert resolve("request.frames.car1", request, {}) == b"jpeg"
    assert resolve("request", request, {}) is request
    assert resolve("prep", request, {"prep": 7}) == 7
    with pytest.raises(StepInputError, match="car2"):
        resolve("request.frames.car2", request, {})


def test_steps_get_their_producers_outputs(edge6g):
    plan = deploy_service({"service": "traffic_flow_prediction", "near": "veh1", "latency_ms": None}, edge6g)
    caller = RecordingCaller()
    result = run_plan(plan, {"road": {"at": "r"}, "corridor": {"at": "c"}}, caller)
    assert caller.calls["prep_road"] == {"readings": {"at": "r"}}  # each branch gets only its modality
    assert caller.calls["predict"] == {"road": {"from": "prep_road"}, "corridor": {"from": "prep_corridor"}}
    assert result.output == {"from": "report"} and set(result.step_ms) == {s.id for s in plan.steps}


def test_a_stage_runs_its_branches_concurrently(edge6g):
    plan = deploy_service({"service": "blind_zone_completion", "near": "veh1", "latency_ms": 5000}, edge6g)
    request = {
        "frames": {f"car{k}": b"" for k in range(1, 5)},
        "cameras": {f"car{k}": {} for k in range(1, 5)},
    }
    run_plan(plan, request, RecordingCaller(barrier_parties=4))


def test_an_invalid_plan_is_not_run(edge6g):
    plan = deploy_service({"service": "blind_zone_completion", "near": "veh1", "latency_ms": 1}, edge6g)
    with pytest.raises(PlanError, match="latency budget"):
        run_plan(plan, {}, RecordingCaller())
