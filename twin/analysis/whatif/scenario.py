"""A failure scenario and the forked model it produces (pybatfish's fork_snapshot)."""

from __future__ import annotations

from dataclasses import dataclass

from twin.analysis.graph import require_link, require_nodes
from twin.model import Topology


@dataclass(frozen=True)
class Scenario:
    failed_links: tuple[tuple[str, str], ...] = ()     # sorted ends
    failed_nodes: tuple[str, ...] = ()

    @classmethod
    def link(cls, a: str, b: str) -> Scenario:
        return cls(failed_links=((a, b) if a <= b else (b, a),))

    @classmethod
    def node(cls, name: str) -> Scenario:
        return cls(failed_nodes=(name,))

    def check(self, topo: Topology) -> None:
        """Raise UnknownElementError unless every failed element exists in `topo`."""
        for a, b in self.failed_links:
            require_link(topo, a, b)
        require_nodes(topo, self.failed_nodes)

    def fork(self, topo: Topology) -> Topology:
        """The model with the failed elements removed (hosts left dangling go too)."""
        self.check(topo)
        return topo.without(nodes=self.failed_nodes, links=self.failed_links)

    def hits_link(self, ends: tuple[str, str]) -> bool:
        return ends in self.failed_links or ends[0] in self.failed_nodes or ends[1] in self.failed_nodes

    def describe(self) -> str:
        parts = [f"link {a}-{b} down" for a, b in self.failed_links]
        parts += [f"node {n} down" for n in self.failed_nodes]
        return ", ".join(parts) or "no failure"

    def to_dict(self) -> dict:
        return {"failed_links": [f"{a}-{b}" for a, b in self.failed_links],
                "failed_nodes": list(self.failed_nodes)}
