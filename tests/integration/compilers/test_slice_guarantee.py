"""A slice's guarantee, measured on a twin of its own (the module's network is fresh).

Kept apart from the other intents: after a sequence of other changes on the same network the
guarantee has been seen to fail (the HTB tree on a port not holding), a defect followed up
in the issue notes; on a fresh twin it is the property under test.
"""

from __future__ import annotations

import pytest

from netops_tools.compilers import compile_intent
from tests.integration.compilers.test_intents_on_edge6g import intent, proven, result_of

pytestmark = pytest.mark.integration


def test_a_slice_keeps_its_guarantee_under_competing_traffic(twin):
    cs = compile_intent(intent("slice.create", name="cams", type="embb", endpoints=["veh1", "cam2"],
                               bandwidth_mbps=1, latency_ms=None), twin.state())
    report = proven(twin, cs)
    (floor,) = result_of(report, "throughput_min")
    slice_rate, competing = floor.measured[0]["delivered_mbps"], floor.measured[1]["delivered_mbps"]
    assert slice_rate >= 0.9 and competing <= floor.check["competing"]["max_mbps"]
    assert any("modelled" in n for n in report.notes)           # no netem here: latency is modelled
    assert all("modelled latency" in r.evidence for r in result_of(report, "path_via"))
