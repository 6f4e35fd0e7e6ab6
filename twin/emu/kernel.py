"""Kernel limits that a large emulation outgrows, raised (never lowered) before bring-up.

The neighbour (ARP) table is one table for all namespaces: n hosts that all talk to each
other need about n*(n-1) entries, and past gc_thresh3 the kernel drops the packets that
would create new ones ("neighbor table overflow"): Cogentco's 197 hosts need 38,612.
"""

from __future__ import annotations

from pathlib import Path

NEIGH = Path("/proc/sys/net/ipv4/neigh/default")
RMEM_DEFAULT = Path("/proc/sys/net/core/rmem_default")
LARGE_NETWORK_SWITCHES = 32
DATAPATH_RCVBUF = 8 << 20


def ensure_neighbour_capacity(hosts: int) -> dict[str, int]:
    """Returns the thresholds it raised (empty when the current ones suffice)."""
    needed = hosts * max(hosts - 1, 1) + 1024
    wanted = {"gc_thresh2": needed, "gc_thresh3": 2 * needed}
    raised = {}
    for name, value in wanted.items():
        path = NEIGH / name
        try:
            current = int(path.read_text())
            if current < value:
                path.write_text(str(value))
                raised[name] = value
        except OSError:
            continue       # not writable here: the probe will then show the lost pairs
    return raised


def ensure_datapath_buffers(switches: int) -> int | None:
    """The userspace datapath reads every port through an AF_PACKET socket sized by
    rmem_default when the port is added; on large networks the default (208 KiB) overflows
    under an all-pairs probe and packets vanish. Raised (never lowered) before ports exist."""
    if switches <= LARGE_NETWORK_SWITCHES:
        return None
    try:
        if int(RMEM_DEFAULT.read_text()) < DATAPATH_RCVBUF:
            RMEM_DEFAULT.write_text(str(DATAPATH_RCVBUF))
            return DATAPATH_RCVBUF
    except OSError:
        pass
    return None
