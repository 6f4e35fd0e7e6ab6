import pytest

from edge_exec.capacity import NodeCapacity
from edge_exec.errors import FunctionError, PlacementError
from edge_exec.functions import Function, Limits
from edge_exec.placement import NodeView, place, proximity
from twin.model import load_topology

TOPO = load_topology("edge6g")
STEP = Function("step", python="m:f", limits=Limits(memory_mib=512, cpu=1.0))


def views(**overrides) -> dict[str, NodeView]:
    result = {}
    for name in ("du1", "du2", "cu1", "edge1", "cloud1"):
        cap = TOPO.node(name).capacity
        result[name] = NodeView(name, NodeCapacity(cap.cpu, cap.memory_mib, cap.accelerator))
    result.update(overrides)
    return result


def test_proximity_follows_link_delays_and_counts_hops():
    near = proximity(TOPO, "cam1")
    assert near["du1"].hops == 2 and near["du1"].latency_ms == pytest.approx(0.55)
    assert near["edge1"].latency_ms == pytest.approx(0.67) and near["edge1"].hops == 4
    assert near["cloud1"].latency_ms > near["edge1"].latency_ms


def test_the_nearest_node_with_room_wins():
    assert place(STEP, "cam1", TOPO, views()).node == "du1"
    assert place(STEP, "cam2", TOPO, views()).node == "du2"


def test_full_or_draining_nodes_are_passed_over():
    du1 = TOPO.node("du1").capacity
    full = NodeView("du1", NodeCapacity(du1.cpu, du1.memory_mib), reserved_cpu=1.5, reserved_memory_mib=3900)
    assert place(STEP, "cam1", TOPO, views(du1=full)).node == "cu1"
    draining = NodeView("du1", NodeCapacity(du1.cpu, du1.memory_mib), draining=True)
    assert place(STEP, "cam1", TOPO, views(du1=draining)).node == "cu1"


def test_a_warm_instance_counts_even_on_a_full_node():
    du1 = TOPO.node("du1").capacity
    full_but_warm = NodeView("du1", NodeCapacity(du1.cpu, du1.memory_mib), reserved_cpu=2.0,
                             reserved_memory_mib=4096, warm=frozenset({("step", "process")}))
    placement = place(STEP, "cam1", TOPO, views(du1=full_but_warm), runtime="process")
    assert placement.node == "du1" and placement.warm


def test_an_idle_instance_of_another_runtime_is_not_warm_for_this_one():
    """A full node whose only idle instance runs on another runtime cannot take the request
    without new capacity: it is passed over (it used to attract the request, which then queued)."""
    du1 = TOPO.node("du1").capacity
    full = NodeView("du1", NodeCapacity(du1.cpu, du1.memory_mib), reserved_cpu=2.0,
                    reserved_memory_mib=4096, warm=frozenset({("step", "process")}))
    placement = place(STEP, "cam1", TOPO, views(du1=full), runtime="container")
    assert (placement.node, placement.warm) == ("cu1", False)


def test_load_reports_warmth_per_runtime():
    load = {"node": "du1", "draining": False,
            "capacity": {"cpu": 2.0, "memory_mib": 4096, "reserved_cpu": 2.0, "reserved_memory_mib": 4096},
            "instances": [{"function": "step", "runtime": "process", "alive": True, "in_flight": 0},
                          {"function": "step", "runtime": "container", "alive": True, "in_flight": 1}]}
    view = NodeView.from_load(load)
    assert view.is_warm(STEP, "process") and not view.is_warm(STEP, "container")
    assert place(STEP, "cam1", TOPO, views(du1=view), runtime="container").node == "cu1"
    assert place(STEP, "cam1", TOPO, views(du1=view), runtime="process").node == "du1"


def test_a_runtime_the_function_lacks_is_a_usage_error():
    with pytest.raises(FunctionError, match="no artifact for runtime 'wasm'"):
        place(STEP, "cam1", TOPO, views(), runtime="wasm")


def test_accelerators_restrict_the_nodes():
    gpu_step = Function("gpu_step", python="m:f", accelerator="gpu")
    assert place(gpu_step, "cam1", TOPO, views()).node == "edge1"


def test_no_node_left_is_a_placement_error_with_reasons():
    with pytest.raises(PlacementError, match="du1: excluded"):
        place(STEP, "cam1", TOPO, views(), exclude=frozenset(views()))
    with pytest.raises(PlacementError, match="not a node"):
        place(STEP, "nowhere", TOPO, views())


def test_an_unreachable_executor_is_passed_over():
    du1 = TOPO.node("du1").capacity
    gone = NodeView("du1", NodeCapacity(du1.cpu, du1.memory_mib), reachable=False)
    assert place(STEP, "cam1", TOPO, views(du1=gone)).node == "cu1"
