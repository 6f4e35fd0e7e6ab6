"""Chain decomposition of a 2-edge-connected component.

Most nodes of real WAN graphs have degree 2 inside their component: they sit on chains
between branch nodes (degree >= 3). Shortest paths between branch nodes only see a chain
as one weighted edge, so distances are computed on the much smaller branch graph and a
chain node's distance to anything is "walk to one end of the chain, then the branch
distance". Failing any link of a chain removes that one branch edge.
"""

from __future__ import annotations

from dataclasses import dataclass

from twin.analysis.whatif.structure import SwitchGraph


@dataclass(frozen=True)
class Chain:
    nodes: tuple[int, ...]     # node ids from one branch end to the other (ends may coincide)
    edges: tuple[int, ...]     # edge ids along the chain, len(nodes) - 1
    pos: tuple[int, ...]       # path key from nodes[0] to each node

    @property
    def weight(self) -> int:
        return self.pos[-1]

    @property
    def interior(self) -> tuple[int, ...]:
        return self.nodes[1:-1]


@dataclass(frozen=True)
class Decomposition:
    branches: tuple[int, ...]  # node ids of branch nodes, sorted
    chains: tuple[Chain, ...]


def decompose(graph: SwitchGraph, members: list[int], is_bridge: tuple[bool, ...]) -> Decomposition:
    member_set = set(members)
    inner = {node: [(nbr, eid) for nbr, eid in graph.adj[node] if not is_bridge[eid] and nbr in member_set]
             for node in members}
    branches = [node for node in members if len(inner[node]) >= 3] or [members[0]]
    branch_set = set(branches)
    seen: set[int] = set()
    chains = []
    for start in branches:
        for first, eid in inner[start]:
            if eid in seen:
                continue
            chains.append(_walk(graph, inner, branch_set, seen, start, first, eid))
    return Decomposition(tuple(branches), tuple(chains))


def _walk(graph: SwitchGraph, inner: dict, branch_set: set[int], seen: set[int],
          start: int, node: int, eid: int) -> Chain:
    nodes, edges, pos = [start, node], [eid], [0, graph.keys[eid]]
    seen.add(eid)
    while node not in branch_set:
        nbr, nxt = next((nbr, e) for nbr, e in inner[node] if e != edges[-1])
        seen.add(nxt)
        nodes.append(nbr)
        edges.append(nxt)
        pos.append(pos[-1] + graph.keys[nxt])
        node = nbr
    return Chain(tuple(nodes), tuple(edges), tuple(pos))
