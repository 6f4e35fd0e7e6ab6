"""`aaas whatif`: failure what-if questions answered analytically on the topology model.

    aaas whatif link A B [--topology edge6g] [--slices FILE] [--emulate twin] [--json]
    aaas whatif node N   [--topology edge6g] [--slices FILE] [--emulate twin] [--json]
    aaas whatif all-links [--topology FILE] [--top 20] [--json]

--slices FILE is a JSON list of admitted slices:
[{"name", "rate_mbps", "latency_ms", "paths": [[host, switch, ..., host], ...]}].
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from aaas.cli.errors import EXIT_EXTERNAL, EXIT_USAGE, CliFailure, reported
from twin.analysis.errors import AnalysisError
from twin.analysis.slices import AdmittedSlice
from twin.analysis.whatif import FailureRanking, WhatIfAnswer, all_single_link_failures, link_down, node_down
from twin.emu.errors import EmuError
from twin.model import ModelError, Topology, load_topology

ERRORS = {ModelError: EXIT_USAGE, AnalysisError: EXIT_USAGE, EmuError: EXIT_EXTERNAL}

topology_option = click.option("--topology", "topology_path", default="edge6g", show_default=True,
                               help="a name in topologies/ or a .yaml/.json/.gml/.graphml file")
json_option = click.option("--json", "as_json", is_flag=True, help="print one JSON object")
slices_option = click.option("--slices", "slices_path", type=click.Path(dir_okay=False),
                             help="JSON list of admitted slices to check")
limit_option = click.option("--limit", default=20, show_default=True, help="pairs to list per section (text)")
emulate_option = click.option("--emulate", "network", default=None, metavar="NETWORK",
                              help="also fail it on this running network, let the controller repair, "
                                   "measure, and restore")


@click.group()
def whatif() -> None:
    """What happens if a link or node fails (on the model; nothing is changed)."""


@whatif.command("link")
@click.argument("a")
@click.argument("b")
@topology_option
@slices_option
@emulate_option
@json_option
@limit_option
@reported(ERRORS)
def link_command(a: str, b: str, topology_path: str, slices_path: str | None, network: str | None,
                 as_json: bool, limit: int) -> None:
    """The effect of the link A-B going down."""
    if network:
        from twin.emu import Network
        from twin.emu.failures import emulate_link_down
        net = Network.load(network)
        answer = link_down(net.topology, a, b, _load_slices(slices_path))
        _show(answer.with_emulation(emulate_link_down(net, a, b)), as_json, limit)
        return
    topo = load_topology(topology_path)
    _show(link_down(topo, a, b, _load_slices(slices_path)), as_json, limit)


@whatif.command("node")
@click.argument("node")
@topology_option
@slices_option
@emulate_option
@json_option
@limit_option
@reported(ERRORS)
def node_command(node: str, topology_path: str, slices_path: str | None, network: str | None, as_json: bool,
                 limit: int) -> None:
    """The effect of NODE going down (with every link it has)."""
    if network:
        from twin.emu import Network
        from twin.emu.failures import emulate_node_down
        net = Network.load(network)
        answer = node_down(net.topology, node, _load_slices(slices_path))
        _show(answer.with_emulation(emulate_node_down(net, node)), as_json, limit)
        return
    topo = load_topology(topology_path)
    _show(node_down(topo, node, _load_slices(slices_path)), as_json, limit)


@whatif.command("all-links")
@topology_option
@click.option("--top", default=20, show_default=True, help="failures to show (0: all)")
@click.option("--include-access-links", is_flag=True, help="also fail each host's own link")
@json_option
@reported(ERRORS)
def all_links_command(topology_path: str, top: int, include_access_links: bool, as_json: bool) -> None:
    """Every single-link failure, most harmful first (disconnections, then degraded pairs)."""
    topo = load_topology(topology_path)
    ranking = all_single_link_failures(topo, include_access_links)
    if as_json:
        click.echo(json.dumps(ranking.to_dict(limit=top or None)))
    else:
        click.echo(_ranking_text(topo, ranking, top))


def _load_slices(path: str | None) -> tuple[AdmittedSlice, ...]:
    if path is None:
        return ()
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        return tuple(AdmittedSlice.from_dict(item) for item in doc)
    except OSError as exc:
        raise CliFailure(f"cannot read slices file {path}: {exc.strerror}", EXIT_USAGE) from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise CliFailure(f"slices file {path}: expected a JSON list of {{name, rate_mbps, latency_ms, "
                         f"paths}} objects ({exc})", EXIT_USAGE) from None


def _show(answer: WhatIfAnswer, as_json: bool, limit: int) -> None:
    if as_json:
        click.echo(json.dumps(answer.to_dict()))
        return
    s = answer.summary()
    stretch = "-" if s["max_latency_stretch"] is None else f"{s['max_latency_stretch']:.3f}x"
    lines = [f"{answer.scenario.describe()} on {answer.topology}: of {s['host_pairs']} connected host pairs, "
             f"{s['lost_pairs']} lose connectivity, {s['rerouted_pairs']} are rerouted "
             f"({s['degraded_pairs']} worse; mean +{s['mean_added_ms']:.4f} ms, worst stretch {stretch})"]
    lines += [f"  lost     {p.src} <-> {p.dst}" for p in answer.lost[:limit]]
    lines += _more(len(answer.lost), limit)
    worst = sorted(answer.rerouted, key=lambda p: -(p.added_ms or 0))[:limit]
    lines += [f"  rerouted {p.src} <-> {p.dst}: {p.before.latency_ms:.4f} -> {p.after.latency_ms:.4f} ms, "
              f"{p.before.hops} -> {p.after.hops} hops" for p in worst]
    lines += _more(len(answer.rerouted), limit)
    for impact in answer.slices:
        reasons = "; ".join(a.refusal.message for a in impact.after if a.refusal is not None)
        lines.append(f"  slice {impact.slice}: {impact.status}" + (f" ({reasons})" if reasons else ""))
    if answer.emulated is not None:
        measured = answer.emulated
        predicted = {tuple(sorted((p.src, p.dst))) for p in answer.lost}
        observed = {tuple(sorted(p)) for p in measured.lost_pairs}
        lines.append(f"  emulated ({measured.notes}): {len(observed)} host pairs lost after "
                     f"{measured.repair_seconds:.2f} s of controller repair ({measured.probes} probes); "
                     f"{'matches the model' if observed == predicted else 'DIFFERS from the model'}")
    click.echo("\n".join(lines))


def _more(count: int, limit: int) -> list[str]:
    return [f"  ... and {count - limit} more (--limit, --json)"] if count > limit else []


def _ranking_text(topo: Topology, ranking: FailureRanking, top: int) -> str:
    lines = [f"{len(ranking.failures)} single-link failures of {topo.name} "
             f"({ranking.host_pairs} connected host pairs), most harmful first:",
             f"  {'link':<24} {'disconnected':>12} {'degraded':>9} {'mean +ms':>9} {'max stretch':>11}"]
    for impact in ranking.top(top or len(ranking.failures)):
        stretch = "-" if impact.max_latency_stretch is None else f"{impact.max_latency_stretch:.3f}x"
        lines.append(f"  {impact.link:<24} {impact.disconnected_pairs:>12} {impact.degraded_pairs:>9} "
                     f"{impact.mean_added_ms:>9.4f} {stretch:>11}")
    return "\n".join(lines)
