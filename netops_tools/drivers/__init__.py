"""Controller drivers: the Protocol, the ofctl_rest-over-HTTP driver, and an in-memory fake."""

from netops_tools.drivers.base import ControllerDriver, InstalledFlow, PortCounters, flow_table_digest
from netops_tools.drivers.fake import FakeController
from netops_tools.drivers.http import OfctlRestDriver

__all__ = ["ControllerDriver", "FakeController", "InstalledFlow", "OfctlRestDriver", "PortCounters",
           "flow_table_digest"]
