import pytest

from netops_tools.matching import MatchError, covers, overlaps, packet_matches

IP = {"eth_type": 2048}


def test_wildcard_covers_everything_and_overlaps_everything():
    assert covers({}, {**IP, "ipv4_dst": "10.0.0.1"})
    assert not covers({**IP, "ipv4_dst": "10.0.0.1"}, {})
    assert overlaps({}, {"in_port": 3})


def test_prefixes():
    net = {**IP, "ipv4_dst": "10.0.0.0/24"}
    host = {**IP, "ipv4_dst": "10.0.0.7"}
    other = {**IP, "ipv4_dst": "10.0.1.7"}
    assert covers(net, host) and not covers(host, net)
    assert overlaps(net, host) and not overlaps(net, other)
    assert covers({**IP, "ipv4_dst": "10.0.0.0/255.255.255.0"}, host)


def test_prerequisites_make_tcp_and_udp_disjoint():
    tcp = {"tcp_dst": 53}
    udp = {"udp_dst": 53}
    assert not overlaps(tcp, udp)
    assert overlaps(tcp, {"ip_proto": 6})
    assert not overlaps(tcp, {"ip_proto": 17})
    assert covers({"eth_type": 2048}, {"ipv4_src": "10.0.0.1"})   # ipv4_* implies eth_type 0x0800
    assert not overlaps({"eth_type": 0x86DD}, {"ipv4_src": "10.0.0.1"})


def test_macs_and_masks():
    assert covers({"eth_dst": "00:00:00:00:00:00/01:00:00:00:00:00"}, {"eth_dst": "00:00:00:00:00:02"})
    assert not covers({"eth_dst": "00:00:00:00:00:00/01:00:00:00:00:00"}, {"eth_dst": "01:00:00:00:00:02"})
    assert overlaps({"metadata": "0x1/0xff"}, {"metadata": "0x101"})


def test_packet_matches_exact_fields():
    packet = {**IP, "ip_proto": 6, "ipv4_src": "10.0.0.1", "ipv4_dst": "10.0.0.2", "tcp_dst": 22,
              "in_port": 1}
    assert packet_matches({"tcp_dst": 22}, packet)
    assert not packet_matches({"tcp_dst": 80}, packet)
    assert not packet_matches({"udp_dst": 22}, packet)


@pytest.mark.parametrize("match, field", [({"ipv4_dst": "10.0.0.300"}, "ipv4_dst"),
                                          ({"eth_src": "zz"}, "eth_src"), ({"tcp_dst": "ssh"}, "tcp_dst")])
def test_bad_values_name_the_field(match, field):
    with pytest.raises(MatchError, match=field):
        overlaps(match, {})
