"""What-if in the emulation: fail a link or node on a running twin, let the controller
repair, measure what is lost and how long the repair took, then restore and wait for the
network to be whole again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from twin.analysis.whatif import EmulatedOutcome
from twin.emu.errors import ProbeFailed
from twin.emu.network import Network


def emulate_link_down(net: Network, a: str, b: str, timeout: float = 20.0) -> EmulatedOutcome:
    with _failed(net, [(a, b)]):
        return _measure_repair(net, timeout, f"link {a}-{b} down on {net.name}")


def emulate_node_down(net: Network, node: str, timeout: float = 20.0) -> EmulatedOutcome:
    links = [link.ends for link in net.topology.links_of(node)]
    with _failed(net, links):
        return _measure_repair(net, timeout, f"all {len(links)} links of {node} down on {net.name}")


@contextmanager
def _failed(net: Network, links: list[tuple[str, str]]) -> Iterator[None]:
    before = net.reachability()
    if before.unreachable():
        raise ProbeFailed(f"{net.name} is not whole before the what-if: {len(before.unreachable())} pairs "
                          "already unreachable; restore it first")
    for a, b in links:
        net.set_link(a, b, up=False)
    try:
        yield
    finally:
        for a, b in links:
            net.set_link(a, b, up=True)
        _wait_whole(net, 30.0)


def _measure_repair(net: Network, timeout: float, notes: str) -> EmulatedOutcome:
    """Probe until two probes in a row agree (the controller has finished re-routing)."""
    started = time.monotonic()
    probes, previous = 0, None
    while True:
        matrix = net.reachability(attempts=2)
        probes += 1
        lost = tuple(matrix.unreachable())
        if lost == previous or time.monotonic() - started > timeout:
            settled = time.monotonic() - started
            return EmulatedOutcome(lost_pairs=lost, repair_seconds=round(settled, 3), probes=probes,
                                   notes=notes + ("" if lost == previous else "; did not settle"))
        previous = lost


def _wait_whole(net: Network, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not net.reachability(attempts=2).unreachable():
            return
    raise ProbeFailed(f"{net.name} did not become whole again within {timeout:.0f} s after the what-if")
