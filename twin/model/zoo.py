"""Internet Topology Zoo graphs (GML and GraphML) as emulatable topologies.

Each graph node becomes a switch named n<id>; hosts are attached on request. Link
bandwidth comes from LinkSpeedRaw (bit/s) where present, DEFAULT_BANDWIDTH_MBPS otherwise;
link delay is the great-circle distance between the ends' coordinates at 2e5 km/s (light
in fibre), DEFAULT_DELAY_MS when either end lacks coordinates. Parallel edges are merged
(bandwidths added: they are parallel circuits) and self-loops dropped (nothing to emulate).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from twin.model.errors import TopologyError
from twin.model.gml import parse_gml
from twin.model.source import as_number, read_text
from twin.model.topology import MAX_LABEL_CHARS, Link, Node, Topology

DEFAULT_BANDWIDTH_MBPS = 1000.0
DEFAULT_DELAY_MS = 1.0
FIBRE_KM_PER_S = 2e5
EARTH_RADIUS_KM = 6371.0
MAX_NODES = 5000


@dataclass
class RawGraph:
    nodes: dict[str, dict]          # id -> attributes
    edges: list[tuple[str, str, dict]]


def load_gml(path: Path, hosts_per_switch: int = 0) -> Topology:
    source = str(path)
    pairs = parse_gml(read_text(path), source)
    graphs = [value for key, value in pairs if key == "graph"]
    if len(graphs) != 1 or not isinstance(graphs[0], list):
        raise TopologyError(source, "document", "must hold exactly one 'graph [ ... ]'")
    raw = RawGraph(nodes={}, edges=[])
    for key, value in graphs[0]:
        if key == "node":
            _add_node(raw, source, _attrs(source, "node", value))
        elif key == "edge":
            attrs = _attrs(source, "edge", value)
            raw.edges.append((_ref(source, attrs, "source"), _ref(source, attrs, "target"), attrs))
    return build_zoo_topology(raw, source, path.stem, hosts_per_switch)


def load_graphml(path: Path, hosts_per_switch: int = 0) -> Topology:
    source = str(path)
    try:
        root = ET.fromstring(read_text(path))
    except ET.ParseError as exc:
        raise TopologyError(source, f"line {exc.position[0]}", f"not well-formed XML ({exc})") from None
    ns = root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""
    keys = {k.get("id"): k.get("attr.name") or k.get("id") for k in root.iter(f"{ns}key")}
    graph = root.find(f"{ns}graph")
    if graph is None:
        raise TopologyError(source, "document", "has no <graph> element")
    raw = RawGraph(nodes={}, edges=[])

    def data(element: ET.Element) -> dict:
        return {keys.get(d.get("key"), d.get("key")): d.text for d in element.findall(f"{ns}data")}

    for element in graph.findall(f"{ns}node"):
        attrs = data(element)
        attrs["id"] = element.get("id")
        _add_node(raw, source, attrs)
    for element in graph.findall(f"{ns}edge"):
        a, b = element.get("source"), element.get("target")
        if a is None or b is None:
            raise TopologyError(source, "edge", "needs both source and target")
        raw.edges.append((a, b, data(element)))
    return build_zoo_topology(raw, source, path.stem, hosts_per_switch)


def build_zoo_topology(raw: RawGraph, source: str, name: str, hosts_per_switch: int) -> Topology:
    if not raw.nodes:
        raise TopologyError(source, "graph", "has no nodes")
    nodes = {node_id: _node(source, node_id, attrs) for node_id, attrs in raw.nodes.items()}
    merged: dict[tuple[str, str], Link] = {}
    for index, (a, b, attrs) in enumerate(raw.edges):
        element = f"edge #{index} ({a[:40]}->{b[:40]})"
        for end in (a, b):
            if end not in nodes:
                raise TopologyError(source, element, f"refers to node {end[:40]!r}, which is not declared")
        if a == b:
            continue
        link = _link(source, element, nodes[a], nodes[b], attrs)
        previous = merged.get(link.ends)
        if previous is not None:
            link = Link(previous.a, previous.b, previous.bandwidth_mbps + link.bandwidth_mbps,
                        previous.delay_ms)
        merged[link.ends] = link
    topo = Topology.build(name.lower(), nodes.values(), merged.values(), source)
    return topo.with_hosts(hosts_per_switch)


def _attrs(source: str, what: str, value: object) -> dict:
    if not isinstance(value, list):
        raise TopologyError(source, what, "must be a list [ ... ]")
    return dict(value)


def _ref(source: str, attrs: dict, key: str) -> str:
    value = attrs.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TopologyError(source, "edge", f"{key} must be a node id, got {value!r:.40}")
    return str(value)


def _add_node(raw: RawGraph, source: str, attrs: dict) -> None:
    node_id = attrs.get("id")
    if isinstance(node_id, bool) or not isinstance(node_id, (int, str)) or str(node_id) == "":
        raise TopologyError(source, "node", f"needs an integer or string id, got {node_id!r:.40}")
    node_id = str(node_id)
    if node_id in raw.nodes:
        raise TopologyError(source, f"node id {node_id[:40]!r}", "duplicate node id")
    if len(raw.nodes) >= MAX_NODES:
        raise TopologyError(source, "graph", f"has more than {MAX_NODES} nodes")
    raw.nodes[node_id] = attrs


def _node(source: str, node_id: str, attrs: dict) -> Node:
    element = f"node id {node_id[:40]!r}"
    label = attrs.get("label")
    if label is not None and not isinstance(label, str):
        label = str(label)
    if label is not None and len(label) > MAX_LABEL_CHARS:
        raise TopologyError(source, element, f"label is {len(label)} characters long; "
                            f"the limit is {MAX_LABEL_CHARS}")
    safe_id = "".join(c if c.isalnum() else "_" for c in node_id.lower())[:30]
    lat = as_number(source, element, "Latitude", attrs.get("Latitude"))
    lon = as_number(source, element, "Longitude", attrs.get("Longitude"))
    return Node(name=f"n{safe_id}", role="switch", latitude=lat, longitude=lon, label=label)


def _link(source: str, element: str, a: Node, b: Node, attrs: dict) -> Link:
    speed = as_number(source, element, "LinkSpeedRaw", attrs.get("LinkSpeedRaw"))
    bandwidth = speed / 1e6 if speed and speed > 0 else DEFAULT_BANDWIDTH_MBPS
    if a.has_coordinates and b.has_coordinates:
        delay = great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude) / FIBRE_KM_PER_S * 1000
    else:
        delay = DEFAULT_DELAY_MS
    return Link(a.name, b.name, bandwidth_mbps=bandwidth, delay_ms=round(delay, 4))


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
