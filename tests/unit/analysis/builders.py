"""Small hand-built topologies for the analysis tests."""

from __future__ import annotations

import random

from twin.model import Link, Node, Topology


def build(name: str, switch_links: list[tuple[str, str, float]], hosts: dict[str, str] | None = None,
          bandwidth: float = 1000.0, access_delay: float = 0.0) -> Topology:
    """Switches from the links' ends; `hosts` maps host -> switch (default: h<switch> on each)."""
    switches = sorted({end for a, b, _ in switch_links for end in (a, b)})
    hosts = hosts if hosts is not None else {f"h{s}": s for s in switches}
    nodes = [Node(s, "switch") for s in switches] + [Node(h, "host") for h in hosts]
    links = [Link(a, b, bandwidth, delay) for a, b, delay in switch_links]
    links += [Link(h, s, bandwidth, access_delay) for h, s in hosts.items()]
    return Topology.build(name, nodes, links)


def ring(n: int, delay: float = 1.0) -> Topology:
    """s0 - s1 - ... - s(n-1) - s0, one host h<switch> per switch."""
    return build(f"ring{n}", [(f"s{i}", f"s{(i + 1) % n}", delay) for i in range(n)])


def line(n: int, delay: float = 1.0) -> Topology:
    return build(f"line{n}", [(f"s{i}", f"s{i + 1}", delay) for i in range(n - 1)])


def random_topology(seed: int, switches: int = 14, extra_links: int = 6) -> Topology:
    """A random connected-ish graph with few distinct delays (many ties), uneven hosts,
    access delays and sometimes a second component."""
    rng = random.Random(seed)
    names = [f"s{i}" for i in range(switches)]
    pairs: dict[tuple[str, str], float] = {}
    split = switches - 3 if seed % 3 == 0 else switches     # every third graph has two components
    for i in range(1, switches):
        j = rng.randrange(split, i) if i > split else rng.randrange(0, min(i, split))
        pairs[tuple(sorted((names[i], names[j])))] = rng.choice([0.1, 0.2, 0.3])
    for _ in range(extra_links):
        a, b = rng.sample(names[:split], 2)
        pairs.setdefault(tuple(sorted((a, b))), rng.choice([0.1, 0.2, 0.3]))
    links = [Link(a, b, 1000.0, delay) for (a, b), delay in sorted(pairs.items())]
    nodes = [Node(s, "switch") for s in names]
    for s in names:
        for k in range(rng.choice([0, 1, 1, 2])):
            host = f"h{s[1:]}_{k}"
            nodes.append(Node(host, "host"))
            links.append(Link(host, s, 1000.0, rng.choice([0.0, 0.05])))
    return Topology.build(f"random{seed}", nodes, links)
