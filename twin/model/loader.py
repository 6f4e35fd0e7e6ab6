"""One entry point for every topology format the project reads."""

from __future__ import annotations

import json
from pathlib import Path

from twin.model.errors import TopologyError
from twin.model.source import read_text
from twin.model.topology import Topology
from twin.model.yaml_loader import load_yaml, topology_from_document
from twin.model.zoo import load_gml, load_graphml

TOPOLOGY_DIR = Path(__file__).resolve().parents[2] / "topologies"


def load_topology(path: str | Path, hosts_per_switch: int | None = None) -> Topology:
    """Load YAML, GML or GraphML. Zoo graphs get one host per switch unless told otherwise.

    A bare name (`edge6g`) resolves to the project's topologies/ folder.
    """
    path = resolve_topology_path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        topo = load_yaml(path)
        return topo.with_hosts(hosts_per_switch) if hosts_per_switch else topo
    if suffix == ".json":
        try:
            doc = json.loads(read_text(path))
        except json.JSONDecodeError as exc:
            raise TopologyError(str(path), f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from None
        return topology_from_document(doc, str(path), default_name=path.stem)
    per_switch = 1 if hosts_per_switch is None else hosts_per_switch
    if suffix == ".gml":
        return load_gml(path, per_switch)
    if suffix == ".graphml":
        return load_graphml(path, per_switch)
    raise TopologyError(str(path), "file", f"unknown topology format {suffix!r}; "
                        "use .yaml, .json, .gml or .graphml")


def resolve_topology_path(path: str | Path) -> Path:
    candidate = Path(path)
    if candidate.exists() or candidate.suffix:
        return candidate
    for suffix in (".yaml", ".yml"):
        named = TOPOLOGY_DIR / f"{candidate.name}{suffix}"
        if named.exists():
            return named
    raise TopologyError(str(path), "file", f"not found (looked in the working directory and "
                        f"{TOPOLOGY_DIR})")
