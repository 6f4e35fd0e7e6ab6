"""Pure vocabulary of the twin: topologies and their loaders. Imports nothing of ours."""

from twin.model.addressing import Addressing, HostAddress
from twin.model.changeset import (
                                  CHANGESET_COOKIE_BYTE,
                                  CHECK_TYPES,
                                  CONTROLLER_COOKIE_BYTE,
                                  ChangeSet,
                                  ChangeSetError,
                                  FlowRule,
                                  Meter,
                                  QueueSetting,
                                  SliceReservation,
                                  canonical_match,
                                  cookie_of,
                                  role_of_cookie,
)
from twin.model.errors import ModelError, TopologyError
from twin.model.loader import load_topology, resolve_topology_path
from twin.model.topology import HOST_ROLES, ROLES, SWITCH_ROLES, Capacity, Link, Node, Role, Topology
from twin.model.yaml_loader import topology_from_document, topology_to_document

__all__ = ["Addressing", "CHANGESET_COOKIE_BYTE", "CHECK_TYPES", "CONTROLLER_COOKIE_BYTE", "Capacity", "ChangeSet",
           "ChangeSetError", "FlowRule", "HOST_ROLES", "HostAddress", "Link", "Meter", "ModelError", "Node",
           "QueueSetting", "ROLES", "Role", "SWITCH_ROLES", "SliceReservation", "Topology", "TopologyError",
           "canonical_match", "cookie_of", "load_topology", "resolve_topology_path", "role_of_cookie",
           "topology_from_document", "topology_to_document"]
