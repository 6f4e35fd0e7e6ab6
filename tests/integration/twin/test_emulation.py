"""The real thing: Mininet, Open vSwitch (userspace datapath) and the project's controller."""

from __future__ import annotations

import subprocess

import pytest

from tests.integration.twin.conftest import network_name
from twin.emu import Network, NetworkBusy, NetworkNotFound, clean, down, up
from twin.emu.network import _root_interfaces
from twin.emu.ovs import bridges
from twin.emu.state import owned_name, pid_alive
from twin.model import load_topology

pytestmark = pytest.mark.integration


def test_edge6g_every_host_reaches_every_other(edge6g):
    hosts = edge6g.topology.hosts()
    assert len(hosts) == 18                  # 11 named hosts + 7 compute servers
    matrix = edge6g.reachability()
    assert matrix.pairs == 18 * 17
    assert matrix.unreachable() == []


def test_fat_tree_loops_do_not_matter(emulation_environment):
    name = network_name("ft")
    net = up(load_topology("fattree4"), name, die_with_parent=True)
    try:
        matrix = net.reachability()
        assert (matrix.pairs, matrix.reachable_pairs) == (240, 240)
        tcp = net.throughput("h1", "h16", seconds=2)
        assert tcp.mbps > 1                  # TCP carries data (with tx offload on it carries 0 bytes)
    finally:
        down(name)


def test_link_shaping_holds_the_modelled_bandwidth(edge6g):
    # cam1's access link is 100 Mbit/s in edge6g: offered 200 Mbit/s of UDP, no more than the
    # cap arrives (how much less depends on how busy the machine is)
    result = edge6g.throughput("cam1", "edge1", seconds=2, udp_mbps=200)
    assert 5 <= result.mbps <= 105, result


def test_shaped_switch_ports_drop_from_the_head(edge6g):
    """A tail drop fails OVS's userspace send and loses the rest of its batch (twin.emu.qos)."""
    shaped = [intf for key, intfs in edge6g.state.link_interfaces.items() for intf in intfs
              if edge6g.topology.link(*key.split("-")).bandwidth_mbps < 1000]
    assert len(shaped) == 8                   # the eight radio access links, switch side
    for intf in shaped:
        qdiscs = subprocess.run(["tc", "qdisc", "show", "dev", intf], capture_output=True, text=True,
                                timeout=10, check=True).stdout
        assert "htb 5: root" in qdiscs and "pfifo_head_drop 6: parent 5:1" in qdiscs, qdiscs


def test_two_networks_side_by_side_and_cleanup_touches_nothing_else(emulation_environment):
    foreign = "zzforeign0"                   # someone else's interface, without our prefix
    subprocess.run(["ip", "link", "add", foreign, "type", "veth", "peer", "name", foreign + "p"], check=True)
    names = [network_name("a"), network_name("b")]
    try:
        nets = [up(load_topology("linear4"), n, die_with_parent=True) for n in names]
        assert nets[0].state.prefix != nets[1].state.prefix
        assert nets[0].controller_url != nets[1].controller_url
        for net in nets:
            assert net.reachability().unreachable() == []
        with pytest.raises(NetworkBusy):
            up(load_topology("linear4"), names[0])
        down(names[0])
        assert nets[1].reachability().unreachable() == []          # the other one still works
        prefix = nets[0].state.prefix
        assert not [i for i in _root_interfaces() if i.startswith(prefix + "s") or i.startswith(prefix + "h")]
        assert not [b for b in bridges() if b.startswith(prefix)]
    finally:
        for name in names:
            try:
                down(name)
            except Exception:
                pass
        assert foreign in _root_interfaces()                          # not ours, not touched
        subprocess.run(["ip", "link", "del", foreign], check=True)


def test_clean_after_a_crash_removes_every_trace(emulation_environment, tmp_path, monkeypatch):
    import os
    import signal
    import time

    monkeypatch.setenv("AAAS_STATE_DIR", str(tmp_path))   # clean() takes down every network it knows

    name = network_name("cr")
    net = up(load_topology("linear4"), name)
    prefix, state = net.state.prefix, net.state
    os.kill(state.keeper_pid, signal.SIGKILL)                # the owner dies without tidying up
    time.sleep(0.2)
    assert [i for i in _root_interfaces() if i.startswith(prefix)]
    removed = clean()
    assert name in removed
    assert not [i for i in _root_interfaces() if i.startswith(prefix)]
    assert not [b for b in bridges() if b.startswith(prefix)]
    # (a killed shell may linger as a zombie where PID 1 does not reap: it holds nothing)
    assert not pid_alive(state.controller_pid, "twin.controller")
    for pid in [*state.host_pids.values(), *state.switch_pids.values()]:
        assert not pid_alive(pid, f"mininet:{prefix}"), pid
    with pytest.raises(NetworkNotFound):
        Network.load(name)


def test_clean_removes_what_a_lost_state_directory_named(emulation_environment, tmp_path, monkeypatch):
    import os
    import signal

    monkeypatch.setenv("AAAS_STATE_DIR", str(tmp_path))
    name = network_name("or")
    net = up(load_topology("linear4"), name)
    prefix, state = net.state.prefix, net.state
    os.kill(state.keeper_pid, signal.SIGKILL)
    state.path.unlink()                      # the run's state directory is gone
    assert any(owned_name(i, prefix) for i in _root_interfaces())
    removed = clean()
    assert f"orphaned prefix {prefix}" in removed
    assert not any(owned_name(i, prefix) for i in _root_interfaces())
    assert not any(owned_name(b, prefix) for b in bridges())
    for pid in [state.controller_pid, *state.host_pids.values()]:     # they die with their keeper
        if pid_alive(pid, f"mininet:{prefix}") or pid_alive(pid, "twin.controller"):
            os.kill(pid, signal.SIGKILL)
