"""`aaas audit log|verify`: the hash-chained record of every tool invocation."""

from __future__ import annotations

import datetime as dt

import click

from aaas.cli.errors import EXIT_CHECK_FAILED, EXIT_EXTERNAL, reported
from aaas.cli.tools import echo_json
from netops_tools.errors import AuditChainError, NetopsError
from netops_tools.workspace import Workspace

ERRORS = {AuditChainError: EXIT_CHECK_FAILED, NetopsError: EXIT_EXTERNAL}


@click.group()
def audit() -> None:
    """Inspect and verify the audit log."""


@audit.command("log")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of records.")
@click.option("--actor", default=None, help="Only this actor's records.")
@click.option("--limit", type=int, default=None, help="Only the last N records.")
@reported(ERRORS)
def log(as_json: bool, actor: str | None, limit: int | None) -> None:
    """List audit records, oldest first."""
    records = Workspace().audit.records(actor=actor, limit=limit)
    if as_json:
        echo_json([r.to_dict() for r in records])
        return
    for r in records:
        when = dt.datetime.fromtimestamp(r.time, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        extra = f" changeset={r.changeset_id}" if r.changeset_id else ""
        extra += f" error={r.error}" if r.error else ""
        extra += f" approval={r.approval!r}" if r.approval else ""
        extra += f" anomaly={r.anomaly!r}" if r.anomaly else ""
        click.echo(f"{r.seq:6} {when} {r.actor:16} {r.effect:5} {r.tool}@{r.version} on {r.target}: "
                   f"{r.outcome} ({r.duration_ms:.1f} ms){extra}")


@audit.command("verify")
@reported(ERRORS)
def verify() -> None:
    """Exit 0 when the hash chain is intact; 1 naming the first bad record otherwise."""
    count = Workspace().audit.verify()
    click.echo(f"audit chain intact: {count} records")
