"""The project's own topology format (schema in topologies/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from twin.model.errors import TopologyError
from twin.model.source import as_number, read_text
from twin.model.topology import Capacity, Link, Node, Topology

NODE_KEYS = {"name", "role", "cpu", "memory_mib", "accelerator", "latitude", "longitude", "label"}
LINK_KEYS = {"a", "b", "bandwidth_mbps", "delay_ms"}
TOP_KEYS = {"name", "description", "defaults", "nodes", "links"}
DEFAULT_BANDWIDTH_MBPS = 1000.0
DEFAULT_DELAY_MS = 0.1


def load_yaml(path: Path) -> Topology:
    source = str(path)
    try:
        doc = yaml.safe_load(read_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "document"
        raise TopologyError(source, where, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    return topology_from_document(doc, source, default_name=path.stem)


def topology_from_document(doc: Any, source: str, default_name: str = "topology") -> Topology:
    if not isinstance(doc, dict):
        raise TopologyError(source, "document", "must be a mapping with 'nodes' and 'links'")
    _no_unknown(source, "document", doc, TOP_KEYS)
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise TopologyError(source, "defaults", "must be a mapping")
    bw_default = as_number(source, "defaults", "bandwidth_mbps", defaults.get("bandwidth_mbps"),
                           default=DEFAULT_BANDWIDTH_MBPS)
    delay_default = as_number(source, "defaults", "delay_ms", defaults.get("delay_ms"),
                              default=DEFAULT_DELAY_MS)
    nodes = [_node(source, i, raw) for i, raw in enumerate(_list(source, doc, "nodes"))]
    links = [_link(source, i, raw, bw_default, delay_default)
             for i, raw in enumerate(_list(source, doc, "links"))]
    name = doc.get("name", default_name)
    if not isinstance(name, str) or not name:
        raise TopologyError(source, "name", "must be a non-empty string")
    return Topology.build(name, nodes, links, source)


def _list(source: str, doc: dict, key: str) -> list:
    value = doc.get(key)
    if not isinstance(value, list) or not value:
        raise TopologyError(source, key, "must be a non-empty list")
    return value


def _no_unknown(source: str, element: str, raw: dict, allowed: set[str]) -> None:
    unknown = sorted(str(k)[:40] for k in raw if k not in allowed)
    if unknown:
        raise TopologyError(source, element, f"unknown field(s) {', '.join(unknown)}; "
                            f"allowed: {', '.join(sorted(allowed))}")


def _string(source: str, element: str, raw: dict, key: str, required: bool = True) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise TopologyError(source, element, f"{key} must be a string, got {type(value).__name__}")
    return value


def _node(source: str, index: int, raw: Any) -> Node:
    element = f"nodes[{index}]"
    if not isinstance(raw, dict):
        raise TopologyError(source, element, "must be a mapping")
    _no_unknown(source, element, raw, NODE_KEYS)
    name = _string(source, element, raw, "name")
    element = f"node {name[:40]!r}"
    role = _string(source, element, raw, "role")
    capacity = Capacity(
        cpu=as_number(source, element, "cpu", raw.get("cpu"), default=0.0),
        memory_mib=int(as_number(source, element, "memory_mib", raw.get("memory_mib"), default=0)),
        accelerator=_string(source, element, raw, "accelerator", required=False),
    )
    return Node(name=name, role=role, capacity=capacity,
                latitude=as_number(source, element, "latitude", raw.get("latitude")),
                longitude=as_number(source, element, "longitude", raw.get("longitude")),
                label=_string(source, element, raw, "label", required=False))


def _link(source: str, index: int, raw: Any, bw_default: float, delay_default: float) -> Link:
    element = f"links[{index}]"
    if not isinstance(raw, dict):
        raise TopologyError(source, element, "must be a mapping")
    _no_unknown(source, element, raw, LINK_KEYS)
    a = _string(source, element, raw, "a")
    b = _string(source, element, raw, "b")
    element = f"link #{index} ({a[:40]}-{b[:40]})"
    return Link(a=a, b=b,
                bandwidth_mbps=as_number(source, element, "bandwidth_mbps", raw.get("bandwidth_mbps"),
                                         default=bw_default),
                delay_ms=as_number(source, element, "delay_ms", raw.get("delay_ms"),
                                   default=delay_default))


def topology_to_document(topo: Topology) -> dict:
    """The inverse of topology_from_document: what the emulator hands to the controller."""
    nodes = []
    for node in topo.nodes.values():
        raw: dict[str, Any] = {"name": node.name, "role": node.role}
        cap = node.capacity
        if cap.cpu:
            raw["cpu"] = cap.cpu
        if cap.memory_mib:
            raw["memory_mib"] = cap.memory_mib
        if cap.accelerator:
            raw["accelerator"] = cap.accelerator
        if node.has_coordinates:
            raw["latitude"], raw["longitude"] = node.latitude, node.longitude
        if node.label:
            raw["label"] = node.label
        nodes.append(raw)
    links = [{"a": link.a, "b": link.b, "bandwidth_mbps": link.bandwidth_mbps,
              "delay_ms": link.delay_ms} for link in topo.links]
    return {"name": topo.name, "nodes": nodes, "links": links}
