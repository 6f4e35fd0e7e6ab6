"""One failure, answered exactly on the model: every host pair whose path crossed it.

A pair is touched only if its path (the routing's choice, ties broken as in paths.py)
crossed a failed element; the others keep their path, because removing elements only
removes candidates and the old path stays the best one. So each host's shortest-path
tree is searched once on the base model, and again on the fork only when some of its
paths are cut.
"""

from __future__ import annotations

from collections.abc import Iterable

from twin.analysis.graph import Adjacency
from twin.analysis.latency import LatencyModel
from twin.analysis.paths import PathTree, route_of, search
from twin.analysis.slices import AdmittedSlice
from twin.analysis.whatif.answers import PairImpact, WhatIfAnswer
from twin.analysis.whatif.scenario import Scenario
from twin.analysis.whatif.slice_impact import slice_impacts
from twin.model import Topology


def link_down(topo: Topology, a: str, b: str, slices: Iterable[AdmittedSlice] = (),
              model: LatencyModel = LatencyModel()) -> WhatIfAnswer:
    return what_if(topo, Scenario.link(a, b), slices, model)


def node_down(topo: Topology, node: str, slices: Iterable[AdmittedSlice] = (),
              model: LatencyModel = LatencyModel()) -> WhatIfAnswer:
    return what_if(topo, Scenario.node(node), slices, model)


def what_if(topo: Topology, scenario: Scenario, slices: Iterable[AdmittedSlice] = (),
            model: LatencyModel = LatencyModel()) -> WhatIfAnswer:
    fork = scenario.fork(topo)
    before, after = Adjacency.of(topo), Adjacency.of(fork)
    hosts = sorted(node.name for node in topo.hosts())
    reachable = 0
    impacts: list[PairImpact] = []
    for index, src in enumerate(hosts):
        tree = search(before, src)
        later = [dst for dst in hosts[index + 1:] if tree.reaches(dst)]
        reachable += len(later)
        cut_off = _cut_nodes(tree, scenario) if later else set()
        cut = [dst for dst in later if dst in cut_off]
        if not cut:
            continue
        repaired = search(after, src) if src in fork.nodes else None
        for dst in cut:
            after_route = route_of(after, repaired.path(dst)) \
                if repaired is not None and repaired.reaches(dst) else None
            impacts.append(PairImpact(src, dst, route_of(before, tree.path(dst)), after_route))
    return WhatIfAnswer(topo.name, scenario, reachable,
                        lost=tuple(p for p in impacts if p.lost),
                        rerouted=tuple(p for p in impacts if not p.lost),
                        slices=slice_impacts(topo, fork, scenario, tuple(slices), model))


def _cut_nodes(tree: PathTree, scenario: Scenario) -> set[str]:
    """Nodes whose tree path crosses a failed link or node: the subtrees below them."""
    roots = [node for node in scenario.failed_nodes if node in tree.key]
    for a, b in scenario.failed_links:
        if tree.parent.get(b) == a and b in tree.key:
            roots.append(b)
        elif tree.parent.get(a) == b and a in tree.key:
            roots.append(a)
    if not roots:
        return set()
    children: dict[str, list[str]] = {}
    for node, parent in tree.parent.items():
        if node in tree.key:
            children.setdefault(parent, []).append(node)
    cut: set[str] = set()
    while roots:
        node = roots.pop()
        if node not in cut:
            cut.add(node)
            roots.extend(children.get(node, ()))
    return cut
