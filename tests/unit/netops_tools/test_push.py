"""Validate, push and rollback against the fake controller; failures leave tables as before."""

import pytest

from netops_tools.drivers.base import flow_table_digest
from netops_tools.errors import ApprovalRequired, PolicyViolation, PushFailed, ValidationRequired
from netops_tools.probes import FlowTableProber
from netops_tools.push import Target, push, rollback, validate
from tests.unit.netops_tools.conftest import routed_fake
from twin.model.changeset import ChangeSet, FlowRule, Meter

IP = {"eth_type": 2048}


def no_wait(seconds):
    pass


def dump(fake):
    """Full flow tables and meters of every switch (what 'identical' means)."""
    return {d: (flow_table_digest(fake.flows(d)), fake.meters(d)) for d in fake.switches()}


def block_h1_h4(extra=()):
    """Drop h1->h4 at s1, rate-limit h2's traffic at s2, and remove a hand-made rule on s3."""
    return ChangeSet(
        flows_add=(FlowRule(1, 200, {**IP, "ipv4_src": "10.0.0.1", "ipv4_dst": "10.0.0.4"}, ()),
                   FlowRule(2, 200, {**IP, "ipv4_src": "10.0.0.2"}, ({"type": "OUTPUT", "port": 3},),
                            meter_id=5), *extra),
        meters_add=(Meter(2, 5, 10_000, 1000),),
        checks=({"type": "blocked", "src": "h1", "dst": "h4"},
                {"type": "reachable", "src": "h2", "dst": "h4"},
                {"type": "throughput_max", "src": "h2", "dst": "h4", "mbps": 10}),
        summary="block h1->h4, cap h2")


@pytest.fixture
def prod(linear4):
    fake = routed_fake(linear4)
    fake.add_flow(FlowRule(3, 120, {**IP, "ipv4_src": "10.0.0.3"}, ({"type": "OUTPUT", "port": 2},),
                           cookie=77))
    fake.writes.clear()
    return Target("prod", fake, linear4)


@pytest.fixture
def twin(linear4, fake):
    return Target("twin", fake, linear4)


def passing_report(cs, twin, linear4):
    report = validate(cs, twin, FlowTableProber(twin.driver, linear4), sleep=no_wait)
    assert report.passed, report
    return report


def test_validate_runs_checks_and_leaves_the_twin_as_it_was(twin, linear4):
    before = dump(twin.driver)
    report = passing_report(block_h1_h4(), twin, linear4)
    assert [r.passed for r in report.results] == [True, True, True]
    assert report.results[2].measured == pytest.approx(10.0)
    assert dump(twin.driver) == before


def test_validate_reports_failed_checks(twin, linear4):
    cs = ChangeSet(flows_add=(FlowRule(1, 200, {**IP, "ipv4_dst": "10.0.0.3"}, ()),),
                   checks=({"type": "reachable", "src": "h1", "dst": "h3"},))
    report = validate(cs, twin, FlowTableProber(twin.driver, linear4), sleep=no_wait)
    assert not report.passed and report.results[0].evidence == "h1->h3 unreachable"


def test_validate_reports_policy_refusals_without_applying(twin, linear4):
    route = next(f.rule for f in twin.driver.flows(1) if f.rule.priority == 10)
    report = validate(ChangeSet(flows_remove=(route,)), twin, FlowTableProber(twin.driver, linear4))
    assert not report.passed and "protected" in report.policy_reasons[0]
    assert twin.driver.writes == []


def test_push_needs_a_passing_report_for_the_same_id_and_an_approval(twin, prod, linear4):
    cs = block_h1_h4()
    report = passing_report(cs, twin, linear4)
    other = passing_report(ChangeSet(flows_add=(FlowRule(1, 300, {"in_port": 1}, ()),)), twin, linear4)
    with pytest.raises(ValidationRequired, match="no validation report"):
        push(cs, prod, other, "CHG-1")
    with pytest.raises(ValidationRequired):
        push(cs, prod, None, "CHG-1")
    with pytest.raises(ApprovalRequired):
        push(cs, prod, report, " ")
    assert prod.driver.writes == []


def test_push_applies_and_is_idempotent_by_cookie(twin, prod, linear4):
    cs = block_h1_h4()
    report = passing_report(cs, twin, linear4)
    result = push(cs, prod, report, "CHG-1", prober=FlowTableProber(prod.driver, linear4), sleep=no_wait)
    assert result.changed and all(c.passed for c in result.post_checks)
    after_first = dump(prod.driver)
    writes = len(prod.driver.writes)
    again = push(cs, prod, report, "CHG-1")
    assert not again.changed and dump(prod.driver) == after_first and len(prod.driver.writes) == writes


def test_rollback_deletes_by_cookie_and_restores_removed(twin, prod, linear4):
    before = dump(prod.driver)
    removed = next(f.rule for f in prod.driver.flows(3) if f.cookie == 77)
    cs = ChangeSet(**{**block_h1_h4().__dict__, "flows_remove": (removed,)})
    push(cs, prod, passing_report(cs, twin, linear4), "CHG-2")
    assert dump(prod.driver) != before
    rollback(cs, prod)
    assert dump(prod.driver) == before
    rollback(cs, prod)                       # rolling back twice changes nothing more
    assert dump(prod.driver) == before


@pytest.mark.parametrize("failure", ["refused_flow", "switch_disconnects", "post_probe_fails"])
def test_failed_push_leaves_flow_tables_identical(twin, prod, linear4, failure):
    removed = next(f.rule for f in prod.driver.flows(3) if f.cookie == 77)
    base = block_h1_h4()
    cs = ChangeSet(**{**base.__dict__, "flows_remove": (removed,)})
    report = passing_report(cs, twin, linear4)
    fake, prober = prod.driver, FlowTableProber(prod.driver, linear4)
    if failure == "refused_flow":
        fake.refuse_flow_when = lambda rule: rule.dpid == 2 and rule.cookie == cs.cookie
    elif failure == "switch_disconnects":
        fake.disconnect_after(2, dpid=2)              # s2 vanishes after the meter and one flow
    else:
        prober.reachable = lambda *a, **k: True      # h1->h4 still answers: the block did not work
    before = dump(fake)
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        fake.reconnect(2)                            # the switch comes back while we retry
    with pytest.raises(PushFailed, match="rolled back") as caught:
        push(cs, prod, report, "CHG-3", prober=prober, sleep=sleep)
    assert caught.value.restored
    assert dump(fake) == before
    assert (1.0 in sleeps) == (failure == "switch_disconnects")     # the restore's retry back-off


def test_unrestorable_push_says_so(twin, prod, linear4):
    cs = block_h1_h4()
    report = passing_report(cs, twin, linear4)
    prod.driver.disconnect_after(2, dpid=2)          # and it never comes back
    with pytest.raises(PushFailed, match="ROLLBACK INCOMPLETE"):
        push(cs, prod, report, "CHG-4", sleep=lambda s: None)


def test_push_enforces_policy_on_prod(twin, prod, linear4):
    cs = block_h1_h4()
    report = passing_report(cs, twin, linear4)
    prod.driver.add_meter(Meter(2, 5, 99, 9))        # prod differs from the twin
    with pytest.raises(PolicyViolation, match="meter 5 on dpid 2 already exists"):
        push(cs, prod, report, "CHG-5")


def test_a_path_not_measured_end_to_end_fails_path_checks():
    from netops_tools.checks import run_check

    class Truncated:
        def path(self, src, dst):
            return [src, "s1"]
    for check in ({"type": "path_avoids", "src": "h1", "dst": "h4", "avoid": ["s3"]},
                  {"type": "path_via", "src": "h1", "dst": "h4", "via": ["s1"]}):
        result = run_check(check, Truncated())
        assert not result.passed and "not measured end to end" in result.evidence
