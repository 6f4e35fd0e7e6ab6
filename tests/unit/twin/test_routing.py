from twin.analysis.routing import forwarding_table, host_path
from twin.controller.flows import CONTROLLER_COOKIE, is_controller_cookie, routing_flows, table_miss_flow
from twin.model import Addressing, Link, Node, Topology, load_topology


def ring(n: int) -> Topology:
    nodes = [Node(f"s{i}", "switch") for i in range(1, n + 1)] + [Node(f"h{i}", "host") for i in range(1, n + 1)]
    links = [Link(f"s{i}", f"s{i % n + 1}", 1000, 1.0) for i in range(1, n + 1)]
    links += [Link(f"h{i}", f"s{i}", 1000, 0.0) for i in range(1, n + 1)]
    return Topology.build("ring", nodes, links)


def test_addressing_is_deterministic_and_consistent():
    topo = load_topology("edge6g")
    a, b = Addressing.of(topo), Addressing.of(topo)
    assert a == b
    assert sorted(a.dpids.values()) == list(range(1, len(topo.switches()) + 1))
    ips = [h.ip for h in a.hosts.values()]
    assert len(set(ips)) == len(ips)
    for host in a.hosts.values():
        assert a.ports[(host.switch, host.name)] == host.port
    for switch in a.dpids:                        # port numbers are unique per switch
        ports = [p for (s, _), p in a.ports.items() if s == switch]
        assert len(ports) == len(set(ports))


def test_paths_follow_lowest_latency_and_never_transit_hosts():
    topo = load_topology("edge6g")
    assert host_path(topo, "cam1", "veh1") == ["cam1", "ru1", "du1", "ru2", "veh1"]
    # du2-du3 cross link (0.1 ms) beats going up through cu1-cu2 (0.1 + 0.2 + 0.1)
    assert host_path(topo, "cam2", "cam3") == ["cam2", "ru3", "du2", "du3", "ru5", "cam3"]
    assert host_path(topo, "cam1", "cloud1") == ["cam1", "ru1", "du1", "cu1", "core1", "cloud1"]


def test_ring_takes_the_short_way_round_and_every_switch_knows_every_host():
    topo = ring(6)
    assert host_path(topo, "h1", "h3") == ["h1", "s1", "s2", "s3", "h3"]
    assert host_path(topo, "h1", "h5") == ["h1", "s1", "s6", "s5", "h5"]
    addressing = Addressing.of(topo)
    entries = forwarding_table(topo, addressing)
    assert len(entries) == 6 * 6           # every switch, every host
    assert {(e.switch, e.host) for e in entries} == {(f"s{i}", f"h{j}") for i in range(1, 7) for j in range(1, 7)}


def test_unreachable_host_has_no_path():
    topo = Topology.build("split", [Node("s1", "switch"), Node("s2", "switch"), Node("h1", "host"),
                                    Node("h2", "host")],
                          [Link("h1", "s1", 1, 0), Link("h2", "s2", 1, 0)])
    assert host_path(topo, "h1", "h2") is None


def test_controller_flows_carry_the_protected_cookie():
    topo = load_topology("linear4")
    addressing = Addressing.of(topo)
    flows = routing_flows("s2", forwarding_table(topo, addressing), addressing)
    assert len(flows) == 2 * 4               # IPv4 and ARP per host
    assert all(is_controller_cookie(f["cookie"]) for f in flows)
    by_dst = {f["match"].get("ipv4_dst"): f["actions"][0]["port"] for f in flows if "ipv4_dst" in f["match"]}
    h1 = addressing.hosts["h1"].ip
    assert by_dst[h1] == addressing.ports[("s2", "s1")]
    assert table_miss_flow(3) == {"dpid": 3, "cookie": CONTROLLER_COOKIE, "priority": 0, "match": {},
                                  "actions": []}
    assert not is_controller_cookie(0xA5 << 56)
