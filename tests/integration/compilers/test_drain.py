"""node.drain applied and proven by measurement, and refused when a host would be cut off.

On edge6g, core2 is the backhaul router without hosts of its own that carries the CU2 side's
traffic to core1 and cloud1 (0.45 ms against 0.5 ms on the direct cu2-core1 link): draining it
moves those paths onto the direct link. Every other edge6g switch has hosts with no second way
out, so draining it is refused naming them. A ring of four switches checks the same on a
topology of another shape."""

from __future__ import annotations

import pytest

from netops_tools.compilers import IntentRefused, compile_intent
from netops_tools.compilers.verify import validate_intent
from tests.integration.compilers.conftest import bring_up, take_down
from tests.integration.compilers.test_intents_on_edge6g import intent, proven
from twin.analysis.routing import host_path
from twin.model import Link, Node, Topology

pytestmark = pytest.mark.integration


def ring() -> Topology:
    nodes = [Node(name=f"s{i}", role="switch") for i in range(1, 5)]
    nodes += [Node(name=f"h{i}", role="host") for i in range(1, 4)]
    links = [Link("s1", "s2", 100, 1.0), Link("s2", "s3", 100, 1.0), Link("s3", "s4", 100, 0.1),
             Link("s4", "s1", 100, 0.1)] + [Link(f"h{i}", f"s{i}", 100, 0.1) for i in range(1, 4)]
    return Topology.build("ring4", nodes, links)


@pytest.fixture(scope="module")
def fabric(emulation_environment):
    name, handle = bring_up(ring(), "r")
    try:
        yield handle
    finally:
        handle.driver.close()
        take_down(name)


def test_draining_core2_on_edge6g_moves_its_paths_to_the_direct_link(twin):
    cs = compile_intent(intent("node.drain", node="core2"), twin.state())
    routes = cs.intent["plan"]["routes"]
    topo = twin.network.topology
    hosts = [h.name for h in topo.hosts()]
    crossing = {(a, b) for a in hosts for b in hosts if a != b and "core2" in host_path(topo, a, b)}
    assert len(crossing) == 32            # the CU2 side's 8 hosts to and from cloud1 and core1_srv
    assert len(routes) == 16 and {frozenset((r[0], r[-1])) for r in routes} == {frozenset(p) for p in crossing}
    assert all("core2" not in route for route in routes)
    report = proven(twin, cs)
    avoids = [r for r in report.results if r.check["type"] == "path_avoids"]
    assert avoids and all("core2" not in r.measured and "cu2" in r.measured for r in avoids)
    (diff,) = [r for r in report.results if r.check.get("scope") == "preserved"]
    assert diff.measured["lost"] == []
    assert twin.changeset_flows() == 0          # validated on the twin, then taken back off


def test_draining_a_router_with_hosts_behind_it_is_refused_naming_them(twin):
    with pytest.raises(IntentRefused) as refused:
        compile_intent(intent("node.drain", node="core1"), twin.state())
    assert refused.value.reason == "disconnects"
    assert set(refused.value.elements) == {"cloud1", "core1_srv"}
    assert twin.changeset_flows() == 0


def test_a_drain_moves_every_path_off_the_node_and_breaks_nothing(fabric):
    cs = compile_intent({"status": "ok", "kind": "node.drain", "params": {"node": "s4"}}, fabric.state())
    assert [r[0] + r[-1] for r in cs.intent["plan"]["routes"]] == ["h1h3"]
    report = validate_intent(cs, fabric.target, fabric.prober)
    failed = [r.evidence for r in report.results if not r.passed]
    assert report.passed, report.error or report.policy_reasons or failed
    avoids = [r for r in report.results if r.check["type"] == "path_avoids"]
    assert avoids and all("s4" not in r.measured and "s2" in r.measured for r in avoids)
    (diff,) = [r for r in report.results if r.check.get("scope") == "preserved"]
    assert diff.measured["lost"] == []


def test_draining_a_switch_with_its_own_host_is_refused_naming_the_host(fabric):
    with pytest.raises(IntentRefused) as refused:
        compile_intent({"status": "ok", "kind": "node.drain", "params": {"node": "s2"}}, fabric.state())
    assert refused.value.elements == ("h2",)
