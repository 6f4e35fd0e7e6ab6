"""Plain-text renderings shared by commands: topology summaries and reachability matrices."""

from __future__ import annotations

from twin.model import Topology


def topology_text(topo: Topology) -> str:
    lines = [f"topology {topo.name}: {len(topo.switches())} switches, {len(topo.hosts())} hosts, "
             f"{len(topo.links)} links"]
    for node in topo.switches():
        attached = []
        for link in topo.links_of(node.name):
            other = link.other(node.name)
            attached.append(f"{other}({link.bandwidth_mbps:g}M/{link.delay_ms:g}ms)")
        cap = node.capacity
        accelerator = f", {cap.accelerator}" if cap.accelerator else ""
        extra = f" [cpu {cap.cpu:g}, {cap.memory_mib} MiB{accelerator}]" if cap.cpu else ""
        lines.append(f"  {node.role:6} {node.name:8}{extra} -> {', '.join(attached)}")
    return "\n".join(lines)


def matrix_text(hosts: list[str], reachable: dict[tuple[str, str], bool]) -> str:
    """A src x dst grid with numbered columns: '.' reachable, 'X' unreachable."""
    width = max(len(h) for h in hosts) + 4
    rows = [" " * width + "".join(f"{i:>3}" for i in range(1, len(hosts) + 1))]
    for number, src in enumerate(hosts, start=1):
        cells = []
        for dst in hosts:
            ok = reachable.get((src, dst))
            cells.append("   " if src == dst else "  ?" if ok is None else "  ." if ok else "  X")
        rows.append(f"{number:>3} {src}".ljust(width) + "".join(cells))
    return "\n".join(rows)
