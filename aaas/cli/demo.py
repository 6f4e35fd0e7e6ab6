"""`aaas demo`: the main job, end to end, on the reference topology."""

from __future__ import annotations

import json
import time

import click

from aaas.cli.errors import EXIT_ENVIRONMENT, EXIT_EXTERNAL, reported
from aaas.cli.render import matrix_text, topology_text
from twin.emu import EmuError, EnvironmentMissing, down, up
from twin.model import load_topology


@click.command()
@click.option("--topology", "topology_name", default="edge6g", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@reported({EnvironmentMissing: EXIT_ENVIRONMENT, EmuError: EXIT_EXTERNAL})
def demo(topology_name: str, as_json: bool) -> None:
    """Bring up the reference topology with its controller, show it and its measured
    reachability, and take it down again."""
    topo = load_topology(topology_name)
    started = time.monotonic()
    if not as_json:
        click.echo(topology_text(topo))
        click.echo("\nbringing the network up on Mininet/OVS with the project's controller ...")
    net = up(topo, "demo")
    try:
        ready = time.monotonic() - started
        matrix = net.reachability()
    finally:
        down("demo")
    if as_json:
        click.echo(json.dumps({"topology": topo.name, "ready_s": round(ready, 3), **matrix.to_json()}))
        return
    click.echo(f"up and programmed in {ready:.1f} s; reachability measured inside the host namespaces:\n")
    click.echo(matrix_text(matrix.hosts, matrix.reachable))
    click.echo(f"\n{matrix.reachable_pairs}/{matrix.pairs} host pairs reachable "
               f"(probed in {matrix.seconds:.2f} s); network taken down.")
    if matrix.reachable_pairs != matrix.pairs:
        raise SystemExit(1)
