"""The os-ken shim: translates OpenFlow events into calls on the pure parts and back.

Routing and ACL logic lives in flows.py and twin.analysis; this module only talks OpenFlow:
it programs switches when they connect (again), confirms every batch with a barrier so a
refusal by the switch is reported to the REST caller, and answers stats requests.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, DEAD_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib import ofctl_v1_3 as ofctl
from os_ken.ofproto import ofproto_v1_3

from twin.analysis.routing import forwarding_table
from twin.controller.flows import CONTROLLER_COOKIE, CONTROLLER_COOKIE_MASK, routing_flows, table_miss_flow
from twin.controller.ledger import Ledger
from twin.model import Addressing, Topology

LOG = logging.getLogger("aaas.controller")
BARRIER_TIMEOUT_S = 10.0
PROGRAMMING_SLOTS = 8       # switches programmed at once: a burst of every switch's flows at
PROGRAMMING_TRIES = 4       # once outruns the userspace datapath and barriers time out


@dataclass
class ControllerConfig:
    topology: Topology
    rest_port: int


CONFIG: ControllerConfig | None = None    # set by __main__ before the app is instantiated


class SwitchRefused(Exception):
    """The switch answered an OpenFlow message with an error."""


class SwitchUnavailable(Exception):
    """No such switch is connected, or it did not answer in time."""


class AaasController(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        assert CONFIG is not None, "twin.controller.app.CONFIG must be set before starting"
        self.topology = CONFIG.topology
        self.addressing = Addressing.of(self.topology)
        self.forwarding = forwarding_table(self.topology, self.addressing)
        self.down_links: set[tuple[str, str]] = set()     # links whose port went down
        self.datapaths: dict[int, object] = {}
        self.programmed: set[int] = set()
        self.ledger = Ledger()
        self.waiters: dict[int, dict[int, tuple]] = {}     # ofctl's stats-reply rendezvous
        self._errors: dict[tuple[int, int], str] = {}
        self._barriers: dict[tuple[int, int], threading.Event] = {}
        self._lock = threading.RLock()
        self._programming = threading.BoundedSemaphore(PROGRAMMING_SLOTS)
        from twin.controller.rest import start_rest_server  # the REST layer needs this app
        self.rest = start_rest_server(self, CONFIG.rest_port)

    # -- switch lifecycle ----------------------------------------------------------------
    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def _on_features(self, ev) -> None:
        dp = ev.msg.datapath
        with self._lock:
            self.datapaths[dp.id] = dp
            self.programmed.discard(dp.id)
        threading.Thread(target=self._program, args=(dp,), daemon=True,
                         name=f"program-{dp.id}").start()

    @set_ev_cls(ofp_event.EventOFPStateChange, [MAIN_DISPATCHER, DEAD_DISPATCHER])
    def _on_state(self, ev) -> None:
        dp = ev.datapath
        if ev.state == DEAD_DISPATCHER and dp.id is not None:
            with self._lock:
                if self.datapaths.get(dp.id) is dp:
                    del self.datapaths[dp.id]
                    self.programmed.discard(dp.id)

    def _program(self, dp) -> None:
        """Replace this switch's controller flows, then restore what REST had installed;
        a few switches at a time, retried while the switch stays connected."""
        try:
            switch = self.addressing.switch_of_dpid(dp.id)
        except KeyError:
            LOG.warning("switch with dpid %s is not in topology %s", dp.id, self.topology.name)
            return
        for attempt in range(1, PROGRAMMING_TRIES + 1):
            with self._programming:
                if self._program_once(dp, switch, attempt):
                    return
            with self._lock:
                if self.datapaths.get(dp.id) is not dp:       # gone or reconnected: that run programs it
                    return

    def _program_once(self, dp, switch: str, attempt: int) -> bool:
        parser = dp.ofproto_parser
        messages = [parser.OFPFlowMod(dp, cookie=CONTROLLER_COOKIE, cookie_mask=CONTROLLER_COOKIE_MASK,
                                      table_id=dp.ofproto.OFPTT_ALL, command=dp.ofproto.OFPFC_DELETE,
                                      out_port=dp.ofproto.OFPP_ANY, out_group=dp.ofproto.OFPG_ANY)]
        meters, rest_flows = self.ledger.replay(dp.id)
        messages += [self.meter_message(dp, m, dp.ofproto.OFPMC_ADD) for m in meters]
        own = [table_miss_flow(dp.id)] + routing_flows(switch, self.forwarding, self.addressing)
        messages += [self.flow_message(dp, f, dp.ofproto.OFPFC_ADD) for f in own + rest_flows]
        try:
            self.send_confirmed(dp, messages)
        except (SwitchRefused, SwitchUnavailable) as exc:
            LOG.error("programming %s (dpid %s), attempt %d, failed: %s", switch, dp.id, attempt, exc)
            return False
        with self._lock:
            if self.datapaths.get(dp.id) is dp:
                self.programmed.add(dp.id)
        return True

    @set_ev_cls(ofp_event.EventOFPPortStatus, MAIN_DISPATCHER)
    def _on_port_status(self, ev) -> None:
        """A link whose port goes down (or comes back) changes the routes: recompute them on
        the topology without the down links and reprogram every switch."""
        msg = ev.msg
        ofp = msg.datapath.ofproto
        try:
            switch = self.addressing.switch_of_dpid(msg.datapath.id)
            neighbour = self.addressing.neighbour_on_port(switch, msg.desc.port_no)
        except KeyError:
            return
        is_down = bool(msg.desc.state & ofp.OFPPS_LINK_DOWN or msg.desc.config & ofp.OFPPC_PORT_DOWN
                       or msg.reason == ofp.OFPPR_DELETE)
        link = tuple(sorted((switch, neighbour)))
        with self._lock:
            changed = (link in self.down_links) != is_down
            if is_down:
                self.down_links.add(link)
            else:
                self.down_links.discard(link)
            if not changed:
                return
            live = self.topology.without(links=self.down_links)
            self.forwarding = forwarding_table(live, Addressing.of(self.topology)) if live.hosts() else []
            datapaths = list(self.datapaths.values())
        LOG.info("link %s-%s is %s: reprogramming %d switches", *link, "down" if is_down else "up", len(datapaths))
        for dp in datapaths:
            threading.Thread(target=self._program, args=(dp,), daemon=True).start()

    # -- sending -------------------------------------------------------------------------
    def datapath(self, dpid: int):
        with self._lock:
            dp = self.datapaths.get(dpid)
        if dp is None:
            raise SwitchUnavailable(f"no switch with dpid {dpid} is connected")
        return dp

    @staticmethod
    def flow_message(dp, flow: dict, command: int):
        ofp = dp.ofproto
        return dp.ofproto_parser.OFPFlowMod(
            dp, cookie=int(str(flow.get("cookie", 0)), 0),
            cookie_mask=int(str(flow.get("cookie_mask", 0)), 0),
            table_id=ofctl.UTIL.ofp_table_from_user(flow.get("table_id", 0)), command=command,
            idle_timeout=int(str(flow.get("idle_timeout", 0)), 0),
            hard_timeout=int(str(flow.get("hard_timeout", 0)), 0),
            priority=int(str(flow.get("priority", 0)), 0),
            buffer_id=ofp.OFP_NO_BUFFER,
            out_port=ofctl.UTIL.ofp_port_from_user(flow.get("out_port", ofp.OFPP_ANY)),
            out_group=ofctl.UTIL.ofp_group_from_user(flow.get("out_group", ofp.OFPG_ANY)),
            flags=int(str(flow.get("flags", 0)), 0),
            match=ofctl.to_match(dp, dict(flow.get("match", {}))),
            instructions=ofctl.to_actions(dp, flow.get("actions", [])))

    @staticmethod
    def meter_message(dp, meter: dict, command: int):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        names = {"KBPS": ofp.OFPMF_KBPS, "PKTPS": ofp.OFPMF_PKTPS, "BURST": ofp.OFPMF_BURST,
                 "STATS": ofp.OFPMF_STATS}
        flags_given = meter.get("flags", [])
        flags = 0
        for flag in flags_given if isinstance(flags_given, list) else [flags_given]:
            flags |= names[flag]
        bands = []
        for band in meter.get("bands", []):
            rate, burst = int(str(band.get("rate", 0)), 0), int(str(band.get("burst_size", 0)), 0)
            if band["type"] == "DROP":
                bands.append(parser.OFPMeterBandDrop(rate, burst))
            else:
                bands.append(parser.OFPMeterBandDscpRemark(rate, burst,
                                                           int(str(band.get("prec_level", 0)), 0)))
        return parser.OFPMeterMod(dp, command=command, flags=flags,
                                  meter_id=int(str(meter["meter_id"]), 0), bands=bands)

    def send_confirmed(self, dp, messages: list) -> None:
        """Send, then a barrier: any error the switch returns for these messages is raised."""
        xids = []
        for message in messages:
            dp.set_xid(message)
            xids.append(message.xid)
            dp.send_msg(message)
        barrier = dp.ofproto_parser.OFPBarrierRequest(dp)
        dp.set_xid(barrier)
        done = threading.Event()
        self._barriers[(dp.id, barrier.xid)] = done
        dp.send_msg(barrier)
        answered = done.wait(BARRIER_TIMEOUT_S)
        self._barriers.pop((dp.id, barrier.xid), None)
        errors = [self._errors.pop((dp.id, x)) for x in xids if (dp.id, x) in self._errors]
        if errors:
            raise SwitchRefused("; ".join(errors[:5]))
        if not answered:
            raise SwitchUnavailable(f"switch {dp.id} did not confirm within {BARRIER_TIMEOUT_S:.0f} s")

    @set_ev_cls(ofp_event.EventOFPBarrierReply, MAIN_DISPATCHER)
    def _on_barrier(self, ev) -> None:
        done = self._barriers.get((ev.msg.datapath.id, ev.msg.xid))
        if done is not None:
            done.set()

    @set_ev_cls(ofp_event.EventOFPErrorMsg, [CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def _on_error(self, ev) -> None:
        msg = ev.msg
        ofp = msg.datapath.ofproto
        self._errors[(msg.datapath.id, msg.xid)] = (
            f"switch refused the request: {ofp.ofp_error_type_to_str(msg.type)} "
            f"{ofp.ofp_error_code_to_str(msg.type, msg.code)}")

    @set_ev_cls([ofp_event.EventOFPFlowStatsReply, ofp_event.EventOFPPortStatsReply,
                 ofp_event.EventOFPMeterStatsReply, ofp_event.EventOFPMeterConfigStatsReply,
                 ofp_event.EventOFPDescStatsReply, ofp_event.EventOFPPortDescStatsReply],
                MAIN_DISPATCHER)
    def _on_stats_reply(self, ev) -> None:
        msg = ev.msg
        waiting = self.waiters.get(msg.datapath.id, {}).get(msg.xid)
        if waiting is None:
            return
        lock, messages = waiting
        messages.append(msg)
        if not msg.flags & msg.datapath.ofproto.OFPMPF_REPLY_MORE:
            del self.waiters[msg.datapath.id][msg.xid]
            lock.set()
