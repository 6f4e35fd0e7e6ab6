import json

from click.testing import CliRunner

from aaas.cli.whatif import whatif


def run(*args):
    return CliRunner().invoke(whatif, list(args), catch_exceptions=False)


def test_link_json_lists_the_lost_pairs():
    result = run("link", "cu1", "du1", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["summary"]["lost_pairs"] == 18 and doc["scenario"]["failed_links"] == ["cu1-du1"]
    assert doc["emulated"] is None


def test_node_text_and_slices_file(tmp_path):
    slices = tmp_path / "slices.json"
    slices.write_text(json.dumps([{"name": "s1", "rate_mbps": 20, "latency_ms": 1.3,
                                   "paths": [["cam2", "ru3", "du2", "du3", "ru5", "cam3"]]}]))
    result = run("node", "du3", "--slices", str(slices))
    assert result.exit_code == 0 and "node du3 down" in result.output
    assert "slice s1: disconnected" in result.output
    assert run("link", "du2", "du3", "--slices", str(slices), "--json").exit_code == 0


def test_all_links_ranked_as_json(tmp_path):
    result = run("all-links", "--json", "--top", "3")
    doc = json.loads(result.output)
    assert doc["links"] == 18 and len(doc["failures"]) == 3
    assert doc["failures"][0]["disconnected_pairs"] == 18


def test_unknown_link_and_bad_slices_are_usage_errors(tmp_path):
    assert run("link", "cu1", "du4").exit_code == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = run("link", "cu1", "du1", "--slices", str(bad))
    assert result.exit_code == 2 and "slices file" in result.output
