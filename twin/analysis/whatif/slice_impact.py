"""Which admitted slices survive a failure with their guarantee and latency bound.

Slices whose paths avoid the failed elements keep them. The others are re-admitted on
the forked model, in name order, each against the load of every slice still standing
(the untouched ones and those already re-admitted): the same admission control that
placed them, so "keeps its guarantee" means the controller could re-place it.
"""

from __future__ import annotations

from twin.analysis.constrained import constrained_path
from twin.analysis.graph import path_links
from twin.analysis.latency import LatencyModel, path_latency
from twin.analysis.slices import AdmittedSlice, link_loads
from twin.analysis.whatif.answers import SliceImpact, SliceStatus
from twin.analysis.whatif.scenario import Scenario
from twin.model import Topology


def slice_impacts(topo: Topology, fork: Topology, scenario: Scenario, slices: tuple[AdmittedSlice, ...],
                  model: LatencyModel) -> tuple[SliceImpact, ...]:
    hit = sorted((s for s in slices if _crosses(s, scenario)), key=lambda s: s.name)
    standing = [s for s in slices if not _crosses(s, scenario)]
    loads = link_loads(slices)
    impacts = []
    for admitted in hit:
        before = max((path_latency(topo, path, loads, model).total_ms for path in admitted.paths),
                     default=0.0)
        answers = tuple(constrained_path(fork, path[0], path[-1], admitted.rate_mbps, admitted.latency_ms,
                                         standing, model)
                        if path[0] in fork.nodes and path[-1] in fork.nodes else None
                        for path in admitted.paths)
        status = _status(answers)
        impacts.append(SliceImpact(admitted.name, status, before,
                                   tuple(a for a in answers if a is not None)))
        if status == "rerouted":
            standing.append(AdmittedSlice(admitted.name, admitted.rate_mbps,
                                          tuple(a.route.nodes for a in answers), admitted.latency_ms))
    return tuple(impacts)


def _crosses(admitted: AdmittedSlice, scenario: Scenario) -> bool:
    return any(scenario.hits_link(link) for path in admitted.paths for link in path_links(path))


def _status(answers: tuple) -> SliceStatus:
    reasons = {a.refusal.reason for a in answers if a is not None and a.refusal is not None}
    if None in answers or "unreachable" in reasons:
        return "disconnected"
    if "latency" in reasons:
        return "lost_bound"
    if reasons:
        return "lost_guarantee"
    return "rerouted"
