from netops_tools.drivers.base import flow_table_digest
from netops_tools.sync import sync_flows
from tests.unit.netops_tools.conftest import routed_fake
from twin.model.changeset import ChangeSet, FlowRule, Meter


def test_twin_gets_prods_changesets_and_meters_and_loses_its_own(linear4):
    prod, twin = routed_fake(linear4), routed_fake(linear4)
    pushed = ChangeSet(flows_add=(FlowRule(2, 200, {"in_port": 1}, (), meter_id=3),),
                       meters_add=(Meter(2, 3, 1000, 100),))
    prod.add_meter(Meter(2, 3, 1000, 100))
    for rule in pushed.installed_flows():
        prod.add_flow(rule)
    twin.add_flow(FlowRule(1, 150, {"in_port": 2}, (), cookie=0x99))       # left over from a validation
    twin.add_meter(Meter(4, 8, 500, 50))
    report = sync_flows(prod, twin)
    counts = (report.flows_added, report.flows_removed, report.meters_added, report.meters_removed)
    assert counts == (1, 1, 1, 1)
    for dpid in prod.switches():
        assert flow_table_digest(twin.flows(dpid)) == flow_table_digest(prod.flows(dpid))
        assert twin.meters(dpid) == prod.meters(dpid)
    assert sync_flows(prod, twin) == type(report)(0, 0, 0, 0)
