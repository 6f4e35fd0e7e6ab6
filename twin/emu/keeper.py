"""`python -m twin.emu.keeper NAME`: the one process that owns a running network.

Mininet's host shells live only as long as the process that built them, so `aaas twin up`
starts this keeper detached: it starts the controller (as its child), builds the network,
records everything in the state file, and on SIGTERM takes down exactly what it built.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import signal
import sys
import threading
import time

from twin.emu.build import build_network, give_shaped_ports_head_drop, prepare_hosts, switch_interfaces
from twin.emu.capabilities import probe as probe_capabilities
from twin.emu.controller_process import free_port, health, start_controller, wait_for
from twin.emu.errors import EmuError
from twin.emu.kernel import ensure_datapath_buffers, ensure_neighbour_capacity
from twin.emu.ovs import use_ovs
from twin.emu.state import NetworkState, release, state_dir
from twin.model import load_topology

PR_SET_PDEATHSIG = 1
LOG = logging.getLogger("aaas.keeper")


class Keeper:
    def __init__(self, state: NetworkState, shape_links: bool, ready_timeout: float) -> None:
        self.state = state
        self.shape_links = shape_links
        self.ready_timeout = ready_timeout
        self.net = None
        self.controller = None
        self.stopping = threading.Event()

    def run(self) -> int:
        state = self.state
        state.keeper_pid = os.getpid()
        state.started_at = time.time()
        state.save()
        try:
            self._bring_up()
        except Exception as exc:      # any failure: record it, take down what exists, exit 1
            LOG.exception("bring-up failed")
            state.status, state.error = "failed", _describe(exc)
            state.save()
            self._teardown()
            return 1
        self.stopping.wait()
        state.status = "stopping"
        state.save()
        self._teardown()
        state.path.unlink(missing_ok=True)
        release(state)
        return 0

    def _bring_up(self) -> None:
        from mininet.log import setLogLevel
        setLogLevel("error")
        state = self.state
        topo = load_topology(state.topology_file, hosts_per_switch=0)
        raised = ensure_neighbour_capacity(len(topo.hosts()))
        if raised:
            LOG.info("raised kernel neighbour table limits: %s", raised)
        if ensure_datapath_buffers(len(topo.switches())):
            LOG.info("raised net.core.rmem_default for the datapath's port sockets")
        use_ovs()
        state.ofp_port, state.rest_port = free_port(), free_port()
        log_file = state_dir() / f"controller-{state.name}.log"
        self.controller = start_controller(state.topology_file, state.ofp_port, state.rest_port, log_file)
        state.controller_pid = self.controller.pid
        state.save()
        wait_for(lambda: health(state.rest_port, 0.5), "controller REST API", 60, self.controller, log_file)
        LOG.info("controller answering")
        capabilities = probe_capabilities()
        LOG.info("capabilities: %s", capabilities.detail)
        self.net, emulated = build_network(topo, state.prefix, state.ofp_port, self.shape_links,
                                           emulate_delay=capabilities.netem)
        state.emulated_names = emulated
        LOG.info("mininet built")
        self.net.start()
        give_shaped_ports_head_drop(self.net)
        LOG.info("mininet started")
        prepare_hosts(self.net, topo, emulated, state_dir() / f"scratch-{state.name}")
        LOG.info("hosts prepared")
        by_name = {v: k for k, v in emulated.items()}
        state.host_pids = {by_name[h.name]: h.pid for h in self.net.hosts}
        state.switch_pids = {by_name[s.name]: s.pid for s in self.net.switches}
        state.link_interfaces = switch_interfaces(self.net, emulated, topo)
        state.save()

        def programmed():
            h = health(state.rest_port, 1.0)
            return h and h["switches_programmed"] == h["switches_expected"]

        wait_for(programmed, "switches programmed by the controller", self.ready_timeout,
                 self.controller, log_file, interval=0.02)
        LOG.info("switches programmed")
        state.status, state.ready_s = "ready", time.time() - state.started_at
        state.save()

    def _teardown(self) -> None:
        if self.net is not None:
            try:
                self.net.stop()
            except Exception:
                LOG.exception("mininet stop failed; `aaas twin clean` removes what is left")
        if self.controller is not None and self.controller.poll() is None:
            self.controller.terminate()
            try:
                self.controller.wait(timeout=5)
            except Exception:
                self.controller.kill()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, EmuError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m twin.emu.keeper")
    parser.add_argument("name")
    parser.add_argument("--no-shaping", action="store_true")
    parser.add_argument("--ready-timeout", type=float, default=120.0)
    parser.add_argument("--die-with-parent", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s",
                        force=True)   # mininet configures logging on import
    keeper = Keeper(NetworkState.load(args.name), not args.no_shaping, args.ready_timeout)
    signal.signal(signal.SIGTERM, lambda *_: keeper.stopping.set())
    signal.signal(signal.SIGINT, lambda *_: keeper.stopping.set())
    if args.die_with_parent:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    return keeper.run()


if __name__ == "__main__":
    sys.exit(main())
