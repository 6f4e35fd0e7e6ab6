"""Topology: typed nodes and links, the vocabulary every other layer speaks.

Switch-like roles (core, cu, du, ru, switch) become OpenFlow switches in the emulation;
host-like roles (host, edge, cloud) become hosts with one link to one switch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from twin.model.errors import TopologyError

Role = Literal["core", "cu", "du", "ru", "switch", "host", "edge", "cloud"]
SWITCH_ROLES: frozenset[str] = frozenset({"core", "cu", "du", "ru", "switch"})
HOST_ROLES: frozenset[str] = frozenset({"host", "edge", "cloud"})
ROLES: frozenset[str] = SWITCH_ROLES | HOST_ROLES

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_LABEL_CHARS = 256


@dataclass(frozen=True)
class Capacity:
    """Compute resources of a node that can run edge functions."""

    cpu: float = 0.0          # cores
    memory_mib: int = 0
    accelerator: str | None = None


@dataclass(frozen=True)
class Node:
    name: str
    role: Role
    capacity: Capacity = field(default_factory=Capacity)
    latitude: float | None = None
    longitude: float | None = None
    label: str | None = None

    @property
    def is_switch(self) -> bool:
        return self.role in SWITCH_ROLES

    @property
    def is_host(self) -> bool:
        return self.role in HOST_ROLES

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Link:
    a: str
    b: str
    bandwidth_mbps: float
    delay_ms: float

    @property
    def ends(self) -> tuple[str, str]:
        """The two ends in sorted order: the link's identity."""
        return (self.a, self.b) if self.a <= self.b else (self.b, self.a)

    @property
    def key(self) -> str:
        """`a-b` with a < b, as the intent contract writes links."""
        return "-".join(self.ends)

    def other(self, node: str) -> str:
        return self.b if node == self.a else self.a


@dataclass(frozen=True)
class Topology:
    """An immutable, validated network: build with `Topology.build`."""

    name: str
    nodes: dict[str, Node]
    links: tuple[Link, ...]
    source: str = "<memory>"

    @classmethod
    def build(cls, name: str, nodes: Iterable[Node], links: Iterable[Link],
              source: str = "<memory>") -> Topology:
        node_map: dict[str, Node] = {}
        for node in nodes:
            _check_node(source, node)
            if node.name in node_map:
                raise TopologyError(source, f"node {node.name!r}", "duplicate node name")
            node_map[node.name] = node
        link_list = list(links)
        seen: set[tuple[str, str]] = set()
        for index, link in enumerate(link_list):
            _check_link(source, index, link, node_map)
            if link.ends in seen:
                raise TopologyError(source, f"link {link.key}", "duplicate link between the same nodes")
            seen.add(link.ends)
        topo = cls(name=name, nodes=node_map, links=tuple(link_list), source=source)
        _check_hosts(topo)
        return topo

    # -- queries -------------------------------------------------------------------------
    def switches(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.is_switch]

    def hosts(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.is_host]

    def node(self, name: str) -> Node:
        try:
            return self.nodes[name]
        except KeyError:
            raise TopologyError(self.source, f"node {name!r}", "no such node in topology "
                                f"{self.name!r}") from None

    def links_of(self, name: str) -> list[Link]:
        return [link for link in self.links if name in (link.a, link.b)]

    def neighbors(self, name: str) -> list[str]:
        return [link.other(name) for link in self.links_of(name)]

    def link(self, a: str, b: str) -> Link:
        ends = (a, b) if a <= b else (b, a)
        for link in self.links:
            if link.ends == ends:
                return link
        raise TopologyError(self.source, f"link {'-'.join(ends)}", "no such link")

    def attachment(self, host: str) -> str:
        """The switch a host hangs off."""
        node = self.node(host)
        if not node.is_host:
            raise TopologyError(self.source, f"node {host!r}", f"is a {node.role}, not a host")
        return self.links_of(host)[0].other(host)

    def with_hosts(self, per_switch: int = 1) -> Topology:
        """A copy with `per_switch` plain hosts attached to every switch (h<switch>[_k])."""
        if per_switch <= 0:
            return self
        nodes = list(self.nodes.values())
        links = list(self.links)
        for sw in self.switches():
            for k in range(per_switch):
                stem = sw.name[1:] if re.fullmatch(r"n\d+", sw.name) else f"_{sw.name}"
                host = f"h{stem}" + (f"_{k + 1}" if per_switch > 1 else "")
                nodes.append(Node(name=host, role="host"))
                links.append(Link(host, sw.name, bandwidth_mbps=1000.0, delay_ms=0.0))
        return Topology.build(self.name, nodes, links, self.source)

    def with_compute_hosts(self) -> Topology:
        """A copy where every switch-role node with compute capacity (a CU or DU server) gets a
        co-located host `<node>_srv`: the namespace its edge functions run in."""
        nodes = list(self.nodes.values())
        links = list(self.links)
        for sw in self.switches():
            host = f"{sw.name}_srv"
            if sw.capacity.cpu > 0 and host not in self.nodes:
                nodes.append(Node(name=host, role="host", label=f"compute server of {sw.name}"))
                links.append(Link(host, sw.name, bandwidth_mbps=10000.0, delay_ms=0.0))
        return Topology.build(self.name, nodes, links, self.source)

    def without(self, nodes: Iterable[str] = (), links: Iterable[tuple[str, str]] = ()) -> Topology:
        """A fork with nodes and links removed (what-if). Hosts left dangling are removed too."""
        drop_nodes = set(nodes)
        drop_links = {tuple(sorted(link)) for link in links}
        kept_links = [link for link in self.links
                      if link.ends not in drop_links and link.a not in drop_nodes
                      and link.b not in drop_nodes]
        linked = {end for link in kept_links for end in link.ends}
        kept_nodes = [n for n in self.nodes.values() if n.name not in drop_nodes
                      and (n.is_switch or n.name in linked)]
        return replace(self, nodes={n.name: n for n in kept_nodes}, links=tuple(kept_links))


def _check_node(source: str, node: Node) -> None:
    element = f"node {str(node.name)[:40]!r}"
    if not isinstance(node.name, str) or not NAME_PATTERN.match(node.name):
        raise TopologyError(source, element, "name must be 1-32 characters of a-z, 0-9 and _, "
                            "starting with a letter")
    if node.role not in ROLES:
        raise TopologyError(source, element, f"unknown role {str(node.role)[:40]!r}; "
                            f"use one of {', '.join(sorted(ROLES))}")
    if node.label is not None and len(node.label) > MAX_LABEL_CHARS:
        raise TopologyError(source, element, f"label is {len(node.label)} characters long; "
                            f"the limit is {MAX_LABEL_CHARS}")
    cap = node.capacity
    if cap.cpu < 0 or cap.memory_mib < 0:
        raise TopologyError(source, element, "capacities must not be negative")
    for value, what, bound in ((node.latitude, "latitude", 90), (node.longitude, "longitude", 180)):
        if value is not None and not -bound <= value <= bound:
            raise TopologyError(source, element, f"{what} {value} is outside ±{bound}")


def _check_link(source: str, index: int, link: Link, nodes: dict[str, Node]) -> None:
    element = f"link #{index} ({str(link.a)[:40]}-{str(link.b)[:40]})"
    for end in (link.a, link.b):
        if end not in nodes:
            raise TopologyError(source, element, f"end {str(end)[:40]!r} is not a declared node")
    if link.a == link.b:
        raise TopologyError(source, element, "a link cannot connect a node to itself")
    if not link.bandwidth_mbps > 0:
        raise TopologyError(source, element, f"bandwidth_mbps must be > 0, got {link.bandwidth_mbps}")
    if not link.delay_ms >= 0:
        raise TopologyError(source, element, f"delay_ms must be >= 0, got {link.delay_ms}")


def _check_hosts(topo: Topology) -> None:
    for node in topo.hosts():
        links = topo.links_of(node.name)
        if len(links) != 1:
            raise TopologyError(topo.source, f"node {node.name!r}", f"a {node.role} needs exactly "
                                f"one link, it has {len(links)}")
        if not topo.nodes[links[0].other(node.name)].is_switch:
            raise TopologyError(topo.source, f"node {node.name!r}", "a host must attach to a switch")
