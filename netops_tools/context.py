"""What a tool runs against: one target network, its topology and its controller driver,
plus the services that apply tools need (ChangeSet store, prober, policy)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netops_tools.drivers.base import ControllerDriver
from netops_tools.errors import NetopsError
from netops_tools.policy.config import PolicyConfig
from netops_tools.state import NetworkState
from twin.model import Addressing, Topology
from twin.model.changeset import SliceReservation

if TYPE_CHECKING:
    from netops_tools.checks import Prober
    from netops_tools.push import Target
    from netops_tools.store import ChangeSetStore
    from netops_tools.transaction import QueueApplier


@dataclass
class ToolContext:
    target: str                                   # network name: "twin", "prod", ...
    topology: Topology
    driver: ControllerDriver
    slices: tuple[SliceReservation, ...] = ()     # admitted on this target (from the push ledger)
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    store: ChangeSetStore | None = None
    prober: Prober | None = None
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    peer: Callable[[str], ToolContext] | None = None    # another target's context (twin <- prod sync)
    queues: QueueApplier | None = None                  # applies a ChangeSet's HTB queues on this network
    network: Any = None                                 # the running emulation, for measured checks
    _addressing: Addressing | None = field(default=None, repr=False)

    @property
    def addressing(self) -> Addressing:
        if self._addressing is None:
            self._addressing = Addressing.of(self.topology)
        return self._addressing

    def dpid_of(self, switch: str) -> int:
        return self.addressing.dpids[switch]

    def state(self) -> NetworkState:
        return NetworkState.read(self.driver, topology=self.topology, slices=self.slices)

    def as_target(self) -> Target:
        from netops_tools.push import Target
        return Target(self.target, self.driver, self.topology, self.slices, queues=self.queues)

    def require_store(self) -> ChangeSetStore:
        if self.store is None:
            raise NetopsError("this tool needs a ChangeSet store, and none is configured")
        return self.store

    def require_prober(self) -> Prober:
        if self.prober is None:
            raise NetopsError(f"validating on {self.target} needs a prober, and none is configured")
        return self.prober
