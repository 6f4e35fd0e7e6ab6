"""`aaas twin ...`: bring emulated networks up and down, see them, probe them."""

from __future__ import annotations

import json
import time

import click

from aaas.cli.errors import EXIT_ENVIRONMENT, EXIT_EXTERNAL, EXIT_USAGE, CliFailure, reported
from aaas.cli.render import matrix_text, topology_text
from twin.emu import EmuError, EnvironmentMissing, Network, NetworkBusy, NetworkNotFound, clean, down, up
from twin.emu.state import all_states, pid_alive
from twin.model import TopologyError, load_topology

ERRORS = {TopologyError: EXIT_USAGE, NetworkBusy: EXIT_USAGE, NetworkNotFound: EXIT_USAGE,
          EnvironmentMissing: EXIT_ENVIRONMENT, EmuError: EXIT_EXTERNAL}


@click.group()
def twin() -> None:
    """Emulated networks (Mininet + Open vSwitch + the project's controller)."""


@twin.command("up")
@click.option("--topology", "topology_name", default="edge6g", show_default=True,
              help="a name in topologies/ or a YAML/GML/GraphML file")
@click.option("--name", default="twin", show_default=True, help="network name (twin, prod, ...)")
@click.option("--no-shaping", is_flag=True, help="do not shape links to their bandwidth")
@click.option("--json", "as_json", is_flag=True)
@reported(ERRORS)
def twin_up(topology_name: str, name: str, no_shaping: bool, as_json: bool) -> None:
    """Bring a network up and leave it running."""
    topo = load_topology(topology_name)
    started = time.monotonic()

    def progress(status: str) -> None:
        if not as_json:
            click.echo(f"[{time.monotonic() - started:5.1f}s] {name}: {status}", err=True)

    net = up(topo, name, shape_links=not no_shaping, progress=progress)
    summary = _summary(net)
    click.echo(json.dumps(summary) if as_json else
               f"{name} is up: {summary['switches']} switches, {summary['hosts']} hosts, controller "
               f"{summary['controller']} (ready in {summary['ready_s']:.1f} s)")


@twin.command("status")
@click.option("--json", "as_json", is_flag=True)
@reported(ERRORS)
def twin_status(as_json: bool) -> None:
    """List the networks the project has up."""
    rows = []
    for state in all_states():
        alive = pid_alive(state.keeper_pid, "twin.emu.keeper")
        rows.append({"name": state.name, "status": state.status if alive else "dead", "prefix": state.prefix,
                     "hosts": len(state.host_pids), "switches": len(state.switch_pids),
                     "controller": f"http://127.0.0.1:{state.rest_port}" if state.rest_port else None,
                     "error": state.error})
    if as_json:
        click.echo(json.dumps({"networks": rows}))
        return
    if not rows:
        click.echo("no networks are up")
    for row in rows:
        error = f"  {row['error']}" if row["error"] else ""
        click.echo(f"{row['name']:10} {row['status']:8} prefix {row['prefix']}  {row['switches']} switches, "
                   f"{row['hosts']} hosts  {row['controller'] or ''}{error}")


@twin.group("probe")
def twin_probe() -> None:
    """Measure the data plane from inside host namespaces."""


@twin_probe.command("reachability")
@click.argument("src", required=False)
@click.argument("dst", required=False)
@click.option("--name", default="twin", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@reported(ERRORS)
def probe_reachability(src: str | None, dst: str | None, name: str, as_json: bool) -> None:
    """One pair, or every ordered pair when SRC and DST are omitted. Exit 1 if any fails."""
    net = Network.load(name)
    if (src is None) != (dst is None):
        raise CliFailure("give both SRC and DST, or neither for all pairs", EXIT_USAGE)
    pairs = [(src, dst)] if src else None
    for host in (src, dst):
        if host is not None:
            net.ip(host)
    matrix = net.reachability(pairs)
    if as_json:
        click.echo(json.dumps(matrix.to_json()))
    elif src:
        ok = matrix.reachable[(src, dst)]
        rtt = matrix.rtt_ms.get((src, dst))
        click.echo(f"{src} -> {dst}: {'reachable' if ok else 'UNREACHABLE'}"
                   + (f" (rtt {rtt:.2f} ms)" if rtt is not None else ""))
    else:
        click.echo(matrix_text(matrix.hosts, matrix.reachable))
        click.echo(f"{matrix.reachable_pairs}/{matrix.pairs} pairs reachable in {matrix.seconds:.2f} s")
    if matrix.reachable_pairs != matrix.pairs:
        raise SystemExit(1)


@twin_probe.command("throughput")
@click.argument("src")
@click.argument("dst")
@click.option("--name", default="twin", show_default=True)
@click.option("--seconds", default=2.0, show_default=True)
@click.option("--udp-mbps", type=float, default=None, help="UDP at this offered rate instead of TCP")
@click.option("--json", "as_json", is_flag=True)
@reported(ERRORS)
def probe_throughput(src: str, dst: str, name: str, seconds: float, udp_mbps: float | None,
                     as_json: bool) -> None:
    """iperf3 from SRC to DST."""
    result = Network.load(name).throughput(src, dst, seconds=seconds, udp_mbps=udp_mbps)
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        click.echo(f"{src} -> {dst} {result.protocol}: {result.mbps:.1f} Mbit/s received "
                   f"({result.sender_mbps:.1f} sent) over {seconds:g} s")


@twin.command("down")
@click.option("--name", default="twin", show_default=True)
@reported(ERRORS)
def twin_down(name: str) -> None:
    """Take a network down: everything it started, nothing else."""
    down(name)
    click.echo(f"{name} is down")


@twin.command("clean")
@reported(ERRORS)
def twin_clean() -> None:
    """Remove what the project's networks left behind (after a crash too), and only that."""
    removed = clean()
    click.echo(f"removed {len(removed)} network(s){': ' + ', '.join(removed) if removed else ''}")


@twin.command("show")
@click.option("--topology", "topology_name", default="edge6g", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@reported(ERRORS)
def twin_show(topology_name: str, as_json: bool) -> None:
    """Print a topology file as the twin models it (no emulation)."""
    from twin.model import topology_to_document
    topo = load_topology(topology_name)
    click.echo(json.dumps(topology_to_document(topo)) if as_json else topology_text(topo))


@twin.command("capabilities")
@click.option("--json", "as_json", is_flag=True)
def twin_capabilities(as_json: bool) -> None:
    """What this kernel lets the emulation do (netem delays, HTB shaping)."""
    from twin.emu.capabilities import probe
    caps = probe()
    click.echo(json.dumps(caps.to_json()) if as_json else caps.detail)


def _summary(net: Network) -> dict:
    return {"name": net.name, "switches": len(net.topology.switches()), "hosts": len(net.topology.hosts()),
            "controller": net.controller_url, "ready_s": net.state.ready_s or 0.0,
            "prefix": net.state.prefix}
