"""Build a Topology on Mininet with OVS's userspace datapath, handling the platform's traps:
no kernel datapath, controller liveness checks that choke on OpenFlow, TCP carrying nothing
until tx offload is off, and interface names that must be unique machine-wide."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mininet.link import Link as MnLink
from mininet.link import TCLink
from mininet.net import Mininet
from mininet.node import OVSSwitch, RemoteController

from twin.emu.qos import shaping_leaf
from twin.model import Addressing, Topology

# Importing mininet makes its singleton logger class the default for every logger created
# afterwards, so all of them would share one name and level: undo that side effect.
logging.setLoggerClass(logging.Logger)

# Links this fast or faster run unshaped: the netdev datapath tops out near 1 Gbit/s anyway.
MAX_SHAPED_MBPS = 1000


class UserspaceSwitch(OVSSwitch):
    """OVS on the netdev datapath. Passed as a class (not a partial) to keep batch startup."""

    def __init__(self, name: str, **params) -> None:
        params.setdefault("datapath", "user")
        params.setdefault("protocols", "OpenFlow13")
        params.setdefault("failMode", "secure")
        super().__init__(name, **params)


class ProjectController(RemoteController):
    """A controller we started ourselves: Mininet's telnet liveness check is skipped
    (it can die decoding the binary OpenFlow HELLO)."""

    def checkListening(self) -> None:  # noqa: N802 - Mininet's naming
        return None


@dataclass
class EmulatedNames:
    prefix: str

    def switch(self, dpid: int) -> str:
        return f"{self.prefix}s{dpid}"

    def host(self, index: int) -> str:
        return f"{self.prefix}h{index}"


def build_network(topo: Topology, prefix: str, ofp_port: int, shape_links: bool = True,
                  emulate_delay: bool = False) -> tuple[Mininet, dict[str, str]]:
    """Create (not start) the Mininet network; returns it and the model -> emulated name map."""
    addressing = Addressing.of(topo)
    names = EmulatedNames(prefix)
    net = Mininet(switch=UserspaceSwitch, controller=None, link=MnLink, build=False,
                  autoSetMacs=False, autoStaticArp=False, waitConnected=False, inNamespace=False)
    net.addController(f"{prefix}c0", controller=ProjectController, ip="127.0.0.1", port=ofp_port)
    emulated: dict[str, str] = {}
    for switch, dpid in addressing.dpids.items():
        emulated[switch] = names.switch(dpid)
        # batch: one ovs-vsctl transaction for every switch (Mininet sets it only for Topo builds)
        net.addSwitch(emulated[switch], dpid=f"{dpid:016x}", batch=True)
    for index, host in enumerate(addressing.hosts.values(), start=1):
        emulated[host.name] = names.host(index)
        net.addHost(emulated[host.name], ip=f"{host.ip}/8", mac=host.mac, defaultRoute=None)
    for link in topo.links:
        params: dict = {}
        if shape_links and link.bandwidth_mbps < MAX_SHAPED_MBPS:
            params = {"cls": TCLink, "bw": link.bandwidth_mbps}
        if emulate_delay and link.delay_ms > 0:    # only where the kernel has netem (capabilities)
            params.update({"cls": TCLink, "delay": f"{link.delay_ms / 2:g}ms"})   # each direction
        net.addLink(emulated[link.a], emulated[link.b],
                    port1=addressing.ports.get((link.a, link.b)),
                    port2=addressing.ports.get((link.b, link.a)), **params)
    net.build()
    return net, emulated


def prepare_hosts(net: Mininet, topo: Topology, emulated: dict[str, str], scratch: Path) -> None:
    """Per host, in one shell round trip: tx offload off (else TCP/UDP carry 0 bytes on the
    netdev datapath), IPv6 off (router solicitations are noise), and permanent neighbour
    entries for every other host: no ARP on the wire, so a first packet costs one datapath
    upcall per hop instead of three, which is what makes all-pairs probes of large graphs fit."""
    addressing = Addressing.of(topo)
    by_emulated = {v: k for k, v in emulated.items()}
    scratch.mkdir(parents=True, exist_ok=True)
    for host in net.hosts:
        intf = host.defaultIntf().name
        me = by_emulated[host.name]
        batch = scratch / f"{host.name}.neigh"
        batch.write_text("".join(f"neigh replace {a.ip} lladdr {a.mac} dev {intf} nud permanent\n"
                                 for name, a in addressing.hosts.items() if name != me))
        host.cmd(f"ethtool -K {intf} tx off >/dev/null 2>&1; sysctl -qw net.ipv6.conf.all.disable_ipv6=1; "
                 f"ip -batch {batch}")
        batch.unlink()
    scratch.rmdir()


def give_shaped_ports_head_drop(net: Mininet) -> None:
    """Call after start: OVSSwitch.start re-applies Mininet's tc config (TCReapply), which would
    wipe the leaves. With netem on the link, netem is the leaf and stays."""
    for link in net.links:
        for intf in (link.intf1, link.intf2):
            params = getattr(intf, "params", {})
            if isinstance(intf.node, OVSSwitch) and params.get("bw") and not params.get("delay"):
                shaping_leaf(intf.name, float(params["bw"]))


def switch_interfaces(net: Mininet, emulated: dict[str, str], topo: Topology) -> dict[str, list[str]]:
    """For each model link, the root-namespace interface names on its switch ends."""
    by_name = {v: k for k, v in emulated.items()}
    result: dict[str, list[str]] = {link.key: [] for link in topo.links}
    for link in net.links:
        ends = [by_name[link.intf1.node.name], by_name[link.intf2.node.name]]
        key = "-".join(sorted(ends))
        for intf in (link.intf1, link.intf2):
            if isinstance(intf.node, OVSSwitch):
                result[key].append(intf.name)
    return result
