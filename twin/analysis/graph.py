"""The model as an indexed graph with exact integer path keys.

Latency is kept in integer nanoseconds so that equal-latency paths compare equal exactly
(float sums depend on the order of addition). A path's *key* packs (latency_ns, hops)
into one integer, latency first: comparing keys compares latency and then hop count,
which is the project's tie-break before names. Keys stay below 2**53 so that numpy and
scipy, which work in float64, add them without rounding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from twin.analysis.errors import ModelRangeError, UnknownElementError
from twin.model import Link, Topology

HOP_BITS = 16
HOP_UNIT = 1 << HOP_BITS          # key = latency_ns * HOP_UNIT + hops
EXACT_LIMIT = 1 << 53


def delay_ns(delay_ms: float) -> int:
    return round(delay_ms * 1_000_000)


def link_key(link: Link) -> int:
    return delay_ns(link.delay_ms) * HOP_UNIT + 1


def split_key(key: int) -> tuple[float, int]:
    """(latency_ms, hops) of a path key."""
    return (key >> HOP_BITS) / 1_000_000, key & (HOP_UNIT - 1)


@dataclass(frozen=True)
class Adjacency:
    """Neighbour lists of a topology, names sorted so every traversal is deterministic."""

    topo: Topology
    neighbours: dict[str, tuple[tuple[str, Link, int], ...]]   # (neighbour, link, link key)
    by_ends: dict[tuple[str, str], Link]
    switches: frozenset[str]

    @classmethod
    def of(cls, topo: Topology) -> Adjacency:
        lists: dict[str, list[tuple[str, Link, int]]] = {name: [] for name in topo.nodes}
        total = 0
        for link in topo.links:
            key = link_key(link)
            lists[link.a].append((link.b, link, key))
            lists[link.b].append((link.a, link, key))
            total += key
        if total >= EXACT_LIMIT:
            raise ModelRangeError(f"topology {topo.name!r}: link delays sum to more than "
                                  f"{EXACT_LIMIT // HOP_UNIT / 1e9:.0f} s; exact path keys need less")
        return cls(topo, {name: tuple(sorted(items, key=lambda item: item[0]))
                          for name, items in lists.items()},
                   {link.ends: link for link in topo.links},
                   frozenset(node.name for node in topo.switches()))

    def forwards(self, node: str) -> bool:
        """Hosts terminate traffic; only switches carry transit."""
        return node in self.switches


def require_nodes(topo: Topology, names: Iterable[str]) -> None:
    for name in names:
        if name not in topo.nodes:
            raise UnknownElementError(topo.name, f"node {name!r}")


def require_host(topo: Topology, name: str) -> None:
    require_nodes(topo, [name])
    if not topo.nodes[name].is_host:
        raise UnknownElementError(topo.name, f"node {name!r}", f"is a {topo.nodes[name].role}, not a host")


def require_link(topo: Topology, a: str, b: str) -> Link:
    require_nodes(topo, [a, b])
    ends = (a, b) if a <= b else (b, a)
    for link in topo.links:
        if link.ends == ends:
            return link
    raise UnknownElementError(topo.name, f"link {ends[0]}-{ends[1]}")


def path_links(nodes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The links of a node sequence as sorted end pairs."""
    return tuple((a, b) if a <= b else (b, a) for a, b in zip(nodes, nodes[1:], strict=False))
