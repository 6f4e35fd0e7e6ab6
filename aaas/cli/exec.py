"""`aaas exec`: the shared edge executor (node executors, deploy, invoke, instances, stats).

Executors are long-lived processes (one per compute node), recorded in the state folder so
that successive commands reuse them; `aaas exec up` / `down` start and stop them explicitly,
`deploy` starts them when none run. With `--twin NAME` they run inside the namespaces of the
emulated network brought up by `aaas twin up --name NAME`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from aaas.cli.errors import EXIT_CHECK_FAILED, EXIT_ENVIRONMENT, EXIT_EXTERNAL, EXIT_USAGE, reported
from edge_exec.errors import (
    EnvironmentMissing,
    ExecutorError,
    FunctionError,
    InvocationError,
    PlacementError,
)
from twin.model import TopologyError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ERRORS = {FunctionError: EXIT_USAGE, TopologyError: EXIT_USAGE, PlacementError: EXIT_CHECK_FAILED,
          InvocationError: EXIT_CHECK_FAILED, EnvironmentMissing: EXIT_ENVIRONMENT,
          ExecutorError: EXIT_EXTERNAL}


def _cluster(ctx: click.Context):
    from edge_exec.catalog import builtin_functions
    from edge_exec.cluster import EdgeCluster, twin_addresses, twin_netns
    from edge_exec.functions import FunctionRegistry
    from twin.model import load_topology

    opts = ctx.obj
    topology = load_topology(opts["topology"])
    # on a twin, executors also listen on their node's address there (invoke only), so that
    # requests from the twin's hosts reach them over the emulated links
    on_twin = {"netns": twin_netns(opts["twin"]), "addresses": twin_addresses(opts["twin"])} if opts["twin"] else {}
    state = Path(opts["state"]) / topology.name
    return EdgeCluster(topology, state, registry=FunctionRegistry(builtin_functions()),
                       keep_alive_s=opts["keep_alive"], **on_twin)


def _emit(data, as_json: bool, lines) -> None:
    if as_json:
        click.echo(json.dumps(data, indent=2, default=str))
    else:
        for line in lines(data):
            click.echo(line)


@click.group("exec")
@click.option("--topology", default="edge6g", show_default=True, help="Topology name or file.")
@click.option("--state", default=str(PROJECT_ROOT / ".aaas" / "edge_exec"), show_default=True,
              help="Folder for executor sockets, logs and profiles.")
@click.option("--twin", default=None, help="Run executors inside this emulated network's namespaces.")
@click.option("--keep-alive", default=30.0, show_default=True, help="Seconds an idle instance stays warm.")
@click.pass_context
def exec_group(ctx: click.Context, topology: str, state: str, twin: str | None, keep_alive: float) -> None:
    """The edge executor: wasm, container and process runtimes on the topology's compute nodes."""
    ctx.obj = {"topology": topology, "state": state, "twin": twin, "keep_alive": keep_alive}


@exec_group.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reported(ERRORS)
def nodes(ctx: click.Context, as_json: bool) -> None:
    """Compute nodes, their capacity and their executor's load."""
    from edge_exec.cluster import compute_nodes

    cluster = _cluster(ctx)
    loads = cluster.loads()
    rows = []
    for name in compute_nodes(cluster.topology):
        node, load = cluster.topology.node(name), loads.get(name, {})
        cap = load.get("capacity", {})
        rows.append({"node": name, "role": node.role, "cpu": node.capacity.cpu,
                     "memory_mib": node.capacity.memory_mib, "accelerator": node.capacity.accelerator,
                     "executor_pid": cluster.handles[name].pid if name in cluster.handles else None,
                     "draining": load.get("draining", False), "reserved_cpu": cap.get("reserved_cpu", 0.0),
                     "reserved_memory_mib": cap.get("reserved_memory_mib", 0),
                     "instances": len(load.get("instances", []))})
    _emit(rows, as_json, lambda rs: [f"{r['node']:8} {r['role']:5} cpu {r['reserved_cpu']}/{r['cpu']:<5} "
                                     f"mem {r['reserved_memory_mib']}/{r['memory_mib']} MiB "
                                     f"{r['accelerator'] or '-':4} instances {r['instances']:<3} "
                                     f"{'pid ' + str(r['executor_pid']) if r['executor_pid'] else 'stopped'}"
                                     f"{' draining' if r['draining'] else ''}" for r in rs])


@exec_group.command()
@click.option("--nodes", "names", default="", help="Comma-separated nodes (default: every compute node).")
@click.pass_context
@reported(ERRORS)
def up(ctx: click.Context, names: str) -> None:
    """Start the node executors."""
    handles = _cluster(ctx).start([n for n in names.split(",") if n] or None)
    click.echo(f"{len(handles)} node executors running")


@exec_group.command()
@click.pass_context
@reported(ERRORS)
def down(ctx: click.Context) -> None:
    """Stop every node executor (instances are removed, cgroups cleaned up)."""
    cluster = _cluster(ctx)
    count = len(cluster.handles)
    cluster.stop()
    click.echo(f"stopped {count} node executors")


def _function(cluster, name: str, spec: str | None, python: str | None, wasm: str | None, export: str | None):
    from edge_exec.functions import Function, WasmArtifact

    if spec:
        return Function.from_dict(json.loads(Path(spec).read_text()) | {"name": name})
    if python or wasm:
        artifact = WasmArtifact(str(Path(wasm).resolve()), export or name) if wasm else None
        return Function(name, artifact, python)
    return cluster.registry.get(name)


@exec_group.command()
@click.argument("function")
@click.option("--near", required=True, help="Node the data comes from (placement is nearest to it).")
@click.option("--spec", type=click.Path(exists=True, dir_okay=False), help="Function as JSON (see README).")
@click.option("--python", help="Python entry point module:function (bytes in, bytes/str/JSON out).")
@click.option("--wasm", type=click.Path(exists=True, dir_okay=False), help="WASI reactor module.")
@click.option("--export", help="Kernel export of the wasm module (default: the function name).")
@click.pass_context
@reported(ERRORS)
def deploy(ctx: click.Context, function: str, near: str, spec, python, wasm, export) -> None:
    """Deploy FUNCTION on every node executor (starting them if needed) and show its placement."""
    cluster = _cluster(ctx)
    definition = _function(cluster, function, spec, python, wasm, export)    # usage errors first
    cluster.topology.node(near)
    if not cluster.handles:
        cluster.start()
    placement = cluster.deploy(definition, near=near)
    click.echo(f"{function}: deployed on {len(cluster.handles)} nodes; near {near} it runs on "
               f"{placement.node} ({placement.hops} hops, {placement.latency_ms:.3f} ms modelled)")


@exec_group.command()
@click.argument("function")
@click.option("--input", "input_file", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--near", default=None, help="Data source node (default: the one given at deploy).")
@click.option("--runtime", type=click.Choice(["wasm", "container", "process"]), default=None,
              help="Force a runtime (default: chosen from measured profiles).")
@click.option("--output", "output_file", type=click.Path(dir_okay=False), default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reported(ERRORS)
def invoke(ctx: click.Context, function: str, input_file: str, near, runtime, output_file, as_json) -> None:
    """Run FUNCTION once on the input file's bytes."""
    cluster = _cluster(ctx)
    source = near or cluster.sources.get(function)
    if source is None:
        raise click.UsageError(f"no --near given and {function} was not deployed with --near")
    try:
        result = cluster.invoke(function, Path(input_file).read_bytes(), source, runtime)
    finally:
        cluster.save()                   # failures are measurements too
    if output_file:
        Path(output_file).write_bytes(result.output)
    meta = result.meta | {"output_bytes": len(result.output)}
    if not output_file:
        text = result.output.isascii() and result.output.decode().isprintable()
        meta["output"] = result.output.decode() if text else result.output.hex()
    _emit(meta, as_json, lambda m: [f"{m['function']} on {m['node']} ({m['runtime']}, "
                                    f"{'cold' if m['cold'] else 'warm'}) {m['latency_ms']:.3f} ms, "
                                    f"peak {m['peak_mib']:.2f} MiB, {m['hops']} hops from {m['source']}",
                                    f"output: {m.get('output', output_file)}"])


@exec_group.command("ls")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reported(ERRORS)
def list_instances(ctx: click.Context, as_json: bool) -> None:
    """Instances held by every node executor."""
    rows = [row for load in _cluster(ctx).loads().values() for row in load.get("instances", [])]
    _emit(rows, as_json, lambda rs: [f"{r['instance']:28} {r['runtime']:9} in-flight {r['in_flight']} "
                                     f"served {r['served']:<5} idle {r['idle_s']:.1f} s" for r in rs]
          or ["no instances (scaled to zero)"])


@exec_group.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reported(ERRORS)
def stats(ctx: click.Context, as_json: bool) -> None:
    """Per-node counters and the measured runtime profiles that drive the runtime choice."""
    data = _cluster(ctx).stats()

    def lines(d):
        for node, load in d["nodes"].items():
            c = load.get("counters", {})
            yield (f"{node:8} requests {c.get('requests', 0):<6} started {c.get('instances_started', 0):<4} "
                   f"removed {c.get('instances_removed', 0):<4} failures {load.get('failures', {})}")
        for key, p in d["profiles"].items():
            warm = "-" if p["warm_ms_p50"] is None else f"{p['warm_ms_p50']:.3f}"
            cold = "-" if p["cold_ms_p50"] is None else f"{p['cold_ms_p50']:.1f}"
            yield (f"{key:28} warm p50 {warm} ms  cold p50 {cold} ms  peak {p['peak_mib']} MiB  "
                   f"n={p['invocations']}")
    _emit(data, as_json, lines)


@exec_group.command()
@click.argument("node")
@click.pass_context
@reported(ERRORS)
def drain(ctx: click.Context, node: str) -> None:
    """Drain NODE: new requests go elsewhere, in-flight ones finish, its instances are removed."""
    removed = _cluster(ctx).drain(node)
    click.echo(f"{node} drained: {removed} instances removed")


@exec_group.command()
@click.argument("node")
@click.pass_context
@reported(ERRORS)
def undrain(ctx: click.Context, node: str) -> None:
    """Let NODE take requests again."""
    _cluster(ctx).undrain(node)
    click.echo(f"{node} takes requests again")
