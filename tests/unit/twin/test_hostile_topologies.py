"""Broken or hostile files give one TopologyError naming the file, the element and the problem."""

import pytest

from twin.model import TopologyError, load_topology

GML_CASES = {
    "dangling edge": ("graph [ node [ id 0 ] edge [ source 0 target 7 ] ]", "edge #0", "not declared"),
    "duplicate ids": ("graph [ node [ id 0 ] node [ id 0 ] ]", "node id '0'", "duplicate"),
    "no nodes": ("graph [ edge [ source 0 target 1 ] ]", "graph", "no nodes"),
    "wrong type": ('graph [ node [ id 0 Latitude "north" ] ]', "node id '0'", "Latitude must be a number"),
    "list as speed": ("graph [ node [ id 0 ] node [ id 1 ] edge [ source 0 target 1 LinkSpeedRaw [ a 1 ] ] ]",
                      "edge #0", "LinkSpeedRaw must be a number"),
    "unterminated string": ('graph [ node [ id 0 label "oops ] ]', "line 1", "unterminated string"),
    "unclosed list": ("graph [ node [ id 0 ]", "line 1", "never closed"),
    "deep nesting": ("graph [ " + "a [ " * 20 + "]" * 20 + " ]", "line 1", "nested deeper"),
    "two graphs": ("graph [ node [ id 0 ] ] graph [ node [ id 1 ] ]", "document", "exactly one"),
    "latitude out of range": ("graph [ node [ id 0 Latitude 123 Longitude 0 ] ]", "node 'n0'", "outside"),
    "garbage": ("graph [ node [ id 0 ] } ]", "line 1", "unexpected text"),
}


@pytest.mark.parametrize("case", sorted(GML_CASES))
def test_hostile_gml(tmp_path, case):
    text, element, problem = GML_CASES[case]
    path = tmp_path / "bad.gml"
    path.write_text(text)
    with pytest.raises(TopologyError) as info:
        load_topology(path)
    message = str(info.value)
    assert str(path) in message and element in message and problem in message, message


def test_ten_megabyte_label_is_refused_by_name(tmp_path):
    path = tmp_path / "huge.gml"
    path.write_text('graph [ node [ id 0 label "' + "x" * (10 * 1024 * 1024) + '" ] ]')
    with pytest.raises(TopologyError) as info:
        load_topology(path)
    assert "node id '0'" in str(info.value) and "label is 10485760 characters" in str(info.value)


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.gml"
    path.write_bytes(b"#" * (17 * 1024 * 1024))
    with pytest.raises(TopologyError, match="limit is"):
        load_topology(path)


def test_binary_file(tmp_path):
    path = tmp_path / "bin.gml"
    path.write_bytes(b"\xff\xfe\x00graph")
    with pytest.raises(TopologyError, match="not UTF-8"):
        load_topology(path)


YAML_CASES = {
    "unknown role": ("nodes: [{name: a, role: router}]\nlinks: [{a: a, b: a}]", "node 'a'", "unknown role"),
    "missing node": ("nodes: [{name: s1, role: switch}]\nlinks: [{a: s1, b: s9}]", "link #0", "not a declared"),
    "duplicate": ("nodes: [{name: s1, role: switch}, {name: s1, role: switch}]\nlinks: [{a: s1, b: s1}]",
                  "node 's1'", "duplicate"),
    "negative bandwidth": ("nodes: [{name: s1, role: switch}, {name: s2, role: switch}]\n"
                           "links: [{a: s1, b: s2, bandwidth_mbps: -5}]", "link #0", "bandwidth_mbps"),
    "string delay": ("nodes: [{name: s1, role: switch}, {name: s2, role: switch}]\n"
                     "links: [{a: s1, b: s2, delay_ms: fast}]", "link #0", "delay_ms must be a number"),
    "host with two links": ("nodes: [{name: s1, role: switch}, {name: s2, role: switch}, {name: h, role: host}]\n"
                            "links: [{a: s1, b: h}, {a: s2, b: h}]", "node 'h'", "exactly one link"),
    "unknown field": ("nodes: [{name: s1, role: switch, colour: red}]\nlinks: []", "nodes[0]", "unknown field"),
    "bad name": ("nodes: [{name: 'Bad Name!', role: switch}]\nlinks: [{a: x, b: y}]", "node", "name must be"),
    "not a mapping": ("- just\n- a list", "document", "must be a mapping"),
    "bad yaml": ("nodes: [unclosed", "line", "not valid YAML"),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_hostile_yaml(tmp_path, case):
    text, element, problem = YAML_CASES[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(TopologyError) as info:
        load_topology(path)
    message = str(info.value)
    assert str(path) in message and element in message and problem in message, message


def test_dangling_graphml_edge(tmp_path):
    path = tmp_path / "bad.graphml"
    path.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph>'
                    '<node id="a"/><edge source="a" target="zz"/></graph></graphml>')
    with pytest.raises(TopologyError, match="not declared"):
        load_topology(path)


def test_malformed_graphml(tmp_path):
    path = tmp_path / "bad.graphml"
    path.write_text("<graphml><graph><node id='a'></graph>")
    with pytest.raises(TopologyError, match="not well-formed XML"):
        load_topology(path)


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(TopologyError, match="unknown topology format"):
        load_topology(tmp_path / "x.txt")
    with pytest.raises(TopologyError, match="not found"):
        load_topology("no-such-topology")
