"""The twin-side runner and its measurements, against the fake controller and a fake prober."""

from __future__ import annotations

import json

import pytest

from netops_tools.compilers import compile_intent
from netops_tools.compilers.verify.iperf import Stream, _delivered
from netops_tools.compilers.verify.runner import BLOCKED_ATTEMPTS, validate_intent
from netops_tools.counter_path import TRAIN, counted_path
from netops_tools.matching import packet_matches
from netops_tools.policy import PolicyConfig
from netops_tools.push import Target
from netops_tools.state import NetworkState
from netops_tools.trace import packet_between, trace
from netops_tools.transaction import restore
from tests.unit.compilers.conftest import apply, state_of
from twin.emu.qos import with_access_scaled
from twin.model import Addressing
from twin.model import load_topology as load
from twin.model.changeset import ChangeSet, FlowRule


def counting_sender(fake, topology):
    """Sending n pings makes each flow that decides them (per the tables) count n packets."""
    addressing = Addressing.of(topology)

    def send(src, dst, count):
        tables = {d: [f.rule for f in fake.flows(d)] for d in fake.switches()}
        for decision in trace(tables, addressing, src, dst).decisions:
            dpid = addressing.dpids[decision["switch"]]
            rule = next(f.rule for f in fake.flows(dpid) if f.rule.priority == decision["priority"]
                        and f"{f.rule.cookie or 0:#x}" == decision["cookie"]
                        and _matches(f.rule, addressing, src, dst))
            key = (dpid, rule.identity())
            fake.packet_counts[key] = fake.packet_counts.get(key, 0) + count
    return send


def _matches(rule: FlowRule, addressing, src, dst) -> bool:
    return packet_matches(rule.match, packet_between(addressing, src, dst))


class FakeProber:
    """Answers from the fake's tables: a pair is reachable when both directions deliver."""

    def __init__(self, fake, topology):
        self.fake, self.topology = fake, topology
        self.addressing = Addressing.of(topology)
        self.schedules = []         # (pairs, attempts) per matrix probe

    def _tables(self):
        return {d: [f.rule for f in self.fake.flows(d)] for d in self.fake.switches()}

    def matrix(self, pairs, attempts=4):
        self.schedules.append((set(pairs), attempts))
        tables = self._tables()
        return {(s, d): trace(tables, self.addressing, s, d).delivered
                and trace(tables, self.addressing, d, s).delivered for s, d in pairs}

    def reachable(self, src, dst, proto=None, port=None):
        return self.matrix([(src, dst)])[(src, dst)]

    def path(self, src, dst):
        return counted_path(self.fake, self.topology, src, dst, counting_sender(self.fake, self.topology),
                            sleep=lambda s: None)

    def paths(self, pairs):
        return {pair: self.path(*pair) for pair in pairs}

    def has_netem(self, host):
        return False


@pytest.fixture
def target(fake, edge6g):
    return Target("fake-twin", fake, edge6g)


def test_the_counted_path_follows_the_counted_flows_ports_not_adjacency(fake, edge6g):
    # cam1 -> edge2 around cu1-cu2 passes du2 and du3 and comes back next to cu1 at cu2:
    # ordering counted switches by adjacency would jump from cu1 straight to cu2
    cs = compile_intent({"kind": "path.avoid", "params": {"src": "cam1", "dst": "edge2", "avoid": ["cu1-cu2"]}},
                        state_of(fake, edge6g))
    for rule in cs.installed_flows():
        fake.add_flow(rule)
    path = FakeProber(fake, edge6g).path("cam1", "edge2")
    assert path == list(cs.intent["plan"]["routes"][0])


def test_a_train_that_was_not_counted_gives_an_incomplete_path(fake, edge6g):
    path = counted_path(fake, edge6g, "cam1", "edge2", lambda *a: None, sleep=lambda s: None)
    assert path[-1] != "edge2"
    assert TRAIN >= 5


def test_validation_reports_the_diff_and_puts_the_twin_back(fake, edge6g, target):
    before = {d: sorted(str(f.rule.to_dict()) for f in fake.flows(d)) for d in fake.switches()}
    cs = compile_intent({"kind": "acl.block", "params": {"src": "cam1", "dst": "cloud1", "proto": None,
                                                          "port": None}}, state_of(fake, edge6g))
    report = validate_intent(cs, target, FakeProber(fake, edge6g), sleep=lambda s: None)
    assert report.passed, [r.evidence for r in report.results if not r.passed]
    (diff,) = [r for r in report.results if r.check.get("scope") == "preserved"]
    assert diff.measured["lost"] == []
    after = {d: sorted(str(f.rule.to_dict()) for f in fake.flows(d)) for d in fake.switches()}
    assert after == before


def test_a_changeset_that_cuts_more_than_it_declares_fails_naming_the_lost_pairs(fake, edge6g, target):
    cs = compile_intent({"kind": "acl.block", "params": {"src": "cam1", "dst": "cloud1", "proto": None,
                                                          "port": None}}, state_of(fake, edge6g))
    addressing = Addressing.of(edge6g)
    extra = FlowRule(dpid=addressing.dpids["ru1"], priority=400,
                     match={"eth_type": 2048, "ipv4_src": addressing.hosts["cam1"].ip,
                            "ipv4_dst": addressing.hosts["edge1"].ip})
    wider = ChangeSet(flows_add=cs.flows_add + (extra,), checks=cs.checks, intent=cs.intent)
    report = validate_intent(wider, target, FakeProber(fake, edge6g), sleep=lambda s: None, attempts=1)
    (diff,) = [r for r in report.results if r.check.get("scope") == "preserved"]
    assert not report.passed and ["cam1", "edge1"] in diff.measured["lost"]


def test_a_block_is_confirmed_on_a_short_schedule_and_other_pairs_on_the_full_one(fake, edge6g, target):
    cs = compile_intent({"kind": "acl.block", "params": {"src": "cam1", "dst": "cloud1", "proto": None,
                                                          "port": None}}, state_of(fake, edge6g))
    prober = FakeProber(fake, edge6g)
    assert validate_intent(cs, target, prober, sleep=lambda s: None).passed
    blocked = {("cam1", "cloud1"), ("cloud1", "cam1")}
    assert all(attempts == BLOCKED_ATTEMPTS for pairs, attempts in prober.schedules if pairs == blocked)
    assert all(attempts == 4 for pairs, attempts in prober.schedules if pairs != blocked)
    assert any(pairs == blocked for pairs, _ in prober.schedules)


def test_a_block_that_lets_the_pair_through_fails_after_its_retries(fake, edge6g, target):
    cs = compile_intent({"kind": "acl.block", "params": {"src": "cam1", "dst": "cloud1", "proto": None,
                                                          "port": None}}, state_of(fake, edge6g))
    addressing = Addressing.of(edge6g)
    wrong = FlowRule(dpid=addressing.dpids["ru1"], priority=400,    # drops cam1->edge1, not cam1->cloud1
                     match={"eth_type": 2048, "ipv4_src": addressing.hosts["cam1"].ip,
                            "ipv4_dst": addressing.hosts["edge1"].ip})
    misplaced = ChangeSet(flows_add=(wrong,), checks=cs.checks, intent=cs.intent)
    report = validate_intent(misplaced, target, FakeProber(fake, edge6g), sleep=lambda s: None)
    blocked = [r for r in report.results if r.check["type"] == "blocked"]
    assert not report.passed and blocked and not any(r.passed for r in blocked)
    assert all("attempt 4" in r.evidence for r in blocked)          # a reply is measured again, in full


def test_avoid_is_validated_from_counters(fake, edge6g, target):
    cs = compile_intent({"kind": "path.avoid", "params": {"src": "cam1", "dst": "edge2", "avoid": ["cu1-cu2"]}},
                        state_of(fake, edge6g))
    report = validate_intent(cs, target, FakeProber(fake, edge6g), sleep=lambda s: None)
    assert report.passed, [r.evidence for r in report.results if not r.passed]
    assert any(r.check["type"] == "path_avoids" and "avoids" in r.evidence for r in report.results)


class FakeQueues:
    """The QueueApplier seam: the set of queues a network carries."""

    def __init__(self):
        self.applied = set()

    def apply_queue(self, queue):
        self.applied.add(queue)

    def remove_queue(self, queue):
        self.applied.discard(queue)


def installed_slice(fake, edge6g):
    """A 1 Mbit/s slice veh3-edge2 applied on the fake, with its queues on a FakeQueues."""
    queues = FakeQueues()
    create = compile_intent({"kind": "slice.create", "params": {"name": "s", "type": None, "latency_ms": None,
                                                                 "endpoints": ["veh3", "edge2"],
                                                                 "bandwidth_mbps": 1}}, state_of(fake, edge6g))
    apply(fake, create)
    for queue in create.queues_add:
        queues.apply_queue(queue)
    return create, queues


def test_validating_a_slice_delete_leaves_the_slice_with_its_queues(fake, edge6g):
    create, queues = installed_slice(fake, edge6g)
    delete = compile_intent({"kind": "slice.delete", "params": {"name": "s"}}, state_of(fake, edge6g, [create]))
    report = validate_intent(delete, Target("fake-twin", fake, edge6g, queues=queues), FakeProber(fake, edge6g),
                             policy=PolicyConfig(max_remove_share=1.0), sleep=lambda s: None)
    assert report.passed, report.error or [r.evidence for r in report.results if not r.passed]
    assert create.queues_add and queues.applied == set(create.queues_add)       # put back, not left deleted


def test_restoring_after_a_slice_that_was_already_in_place_keeps_its_queues(fake, edge6g):
    """Validating a ChangeSet the twin already carries applies nothing new, so undoing it must
    not take its queues off (the flows go back to the snapshot, which holds them too)."""
    create, queues = installed_slice(fake, edge6g)
    assert restore(fake, create, NetworkState.read(fake), lambda s: None, queues=queues)
    assert create.queues_add and queues.applied == set(create.queues_add)


def test_delivered_rate_is_received_bytes_over_the_senders_time():
    report = {"end": {"sum_sent": {"seconds": 2.0, "bytes": 1_000_000},
                      "sum_received": {"seconds": 4.0, "bytes": 500_000}}}
    got = _delivered(Stream("a", "b", 5201, 8.0), json.dumps(report))
    assert got.mbps == pytest.approx(2.0) and got.sent_mbps == pytest.approx(4.0)


def test_scaling_touches_only_shaped_host_access_links():
    topology = load("edge6g")
    scaled = with_access_scaled(topology, 0.1)
    assert scaled.link("cam1", "ru1").bandwidth_mbps == pytest.approx(10.0)
    assert scaled.link("du1", "ru1").bandwidth_mbps == topology.link("du1", "ru1").bandwidth_mbps
    assert scaled.link("cu1", "edge1").bandwidth_mbps == topology.link("cu1", "edge1").bandwidth_mbps
