"""`aaas changeset list|show|validate|push|rollback`: stored ChangeSets through the audited tools."""

from __future__ import annotations

import click

from aaas.cli.errors import EXIT_CHECK_FAILED, CliFailure, reported
from aaas.cli.tools import ERRORS, cli_actor, echo_json
from netops_tools.workspace import Workspace


def _invoke(tool: str, args: dict, target: str, approval: str | None = None):
    return Workspace().registry().invoke(cli_actor(), tool, args, target=target, approval=approval).output


@click.group()
def changeset() -> None:
    """Show, validate on the twin, push to prod, and roll back ChangeSets."""


@changeset.command("list")
@click.option("--json", "as_json", is_flag=True)
@reported(ERRORS)
def list_changesets(as_json: bool) -> None:
    """Every stored ChangeSet, oldest first."""
    rows = Workspace().store.list()
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['id']}  {row['summary']}")


@changeset.command("show")
@click.argument("changeset_id")
@click.option("--target", default="prod", show_default=True, help="Say whether it is applied here.")
@click.option("--json", "as_json", is_flag=True)
@reported(ERRORS)
def show(changeset_id: str, target: str, as_json: bool) -> None:
    """The ChangeSet, its latest validation report, and whether TARGET has it applied."""
    workspace = Workspace()
    cs = workspace.store.get(changeset_id)          # no network needed to show
    report = workspace.store.latest_report(cs.id)
    doc = {"changeset": cs.to_dict(), "report": report.to_dict() if report else None,
           "applied_on": {target: cs.id in workspace.store.applied(target)}}
    if as_json:
        echo_json(doc)
        return
    click.echo(cs.describe())
    for check in cs.checks:
        click.echo(f"  check {dict(check)}")
    click.echo(f"  validation: {'none' if report is None else 'passed' if report.passed else 'FAILED'}")


@changeset.command("validate")
@click.argument("changeset_id")
@click.option("--target", default="twin", show_default=True)
@click.option("--keep", is_flag=True, help="Leave it installed on the twin.")
@click.option("--approval", default=None, help="Approval reference, if the call is flagged as unusual.")
@click.option("--json", "as_json", is_flag=True)
@reported(ERRORS)
def validate(changeset_id: str, target: str, keep: bool, approval: str | None, as_json: bool) -> None:
    """Apply on the twin, run the declared checks, store the report (exit 1 if it fails)."""
    out = _invoke("changeset_validate", {"changeset_id": changeset_id, "keep": keep}, target, approval)
    if as_json:
        echo_json(out.model_dump(mode="json"))
    else:
        for result in out.report["results"]:
            click.echo(f"  {'ok  ' if result['passed'] else 'FAIL'} {result['check']['type']}: "
                       f"{result['evidence']}")
        for reason in out.report["policy_reasons"]:
            click.echo(f"  POLICY {reason}")
        click.echo(f"validation {'passed' if out.passed else 'failed'} in {out.report['duration_s']:.2f} s")
    if not out.passed:
        raise CliFailure(f"ChangeSet {out.changeset_id} did not validate", EXIT_CHECK_FAILED)


@changeset.command("push")
@click.argument("changeset_id")
@click.option("--approval", required=True, help="Approval reference (ticket, approver).")
@click.option("--target", default="prod", show_default=True)
@reported(ERRORS)
def push(changeset_id: str, approval: str, target: str) -> None:
    """Push a validated ChangeSet; on any failure the target is rolled back."""
    out = _invoke("changeset_push", {"changeset_id": changeset_id, "approval_ref": approval}, target,
                  approval=approval)
    state = "pushed" if out.changed else "already applied, nothing changed"
    click.echo(f"ChangeSet {out.changeset_id} {state} on {out.target} in {out.duration_s:.2f} s")


@changeset.command("rollback")
@click.argument("changeset_id")
@click.option("--target", default="prod", show_default=True)
@click.option("--approval", default=None, help="Approval reference, if the rollback is flagged.")
@reported(ERRORS)
def rollback(changeset_id: str, target: str, approval: str | None) -> None:
    """Delete the ChangeSet's flows by cookie and its meters; restore what it removed."""
    out = _invoke("changeset_rollback", {"changeset_id": changeset_id}, target, approval=approval)
    click.echo(f"ChangeSet {out.changeset_id} rolled back on {out.target}")
