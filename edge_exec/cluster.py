"""The edge cluster: one node executor per compute node of a topology, driven from here.

Starts executors inside their nodes' namespaces, deploys functions, places each request
near its data source, chooses the runtime from measured profiles, and drains nodes.
State (executor pids, sockets and network addresses, deployed functions, profiles) lives in a
state folder so successive CLI commands share the same running executors.

Two ways to reach the executors: their unix sockets (the default: the operator's side, any
namespace) or, with `over_network=True`, their TCP addresses on the emulated network. The
latter is how a request issued inside a camera's or vehicle's namespace reaches the node it is
placed on: its payload, and every step's output handed back for the next step, then cross the
twin's links. Executors get an address when the cluster is built with `addresses`
(`twin_addresses(NAME)`).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from edge_exec.capacity import NodeCapacity
from edge_exec.client import ExecutorClient
from edge_exec.errors import Draining, EnvironmentMissing, ExecutorError, InvocationError, PlacementError
from edge_exec.functions import Function, FunctionRegistry
from edge_exec.launcher import EXECUTOR_PORT, ExecutorHandle, is_running, start_executor, stop_executor
from edge_exec.placement import NodeView, Placement, place
from edge_exec.profiles import ProfileBook

NetnsResolver = Callable[[str], "int | None"]
AddressResolver = Callable[[str], "str | None"]
Connector = Callable[[ExecutorHandle], ExecutorClient]


def compute_nodes(topology) -> list[str]:
    """Nodes that carry compute capacity (edge servers, CUs, DUs, core, cloud)."""
    return sorted(n.name for n in topology.nodes.values() if n.capacity.cpu > 0 and n.capacity.memory_mib > 0)


@dataclass(frozen=True)
class Result:
    output: bytes
    meta: dict          # executor measurements + placement (node, latency_ms to source, hops)


class _LazyViews(Mapping):
    """Node views fetched from an executor only when placement asks for that node."""

    def __init__(self, cluster: EdgeCluster) -> None:
        self._cluster, self._cache = cluster, {}

    def __getitem__(self, node: str) -> NodeView:
        if node not in self._cache:
            try:
                self._cache[node] = NodeView.from_load(self._cluster.client(node).load())
            except ExecutorError:          # a dead executor is passed over, not fatal to placement
                cap = self._cluster.topology.node(node).capacity
                self._cache[node] = NodeView(node, NodeCapacity(cap.cpu, cap.memory_mib, cap.accelerator),
                                             reachable=False)
        return self._cache[node]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._cluster.handles))

    def __len__(self) -> int:
        return len(self._cluster.handles)


class EdgeCluster:
    def __init__(self, topology, state_dir: Path, *, registry: FunctionRegistry | None = None,
                 netns: NetnsResolver = lambda node: None, addresses: AddressResolver = lambda node: None,
                 keep_alive_s: float = 30.0, over_network: bool = False,
                 connect: Connector | None = None) -> None:
        self.topology, self.state_dir = topology, Path(state_dir)
        self.registry = registry or FunctionRegistry()
        self.netns, self.addresses, self.keep_alive_s = netns, addresses, keep_alive_s
        self._connect = connect or (network_client if over_network else ExecutorHandle.client)
        self.handles: dict[str, ExecutorHandle] = {}
        self.profiles = ProfileBook()
        self.sources: dict[str, str] = {}      # function -> data source given at deploy (CLI default)
        self._clients: dict[str, ExecutorClient] = {}
        self._load_state()

    # -- state ----------------------------------------------------------------------------
    @property
    def state_file(self) -> Path:
        return self.state_dir / "cluster.json"

    def _load_state(self) -> None:
        if not self.state_file.exists():
            return
        data = json.loads(self.state_file.read_text())
        for row in data.get("executors", []):
            handle = ExecutorHandle(**row)
            if is_running(handle):
                self.handles[handle.node] = handle
        for spec in data.get("functions", []):
            self.registry.register(Function.from_dict(spec), replace=True)
        self.profiles = ProfileBook.from_dict(data.get("profiles", {}))
        self.sources = dict(data.get("sources", {}))

    def save(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        data = {"topology": self.topology.name, "executors": [h.to_dict() for h in self.handles.values()],
                "functions": [f.to_dict() for f in self.registry], "profiles": self.profiles.to_dict(),
                "sources": self.sources}
        partial = self.state_file.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
        partial.write_text(json.dumps(data, indent=1))
        os.replace(partial, self.state_file)

    # -- executors ------------------------------------------------------------------------
    def start(self, nodes: list[str] | None = None) -> list[ExecutorHandle]:
        for name in nodes or compute_nodes(self.topology):
            if name in self.handles:
                continue
            cap = self.topology.node(name).capacity
            self.handles[name] = start_executor(
                name, NodeCapacity(cap.cpu, cap.memory_mib, cap.accelerator), self.state_dir,
                netns_pid=self.netns(name), keep_alive_s=self.keep_alive_s,
                wasm_cache=self.state_dir / "wasm-cache", listen=self.addresses(name))
            for function in self.registry:
                if self._offers(name, function):
                    self.client(name).deploy(function)
        self.save()
        return list(self.handles.values())

    def _offers(self, node: str, function: Function) -> bool:
        """Whether the node has the accelerator the function needs (else it is not deployed there)."""
        offered = self.topology.node(node).capacity.accelerator
        return function.accelerator is None or offered == function.accelerator

    def stop(self, nodes: list[str] | None = None) -> None:
        for name in list(nodes or self.handles):
            handle = self.handles.pop(name, None)
            client = self._clients.pop(name, None)
            if client is not None:
                client.close()
            if handle is not None:
                stop_executor(handle)
        self.save()

    def client(self, node: str) -> ExecutorClient:
        if node not in self.handles:
            running = ", ".join(sorted(self.handles)) or "none"
            raise PlacementError(f"no executor runs on node {node!r} (running: {running})")
        if node not in self._clients:
            self._clients[node] = self._connect(self.handles[node])
        return self._clients[node]

    # -- functions and requests -----------------------------------------------------------
    def deploy(self, function: Function, near: str | None = None) -> Placement | None:
        """Register the function and ship it to every executor; with `near`, say where it would run."""
        self.registry.register(function, replace=True)
        for node in sorted(self.handles):
            if self._offers(node, function):
                self.client(node).deploy(function)
        if near:
            self.sources[function.name] = near
        self.save()
        return self.place(function.name, near) if near else None

    def place(self, name: str, source: str, exclude: frozenset[str] = frozenset(),
              runtime: str | None = None) -> Placement:
        function = self.registry.get(name)
        runtime = runtime or self.profiles.choose(function).runtime
        return place(function, source, self.topology, _LazyViews(self), exclude, runtime)

    def invoke(self, name: str, payload: bytes, source: str, runtime: str | None = None) -> Result:
        function = self.registry.get(name)
        chosen = runtime or self.profiles.choose(function).runtime
        refused: set[str] = set()
        while True:
            placement = self.place(name, source, frozenset(refused), chosen)
            try:
                output, meta = self.client(placement.node).invoke(name, payload, chosen)
            except Draining:
                refused.add(placement.node)      # drained since we looked: place again
                continue
            except ExecutorError:
                # the executor is gone: no answer was delivered, so running it elsewhere answers once
                refused.add(placement.node)
                continue
            except InvocationError:
                self.profiles.record(name, chosen, 0.0, 0.0, cold=False, ok=False)
                raise
            self.profiles.record(name, chosen, meta["latency_ms"], meta["peak_mib"], meta["cold"])
            meta.update(source=source, network_latency_ms=placement.latency_ms, hops=placement.hops,
                        payload_bytes=len(payload), output_bytes=len(output))
            return Result(output, meta)

    # -- draining and reports -------------------------------------------------------------
    def drain(self, node: str, wait_s: float = 30.0) -> int:
        """New requests go to other nodes; in-flight ones finish; returns instances removed."""
        return self.client(node).drain(wait_s)

    def undrain(self, node: str) -> None:
        self.client(node).undrain()

    def loads(self) -> dict[str, dict]:
        loads = {}
        for node in sorted(self.handles):
            try:
                loads[node] = self.client(node).load()
            except ExecutorError as exc:
                loads[node] = {"node": node, "error": str(exc)}
        return loads

    def stats(self) -> dict:
        return {"nodes": self.loads(), "profiles": self.profiles.summary()}


def network_client(handle: ExecutorHandle) -> ExecutorClient:
    if handle.address is None:
        raise PlacementError(f"the executor on node {handle.node!r} has no network address: start the "
                             "cluster with `addresses` (twin_addresses) to reach it over the network")
    return ExecutorClient.over_network(handle.address)


def _running_network(network):
    """A twin.emu Network, given one or the name of a running one."""
    from twin.emu import EmuError, Network

    if not isinstance(network, str):
        return network
    try:
        return Network.load(network)
    except EmuError as exc:
        raise EnvironmentMissing(f"emulated network {network!r} is not available: {exc}") from exc


def twin_addresses(network_name, port: int = EXECUTOR_PORT) -> AddressResolver:
    """Each compute node's executor address on a running emulated network (a name or a
    twin.emu Network): the node's own host address, or that of its co-located compute server
    (`<node>_srv`) for a CU or DU."""
    from twin.emu import EmuError

    network = _running_network(network_name)

    def resolve(node: str) -> str:
        for host in (node, f"{node}_srv"):
            try:
                return f"{network.ip(host)}:{port}"
            except EmuError:
                continue
        raise PlacementError(f"node {node!r} has no address in {network.name!r}")
    return resolve


def twin_netns(network_name: str) -> NetnsResolver:
    """Namespace pids of a running emulated network (`aaas twin up --name NAME`)."""
    from twin.emu import EmuError

    network = _running_network(network_name)

    def resolve(node: str) -> int | None:
        try:
            return network.node_pid(node)
        except EmuError as exc:
            raise PlacementError(f"node {node!r} has no namespace in {network_name!r}: {exc}") from exc
    return resolve
