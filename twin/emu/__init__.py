"""Adapter: Mininet on Open vSwitch (userspace datapath), probes inside host namespaces.

    net = up(load_topology("edge6g"), "twin")     # returns when every switch is programmed
    net.reachability().reachable_pairs
    down("twin")
"""

from twin.emu.errors import (
                             BringUpFailed,
                             EmuError,
                             EnvironmentMissing,
                             NetworkBusy,
                             NetworkNotFound,
                             ProbeFailed,
)
from twin.emu.network import Network, clean, down, up
from twin.emu.probe import ReachabilityMatrix, ThroughputResult

__all__ = ["BringUpFailed", "EmuError", "EnvironmentMissing", "Network", "NetworkBusy", "NetworkNotFound",
           "ProbeFailed", "ReachabilityMatrix", "ThroughputResult", "clean", "down", "up"]
