"""Pure vocabulary of the twin: topologies and their loaders. Imports nothing of ours."""

from twin.model.addressing import Addressing, HostAddress
from twin.model.errors import ModelError, TopologyError
from twin.model.loader import load_topology, resolve_topology_path
from twin.model.topology import HOST_ROLES, ROLES, SWITCH_ROLES, Capacity, Link, Node, Role, Topology
from twin.model.yaml_loader import topology_from_document, topology_to_document

__all__ = ["Addressing", "Capacity", "HOST_ROLES", "HostAddress", "Link", "ModelError", "Node",
           "ROLES", "Role", "SWITCH_ROLES", "Topology", "TopologyError", "load_topology",
           "resolve_topology_path", "topology_from_document", "topology_to_document"]
