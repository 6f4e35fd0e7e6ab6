import pytest

from twin.model.changeset import (
    CHANGESET_COOKIE_BYTE,
    ChangeSet,
    ChangeSetError,
    FlowRule,
    Meter,
    QueueSetting,
    SliceReservation,
    cookie_of,
    role_of_cookie,
)


def block(dst="10.0.0.2", priority=200):
    return FlowRule(1, priority, {"eth_type": 2048, "ipv4_dst": dst}, ())


def test_id_hashes_content_not_order_or_summary():
    a = ChangeSet(flows_add=(block("10.0.0.2"), block("10.0.0.3")), summary="one wording")
    b = ChangeSet(flows_add=(block("10.0.0.3"), block("10.0.0.2")), summary="another wording")
    c = ChangeSet(flows_add=(block("10.0.0.4"),))
    assert a.id == b.id
    assert a.id != c.id
    assert len(a.id) == 16


def test_cookie_top_byte_marks_changeset_flows():
    cs = ChangeSet(flows_add=(block(),))
    assert cs.cookie >> 56 == CHANGESET_COOKIE_BYTE
    assert role_of_cookie(cs.cookie) == "changeset"
    assert role_of_cookie(0xC0 << 56 | 5) == "controller"
    assert role_of_cookie(0) == "other"
    assert cookie_of(cs.id) == cs.cookie
    assert all(f.cookie == cs.cookie for f in cs.installed_flows())


def test_aliases_become_v13_names():
    rule = FlowRule(1, 5, {"nw_dst": "10.0.0.1", "dl_type": 2048, "tp_dst": 22})
    assert dict(rule.match) == {"eth_type": 2048, "ipv4_dst": "10.0.0.1", "tcp_dst": 22}
    with pytest.raises(ChangeSetError, match="twice"):
        FlowRule(1, 5, {"nw_dst": "10.0.0.1", "ipv4_dst": "10.0.0.1"})


def test_flow_to_ofctl_puts_meter_first():
    rule = FlowRule(2, 300, {"in_port": 1}, ({"type": "OUTPUT", "port": 2},), meter_id=7, idle_timeout=30)
    body = rule.to_ofctl(cookie=0xA5 << 56)
    assert body["actions"] == [{"type": "METER", "meter_id": 7}, {"type": "OUTPUT", "port": 2}]
    assert body["cookie"] == 0xA5 << 56 and body["idle_timeout"] == 30 and body["table_id"] == 0


def test_meter_always_kbps_and_burst():
    body = Meter(1, 3, rate_kbps=10000, burst_kb=1000).to_ofctl()
    assert body["flags"] == ["KBPS", "BURST"]
    assert body["bands"] == [{"type": "DROP", "rate": 10000, "burst_size": 1000}]


@pytest.mark.parametrize("build, problem", [
    (lambda: FlowRule(0, 1), "dpid"),
    (lambda: FlowRule(1, 70000), "priority"),
    (lambda: FlowRule(1, 1, actions=({"port": 1},)), "type"),
    (lambda: Meter(1, 1, 0, 1), "rate_kbps"),
    (lambda: QueueSetting("s1", 1, 1, 20, 10, 8), "min_rate"),
    (lambda: QueueSetting("s1", 1, 1, 1, 10, 64), "dscp"),
    (lambda: ChangeSet(), "at least one"),
    (lambda: ChangeSet(flows_add=(block(),), checks=({"type": "teleport"},)), "type"),
    (lambda: ChangeSet(flows_add=(block(),), checks=({"type": "reachable", "src": "h1"},)), "dst"),
    (lambda: ChangeSet(flows_add=(block(), block())), "twice"),
    (lambda: ChangeSet(flows_remove=(block(),)), "installed cookie"),
    (lambda: ChangeSet(flows_add=(block().with_cookie(5),)), "no cookie"),
])
def test_malformed_parts_are_refused_with_reason(build, problem):
    with pytest.raises(ChangeSetError, match=problem):
        build()


def test_round_trip_and_tamper_detection():
    cs = ChangeSet(flows_add=(block(),), meters_add=(Meter(1, 1, 5000, 500),),
                   queues_add=(QueueSetting("s1", 3, 1, 10, 100, 8),),
                   slices=(SliceReservation("video", 10, ("s1-s2",)),),
                   checks=({"type": "blocked", "src": "h1", "dst": "h2"},), summary="block h2")
    doc = cs.to_dict()
    assert ChangeSet.from_dict(doc) == cs
    doc["flows_add"][0]["priority"] = 1
    with pytest.raises(ChangeSetError, match="edited"):
        ChangeSet.from_dict(doc)


def test_ryu_transport_port_alias_follows_the_ip_protocol():
    # Ryu's flow stats print tcp_dst and udp_dst alike as tp_dst, next to nw_proto
    assert dict(FlowRule(1, 5, {"nw_proto": 17, "tp_dst": 53}).match) == {"ip_proto": 17, "udp_dst": 53}
    assert dict(FlowRule(1, 5, {"nw_proto": 6, "tp_dst": 22}).match) == {"ip_proto": 6, "tcp_dst": 22}


def test_the_model_imports_nothing_heavy():
    import subprocess
    import sys
    code = ("import sys, twin.model.changeset; "
            "print(sorted(m for m in ('httpx', 'pydantic', 'networkx', 'os_ken', 'mininet', 'sqlite3') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr
