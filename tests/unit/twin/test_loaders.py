from pathlib import Path

import pytest

from twin.model import Addressing, load_topology
from twin.model.zoo import DEFAULT_BANDWIDTH_MBPS, DEFAULT_DELAY_MS, great_circle_km

ZOO = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "topologyzoo"


def zoo_files():
    files = sorted(ZOO.glob("*.gml"))
    assert len(files) == 276, f"expected the 276 Topology Zoo files in {ZOO}"
    return files


def test_every_topology_zoo_file_loads_into_an_emulatable_topology():
    for path in zoo_files():
        topo = load_topology(path)
        assert topo.switches(), path.name
        assert len(topo.hosts()) == len(topo.switches()), path.name     # one host per switch
        addressing = Addressing.of(topo)
        assert len(set(addressing.dpids.values())) == len(topo.switches())
        for host in topo.hosts():
            assert topo.nodes[topo.attachment(host.name)].is_switch


def test_zoo_delay_is_great_circle_distance_at_fibre_speed():
    topo = load_topology(ZOO / "Abilene.gml")
    by_label = {n.label: n for n in topo.nodes.values() if n.label}
    ny, chicago = by_label["New York"], by_label["Chicago"]
    link = topo.link(ny.name, chicago.name)
    km = great_circle_km(ny.latitude, ny.longitude, chicago.latitude, chicago.longitude)
    assert 1100 < km < 1200
    assert link.delay_ms == pytest.approx(km / 200.0, rel=1e-3)


def test_zoo_bandwidth_from_linkspeedraw_or_documented_default(tmp_path):
    gml = tmp_path / "tiny.gml"
    gml.write_text('graph [ node [ id 0 label "a" ] node [ id 1 label "b" ] node [ id 2 label "c" ]\n'
                   'edge [ source 0 target 1 LinkSpeedRaw 10000000000.0 ] edge [ source 1 target 2 ] ]')
    topo = load_topology(gml, hosts_per_switch=0)
    assert topo.link("n0", "n1").bandwidth_mbps == 10000
    assert topo.link("n1", "n2").bandwidth_mbps == DEFAULT_BANDWIDTH_MBPS
    assert topo.link("n1", "n2").delay_ms == DEFAULT_DELAY_MS


def test_parallel_edges_merge_and_self_loops_drop(tmp_path):
    gml = tmp_path / "multi.gml"
    gml.write_text("graph [ node [ id 0 ] node [ id 1 ] edge [ source 0 target 1 LinkSpeedRaw 1e9 ]\n"
                   "edge [ source 1 target 0 LinkSpeedRaw 1e9 ] edge [ source 1 target 1 ] ]")
    topo = load_topology(gml, hosts_per_switch=0)
    assert len(topo.links) == 1 and topo.links[0].bandwidth_mbps == 2000


def test_graphml_loads(tmp_path):
    graphml = tmp_path / "g.graphml"
    graphml.write_text("""<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
 <key id="d0" for="node" attr.name="Latitude" attr.type="double"/>
 <key id="d1" for="node" attr.name="Longitude" attr.type="double"/>
 <key id="d2" for="edge" attr.name="LinkSpeedRaw" attr.type="double"/>
 <graph edgedefault="undirected">
  <node id="0"><data key="d0">48.85</data><data key="d1">2.35</data></node>
  <node id="1"><data key="d0">51.5</data><data key="d1">-0.12</data></node>
  <edge source="0" target="1"><data key="d2">1e8</data></edge>
 </graph>
</graphml>""")
    topo = load_topology(graphml)
    assert len(topo.switches()) == 2 and len(topo.hosts()) == 2
    link = topo.link("n0", "n1")
    assert link.bandwidth_mbps == 100
    assert 1.6 < link.delay_ms < 1.8          # Paris-London ~344 km


def test_edge6g_has_the_reference_names_and_tiers():
    topo = load_topology("edge6g")
    roles = {n.name: n.role for n in topo.nodes.values()}
    assert roles["core1"] == "core" and roles["cu1"] == roles["cu2"] == "cu"
    assert {f"du{i}" for i in range(1, 5)} | {f"ru{i}" for i in range(1, 9)} <= set(roles)
    assert topo.attachment("cloud1") == "core1"
    assert topo.attachment("edge1") == "cu1" and topo.attachment("edge2") == "cu2"
    for i, ru in enumerate(["ru1", "ru3", "ru5", "ru7"], start=1):
        assert topo.attachment(f"cam{i}") == ru
    for i, ru in enumerate(["ru2", "ru4", "ru6", "ru8"], start=1):
        assert topo.attachment(f"veh{i}") == ru
    assert set(topo.neighbors("du1")) == {"cu1", "ru1", "ru2"}
    assert set(topo.neighbors("du2")) == {"cu1", "ru3", "ru4", "du3"}
    assert "cu2" in topo.neighbors("cu1") and "core1" in topo.neighbors("cu2")
    assert topo.nodes["edge1"].capacity.cpu > 0


def test_fattree_and_linear_ship():
    fat = load_topology("fattree4")
    assert (len(fat.switches()), len(fat.hosts()), len(fat.links)) == (20, 16, 48)
    lin = load_topology("linear4")
    assert (len(lin.switches()), len(lin.hosts())) == (4, 4)


def test_compute_hosts_give_cu_and_du_servers_a_namespace():
    topo = load_topology("edge6g").with_compute_hosts()
    for node in ("cu1", "cu2", "du1", "du4", "core1"):
        assert topo.attachment(f"{node}_srv") == node
    assert "ru1_srv" not in topo.nodes          # RUs carry no compute
