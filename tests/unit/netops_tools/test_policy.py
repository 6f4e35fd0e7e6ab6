"""Each policy refuses with a reason that names what is wrong."""

import pytest

from netops_tools.errors import PolicyViolation
from netops_tools.policy import PolicyConfig, check_changeset, enforce
from netops_tools.state import NetworkState
from twin.model.changeset import ChangeSet, FlowRule, Meter, SliceReservation

CTRL = 0xC0 << 56
IP = {"eth_type": 2048}


def state_of(fake, topo, slices=()):
    return NetworkState.read(fake, topology=topo, slices=slices)


def drop(dpid, priority, **match):
    return FlowRule(dpid, priority, {**IP, **match}, ())


def fwd(dpid, priority, port, **match):
    return FlowRule(dpid, priority, {**IP, **match}, ({"type": "OUTPUT", "port": port},))


def reasons(cs, fake, topo, config=PolicyConfig(), slices=()):
    return check_changeset(cs, state_of(fake, topo, slices), config)


def test_a_plain_block_passes(fake, linear4):
    assert reasons(ChangeSet(flows_add=(drop(1, 200, ipv4_src="10.0.0.1", ipv4_dst="10.0.0.4"),)),
                   fake, linear4) == []


def test_controller_flows_and_table_miss_are_protected(fake, linear4):
    route = next(f.rule for f in fake.flows(1) if f.rule.priority == 10)
    miss = next(f.rule for f in fake.flows(1) if f.rule.priority == 0)
    found = reasons(ChangeSet(flows_remove=(route,)), fake, linear4)
    assert any("controller flow" in r and "protected" in r for r in found)
    found = reasons(ChangeSet(flows_remove=(miss,)), fake, linear4)
    assert any("controller flow" in r for r in found)
    found = reasons(ChangeSet(flows_add=(FlowRule(1, 0, {}, ()),)), fake, linear4)
    assert any("table-miss" in r for r in found)
    found = reasons(ChangeSet(flows_add=(FlowRule(1, 10, dict(route.match), ()),)), fake, linear4)
    assert any("overwrite controller flow" in r for r in found)


def test_blast_radius_limits_the_share_removed(fake, linear4):
    mine = [drop(1, 300, ipv4_src=f"10.0.1.{i}").with_cookie(7) for i in range(6)]
    for rule in mine:
        fake.add_flow(rule)
    assert reasons(ChangeSet(flows_remove=tuple(mine[:3])), fake, linear4) == []
    found = reasons(ChangeSet(flows_remove=tuple(mine[:4])), fake, linear4)
    assert found == ["removes 4 of 6 non-controller flows on dpid 1 (67%); the limit is 50%"]
    assert reasons(ChangeSet(flows_remove=tuple(mine[:4])), fake, linear4,
                   PolicyConfig(max_remove_share=0.8)) == []


def test_protected_nodes_and_hosts(fake, linear4):
    config = PolicyConfig(protected_nodes=frozenset({"s2"}), protected_hosts=frozenset({"h3"}))
    found = reasons(ChangeSet(flows_add=(drop(2, 200, ipv4_dst="10.0.0.1"),)), fake, linear4, config)
    assert found == ["changes switch s2 (dpid 2), which is protected"]
    found = reasons(ChangeSet(flows_add=(drop(1, 200, ipv4_dst="10.0.0.3"),)), fake, linear4, config)
    assert found == ["a flow on dpid 1 matches traffic of protected host h3 (ipv4_dst)"]


def test_shadowed_by_higher_priority_rule(fake, linear4):
    fake.add_flow(drop(1, 500, ipv4_dst="10.0.0.0/24").with_cookie(0xA5 << 56 | 1))
    found = reasons(ChangeSet(flows_add=(fwd(1, 300, 2, ipv4_dst="10.0.0.4"),)), fake, linear4)
    assert len(found) == 1 and "is shadowed by installed priority 500" in found[0]
    # same action: redundant, not a conflict
    assert reasons(ChangeSet(flows_add=(drop(1, 300, ipv4_dst="10.0.0.4"),)), fake, linear4) == []


def test_shadowing_another_changesets_rule(fake, linear4):
    fake.add_flow(fwd(1, 300, 2, ipv4_dst="10.0.0.4", tcp_dst=80, ip_proto=6).with_cookie(0xA5 << 56 | 1))
    found = reasons(ChangeSet(flows_add=(drop(1, 400, ipv4_dst="10.0.0.4"),)), fake, linear4)
    assert len(found) == 1 and "shadows installed priority 300" in found[0]
    # overriding the controller's own routing is steering, not a conflict
    assert reasons(ChangeSet(flows_add=(fwd(1, 400, 1, ipv4_dst="10.0.0.3"),)), fake, linear4) == []


def test_same_priority_overlap_is_ambiguous(fake, linear4):
    fake.add_flow(fwd(1, 300, 2, ipv4_src="10.0.0.0/24").with_cookie(0xA5 << 56 | 1))
    found = reasons(ChangeSet(flows_add=(drop(1, 300, ipv4_dst="10.0.0.4"),)), fake, linear4)
    assert len(found) == 1 and "at the same priority" in found[0]
    found = reasons(ChangeSet(flows_add=(drop(1, 300, ipv4_src="10.0.0.0/24"),)), fake, linear4)
    assert len(found) == 1 and "would replace installed priority 300" in found[0]
    # disjoint protocols never overlap
    fake.add_flow(fwd(1, 350, 2, udp_dst=53).with_cookie(0xA5 << 56 | 2))
    assert reasons(ChangeSet(flows_add=(drop(1, 350, tcp_dst=53),)), fake, linear4) == []


def test_reapplying_the_same_changeset_is_not_a_conflict(fake, linear4):
    cs = ChangeSet(flows_add=(drop(1, 300, ipv4_dst="10.0.0.4"),))
    for rule in cs.installed_flows():
        fake.add_flow(rule)
    assert reasons(cs, fake, linear4) == []


def test_meter_conflicts(fake, linear4):
    fake.add_meter(Meter(1, 1, 1000, 100))
    found = reasons(ChangeSet(meters_add=(Meter(1, 1, 2000, 100),)), fake, linear4)
    assert found == ["meter 1 on dpid 1 already exists with rate 1000 kbps (ChangeSet wants 2000 kbps)"]
    found = reasons(ChangeSet(flows_add=(FlowRule(1, 200, {"in_port": 1}, (), meter_id=9),)), fake, linear4)
    assert "uses meter 9, which neither exists" in found[0]


def test_slice_admission_names_the_bottleneck(fake, linear4):
    admitted = (SliceReservation("video", 600, ("s1-s2", "s2-s3")),)
    new = SliceReservation("urllc", 500, ("s2-s3", "s3-s4"))
    cs = ChangeSet(flows_add=(drop(3, 200, ipv4_dst="10.0.0.3"),), slices=(new,))
    found = reasons(cs, fake, linear4, slices=admitted)
    assert found == ["slice urllc needs 500 Mbit/s on link s2-s3: 600 of 1000 Mbit/s already guaranteed "
                     "(slices: video)"]
    smaller = ChangeSet(flows_add=(drop(3, 200, ipv4_dst="10.0.0.3"),),
                        slices=(SliceReservation("urllc", 400, ("s2-s3",)),))
    assert reasons(smaller, fake, linear4, slices=admitted) == []
    modify = ChangeSet(flows_add=(drop(3, 200, ipv4_dst="10.0.0.3"),),
                       slices=(SliceReservation("video", 900, ("s1-s2",)),))
    assert reasons(modify, fake, linear4, slices=admitted) == []


def test_enforce_raises_with_every_reason(fake, linear4):
    route = next(f.rule for f in fake.flows(1) if f.rule.priority == 10)
    config = PolicyConfig(protected_nodes=frozenset({"s1"}))
    with pytest.raises(PolicyViolation) as caught:
        enforce(ChangeSet(flows_remove=(route,)), state_of(fake, linear4), config)
    assert len(caught.value.reasons) == 2
