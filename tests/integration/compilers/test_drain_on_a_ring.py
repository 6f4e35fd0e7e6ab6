"""node.drain applied and proven. Every switch of edge6g is a cut vertex for some host (each
RU, DU and CU has hosts behind it with no second way out), so on edge6g a drain is always
refused, naming the hosts (test_intents_on_edge6g). The positive case needs redundancy:
a ring of four switches whose cheapest route between h1 and h3 crosses s4, a switch with
no host of its own. (fattree4 works too, but its 504-flow drain spends ~60 s in the policy
check, which rehashes the ChangeSet per installed flow: see the report.)"""

from __future__ import annotations

import pytest

from netops_tools.compilers import IntentRefused, compile_intent
from netops_tools.compilers.verify import validate_intent
from tests.integration.compilers.conftest import bring_up, take_down
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
