"""Rendering one agent run for a person at a terminal: plan, evidence, audit, result."""

from __future__ import annotations

import json

import click

STATUS_COLOUR = {"done": "green", "answered": "green", "awaiting_approval": "yellow", "refused": "red",
                 "failed": "red", "rejected": "yellow", "clarify": "cyan"}


def show_run(run: dict, verbose: bool = True) -> None:
    intent = run.get("intent") or {}
    colour = STATUS_COLOUR.get(run["status"], "white")
    click.secho(f"[{run['thread_id']}] {run['status']}", fg=colour, bold=True, nl=False)
    click.echo(f"  {intent.get('kind') or '-'} {json.dumps(intent.get('params') or {}, sort_keys=True)}")
    if run.get("retrieved") and verbose:
        click.echo("  knowledge used:")
        for passage in run["retrieved"]:
            click.echo(f"    - {passage['source']} (score {passage.get('score', 0):.2f})")
    plan = run.get("plan")
    if plan:
        click.echo(f"  plan {plan['changeset_id']}: {plan['summary']}")
        if verbose:
            for line in _diff_lines(plan.get("changeset") or {}):
                click.echo(f"    {line}")
    validation = run.get("validation")
    if validation:
        click.echo(f"  twin validation: {'passed' if validation.get('passed') else 'FAILED'}")
        results = validation.get("results") or validation.get("checks") or []
        shown = [r for r in results if not r.get("passed")] + [r for r in results if r.get("passed")]
        for result in shown[:8]:
            mark = "ok " if result.get("passed") else "BAD"
            check = result.get("check") or result
            click.echo(f"    [{mark}] {check.get('type', check.get('name', 'check'))}: {_evidence(result)}")
        if len(shown) > 8:
            rest = "all passed" if all(r.get("passed") for r in shown[8:]) else "see aaas changeset show"
            click.echo(f"    ... and {len(shown) - 8} more checks ({rest})")
        for note in validation.get("notes") or []:
            click.echo(f"    note: {note}")
        for reason in validation.get("policy_reasons") or []:
            click.echo(f"    policy: {reason}")
        if validation.get("error"):
            click.echo(f"    {validation['error']}")
    audit = run.get("audit")
    if audit and audit.get("reasons"):
        click.echo(f"  policy: {'; '.join(audit['reasons'])}")
    click.echo(f"  audit records: {', '.join(map(str, run.get('audit_ids') or [])) or 'none'}")
    click.echo(f"  -> {run.get('answer') or run.get('reason') or ''}")


def _diff_lines(changeset: dict) -> list[str]:
    lines = []
    for meter in changeset.get("meters_add", []):
        lines.append(f"+ meter {meter.get('meter_id')} on dpid {meter.get('dpid')}: {meter.get('rate_kbps')} kbit/s")
    for queue in changeset.get("queues_add", []):
        lines.append(f"+ queue {json.dumps(queue, sort_keys=True)[:110]}")
    for flow in changeset.get("flows_add", [])[:12]:
        lines.append(f"+ flow dpid {flow.get('dpid')} prio {flow.get('priority')} "
                     f"{json.dumps(flow.get('match'), sort_keys=True)} -> {json.dumps(flow.get('actions'))}")
    for flow in changeset.get("flows_remove", [])[:12]:
        lines.append(f"- flow dpid {flow.get('dpid')} prio {flow.get('priority')} "
                     f"{json.dumps(flow.get('match'), sort_keys=True)}")
    extra = len(changeset.get("flows_add", [])) - 12
    if extra > 0:
        lines.append(f"  ... and {extra} more flows")
    return lines


def _evidence(result: dict) -> str:
    evidence = result.get("evidence") or result.get("detail") or ""
    text = evidence if isinstance(evidence, str) else json.dumps(evidence, sort_keys=True)
    return text[:160]
