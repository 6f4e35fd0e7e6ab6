"""`aaas chat`: the operator console in a terminal."""

from __future__ import annotations

import click

from aaas.cli.errors import EXIT_ENVIRONMENT, reported
from aaas.cli.session import show_run

HELP = """Type what you want the network to do, in plain words. Commands:
  /runs            recent runs          /show ID       one run in full
  /approve ID      approve a pending change          /reject ID    reject it
  /help            this text            /quit          leave"""


@click.command()
@click.option("--operator", "name", default=None, help="your name, recorded as the approver")
@click.option("--yes", is_flag=True, help="approve every validated change without asking (recorded)")
@reported({ImportError: EXIT_ENVIRONMENT})
def chat(name: str | None, yes: bool) -> None:
    """Talk to the control-plane agent: plan, evidence from the twin, approval, push."""
    from aaas.settings import Settings
    from aaas.wiring import build_operator
    settings = Settings.from_env()
    name = name or settings.operator
    click.echo("loading the agent (parser, knowledge base, toolbox) ...")
    operator = build_operator(settings)
    click.echo(HELP)
    while True:
        try:
            line = click.prompt("aaas", prompt_suffix="> ", default="", show_default=False).strip()
        except (EOFError, click.Abort):
            click.echo()
            return
        if not line:
            continue
        if line in ("/quit", "/exit"):
            return
        try:
            _handle(operator, line, name, yes)
        except (KeyError, ValueError) as exc:
            click.secho(f"error: {exc}", fg="red")


def _handle(operator, line: str, name: str, yes: bool) -> None:
    command, _, argument = line.partition(" ")
    if command == "/help":
        click.echo(HELP)
    elif command == "/runs":
        for run in operator.runs(limit=20):
            click.echo(f"{run['thread_id']}  {run['status']:18} {run['text'][:70]}")
    elif command == "/show":
        show_run(operator.run(argument.strip()))
    elif command in ("/approve", "/reject"):
        show_run(operator.decide(argument.strip(), name, approve=command == "/approve"), verbose=False)
    elif command.startswith("/"):
        click.echo(f"unknown command {command}; /help lists them")
    else:
        run = operator.submit(line, name)
        show_run(run)
        if run["status"] == "awaiting_approval":
            if yes or click.confirm(f"approve {run['plan']['changeset_id']} for prod?", default=False):
                show_run(operator.decide(run["thread_id"], name, approve=True), verbose=False)
            else:
                show_run(operator.decide(run["thread_id"], name, approve=False), verbose=False)
