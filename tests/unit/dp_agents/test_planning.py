import dataclasses

import pytest

from dp_agents.errors import IntentError
from dp_agents.handoff import deploy_service
from dp_agents.planning import render_plan, validate
from dp_agents.planning.planner import intent_fields, preferred_runtime
from twin.model import load_topology


@pytest.fixture(scope="module")
def edge6g():
    return load_topology("edge6g")


def plan(edge6g, service, near="cam1", latency=None):
    return deploy_service({"service": service, "near": near, "latency_ms": latency}, edge6g)


def test_traffic_modalities_are_parallel_branches(edge6g):
    traffic = plan(edge6g, "traffic_flow_prediction", "veh2")
    assert [sorted(s.id for s in stage) for stage in traffic.stages] == [
        ["prep_corridor", "prep_road"],
        ["predict"],
        ["report"],
    ]
    assert traffic.ok and traffic.output == "report"


def test_each_camera_is_its_own_branch(edge6g):
    bev = plan(edge6g, "blind_zone_completion", "veh1", 5000)
    first, second = bev.stages
    assert len(first) == 4 and {s.function for s in first} == {"bev_prep_camera"}
    assert [s.id for s in second] == ["fuse"] and set(second[0].inputs.values()) == {s.id for s in first}


def test_plate_steps_form_a_chain_with_profiles(edge6g):
    lpr = plan(edge6g, "license_plate_recognition", "cam1", 300)
    assert [s.function for s in lpr.steps] == ["plate_preprocess", "plate_ocr", "plate_lookup"]
    ocr = lpr.step("ocr")
    assert (
        ocr.host_inference and "container" in ocr.runtimes and ocr.memory_mib > lpr.step("lookup").memory_mib
    )
    assert lpr.step("preprocess").runtime == "wasm"


def test_site_is_the_nearest_compute_node_with_capacity(edge6g):
    lpr = plan(edge6g, "license_plate_recognition", "cam3")
    assert lpr.site.node == "du3" and lpr.site.path == ("cam3", "ru5", "du3") and lpr.network_ms > 0


def test_a_tight_budget_fails_its_check_with_the_estimate(edge6g):
    bev = plan(edge6g, "blind_zone_completion", "veh1", 10)
    budget = next(c for c in bev.checks if c.name == "latency budget")
    assert not bev.ok and not budget.ok and "exceeds the 10 ms budget" in budget.detail


def test_default_budget_comes_from_the_service(edge6g):
    assert plan(edge6g, "traffic_flow_prediction").latency_budget_ms == 200.0


def test_validation_finds_a_cycle_and_an_unproduced_input(edge6g):
    lpr = plan(edge6g, "license_plate_recognition")
    steps = list(lpr.steps)
    steps[0] = dataclasses.replace(steps[0], inputs={"frame": "lookup"})
    steps[2] = dataclasses.replace(steps[2], inputs={"reading": "nowhere"})
    broken = dataclasses.replace(lpr, steps=tuple(steps))
    failed = {c.name for c in validate(broken) if not c.ok}
    assert {"every input produced"} <= failed
    cyclic = dataclasses.replace(
        lpr, steps=(dataclasses.replace(lpr.steps[0], inputs={"frame": "ocr"}), *lpr.steps[1:])
    )
    assert "acyclic" in {c.name for c in validate(cyclic) if not c.ok}


def test_unknown_function_fails_validation(edge6g):
    lpr = plan(edge6g, "license_plate_recognition")
    odd = dataclasses.replace(
        lpr, steps=(dataclasses.replace(lpr.steps[0], function="teleport"), *lpr.steps[1:])
    )
    assert "functions in the toolbox" in {c.name for c in validate(odd) if not c.ok}


@pytest.mark.parametrize(
    "params, message",
    [
        ({"service": "weather", "near": "cam1", "latency_ms": None}, "unknown service"),
        ({"service": "license_plate_recognition", "near": None, "latency_ms": None}, "needs `near`"),
        ({"service": "license_plate_recognition", "near": "cam1", "latency_ms": -5}, "positive"),
        ({"service": "license_plate_recognition", "near": "mars", "latency_ms": None}, "not in topology"),
        ({"service": "license_plate_recognition", "near": "cam1", "extra": 1}, "no parameter"),
    ],
)
def test_bad_intents_are_refused_with_a_reason(edge6g, params, message):
    with pytest.raises(IntentError, match=message):
        deploy_service(params, edge6g)


def test_near_is_case_insensitive():
    assert intent_fields({"service": "x", "near": "CAM1", "latency_ms": 5}) == ("x", "cam1", 5.0)


def test_lighter_runtime_wins_within_slack():
    assert preferred_runtime({"wasm": 1.4, "container": 1.0, "process": 1.0}) == "wasm"
    assert preferred_runtime({"wasm": 10.0, "container": 1.0, "process": 0.9}) == "container"


def test_render_shows_stages_site_and_checks(edge6g):
    text = render_plan(plan(edge6g, "traffic_flow_prediction", "veh2"))
    assert "stage 0 (parallel)" in text and "site: du2" in text and "[ok] acyclic" in text


def test_plan_json_is_serialisable(edge6g):
    import json

    data = json.loads(json.dumps(plan(edge6g, "blind_zone_completion", "veh1", 5000).to_json()))
    assert data["ok"] is True and len(data["steps"]) == 5 and data["site"]["node"] == "du1"
