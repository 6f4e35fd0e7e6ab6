"""`aaas demo`: the main job, end to end. Brings up prod and twin on edge6g with their
controllers, shows the topology and prod's measured reachability, then runs a scripted
operator session through the agent (plan, twin validation, audit, approval, push, verify),
checks the audit chain, and takes everything down."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import click

from aaas.cli.errors import EXIT_ENVIRONMENT, EXIT_EXTERNAL, reported
from aaas.cli.render import matrix_text, topology_text
from aaas.cli.session import show_run
from aaas.demo_script import DEMO_STEPS
from aaas.settings import Settings
from twin.emu import EmuError, EnvironmentMissing, NetworkNotFound, down, up
from twin.model import load_topology

APPROVER = "demo-operator"


@click.command()
@click.option("--topology", "topology_name", default="edge6g", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object instead of the session")
@click.option("--keep", is_flag=True, help="leave prod and twin running afterwards")
@reported({EnvironmentMissing: EXIT_ENVIRONMENT, EmuError: EXIT_EXTERNAL})
def demo(topology_name: str, as_json: bool, keep: bool) -> None:
    """Run the whole operator session on fresh prod and twin networks."""
    say = (lambda *a, **k: None) if as_json else click.echo
    show = (lambda *a, **k: None) if as_json else show_run
    home = Path(os.environ.get("AAAS_HOME") or tempfile.mkdtemp(prefix="aaas-demo-"))
    settings = Settings(home=home, twin="demo-twin", prod="demo-prod", topology=topology_name, operator=APPROVER)
    topo = load_topology(topology_name)
    say(topology_text(topo))
    say("\nbringing up prod and twin on Mininet/OVS, each with its own controller ...")
    started = time.monotonic()
    up(topo, settings.prod)
    try:
        up(topo, settings.twin)
        report = _session(settings, say, show, started)
    finally:
        if not keep:
            for name in (settings.twin, settings.prod):
                try:
                    down(name)
                except NetworkNotFound:
                    pass
    if as_json:
        click.echo(json.dumps(report))
    if not report["all_as_expected"] or not report["audit_chain_ok"]:
        raise SystemExit(1)


def _session(settings: Settings, say, show, started: float) -> dict:
    from twin.emu import Network
    prod = Network.load(settings.prod)
    say(f"both up in {time.monotonic() - started:.1f} s; prod's reachability, measured in the host namespaces:\n")
    matrix = prod.reachability()
    say(matrix_text(matrix.hosts, matrix.reachable))
    say(f"{matrix.reachable_pairs}/{matrix.pairs} host pairs reachable\n")
    from aaas.wiring import build_operator
    say("loading the agent (parser, knowledge base, toolbox) ...")
    operator = build_operator(settings)
    steps = []
    for text, expected in DEMO_STEPS:
        say(f"\noperator> {text}")
        step_started = time.monotonic()
        run = operator.submit(text, APPROVER)
        if run["status"] == "awaiting_approval":
            show(run)
            say(f"  approving as {APPROVER} ...")
            run = operator.decide(run["thread_id"], APPROVER, approve=True)
        show(run, verbose=run["status"] not in ("refused", "clarify"))
        steps.append({"text": text, "status": run["status"], "expected": expected, "kind": run["kind"],
                      "validated": run["validated"], "pushed": run["pushed"],
                      "verified_on_prod": run["verified_on_prod"], "audit_ids": run["audit_ids"],
                      "seconds": round(time.monotonic() - step_started, 2), "answer": run["answer"]})
    from netops_tools.errors import AuditChainError
    from netops_tools.workspace import Workspace
    try:
        records = Workspace(settings.home).audit.verify()
        chain_ok, chain_note = True, f"{records} records, hash chain intact"
    except AuditChainError as exc:      # names the first bad record
        chain_ok, chain_note = False, str(exc)
    say(f"\naaas audit verify: {chain_note}")
    as_expected = all(s["status"] == s["expected"] for s in steps)
    say(f"{sum(s['status'] == s['expected'] for s in steps)}/{len(steps)} steps ended as expected")
    return {"topology": settings.topology, "steps": steps, "audit_chain_ok": chain_ok,
            "all_as_expected": as_expected, "reachable_pairs": matrix.reachable_pairs, "pairs": matrix.pairs}
