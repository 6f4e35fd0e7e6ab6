from dp_agents.planning.graph import critical_path_ms, dependencies, is_request, stages


def test_request_paths_are_not_steps():
    assert is_request("request") and is_request("request.frames.car1")
    assert not is_request("requester")
    assert dependencies({"a": {"x": "request"}, "b": {"y": "a", "z": "request.k"}}) == {
        "a": set(),
        "b": {"a"},
    }


def test_independent_steps_share_a_stage():
    deps = {"left": set(), "right": set(), "join": {"left", "right"}, "tail": {"join"}}
    assert stages(deps) == {"left": 0, "right": 0, "join": 1, "tail": 2}


def test_a_cycle_has_no_stages():
    assert stages({"a": {"b"}, "b": {"a"}}) is None
    assert critical_path_ms({"a": {"b"}, "b": {"a"}}, {"a": 1, "b": 1}) == float("inf")


def test_parallel_branches_cost_their_slowest_branch():
    deps = {"fast": set(), "slow": set(), "join": {"fast", "slow"}}
    assert critical_path_ms(deps, {"fast": 1.0, "slow": 10.0, "join": 2.0}) == 12.0
