"""`aaas tools list|call`: the Network Operation Toolbox from the command line.

Every call goes through ToolRegistry.invoke as actor `cli:<user>` (control plane unless
--plane data), so it is audited like an agent's."""

from __future__ import annotations

import getpass
import json

import click

from aaas.cli.errors import EXIT_CHECK_FAILED, EXIT_ENVIRONMENT, EXIT_EXTERNAL, EXIT_USAGE, reported
from netops_tools.errors import (
    DriverError,
    NetopsError,
    PolicyViolation,
    PushError,
    StoreError,
    TargetUnavailable,
    ToolInputError,
    ToolRefusedError,
    UnknownToolError,
)
from netops_tools.registry import Actor
from netops_tools.workspace import Workspace

ERRORS = {ToolInputError: EXIT_USAGE, UnknownToolError: EXIT_USAGE, StoreError: EXIT_USAGE,
          ToolRefusedError: EXIT_CHECK_FAILED, PolicyViolation: EXIT_CHECK_FAILED,
          PushError: EXIT_CHECK_FAILED, TargetUnavailable: EXIT_ENVIRONMENT, DriverError: EXIT_EXTERNAL,
          NetopsError: EXIT_EXTERNAL}


def cli_actor(plane: str = "control") -> Actor:
    return Actor(f"cli:{getpass.getuser()}", plane)


def echo_json(value: object) -> None:
    click.echo(json.dumps(value, indent=2, sort_keys=True, default=str))


@click.group()
def tools() -> None:
    """The typed, audited network tools (read tools and ChangeSet builders)."""


@tools.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of tool descriptions.")
@click.option("--plane", type=click.Choice(["control", "data"]), default="control",
              help="Show the tools an actor of this plane may call.")
@reported(ERRORS)
def list_tools(as_json: bool, plane: str) -> None:
    """List the tools: name, effect, scope, version, description."""
    registry = Workspace().registry(anomaly=False)
    found = registry.tools(cli_actor(plane))
    if as_json:
        echo_json([t.describe() for t in found])
        return
    for tool in found:
        click.echo(f"{tool.name:20} {tool.effect:6} {tool.scope:14} v{tool.version}  {tool.description}")


@tools.command("call")
@click.argument("tool")
@click.option("--args", "args_json", default="{}", help="The tool's arguments as a JSON object.")
@click.option("--target", default="twin", show_default=True, help="Network name (twin, prod, ...).")
@click.option("--plane", type=click.Choice(["control", "data"]), default="control")
@click.option("--approval", default=None, help="Approval reference for a write flagged as unusual.")
@reported(ERRORS)
def call(tool: str, args_json: str, target: str, plane: str, approval: str | None) -> None:
    """Invoke TOOL and print its output as JSON."""
    try:
        args = json.loads(args_json)
    except ValueError as exc:
        raise ToolInputError(tool, "(arguments)", f"--args is not JSON: {exc}") from None
    result = Workspace().registry().invoke(cli_actor(plane), tool, args, target=target, approval=approval)
    echo_json(result.output.model_dump(mode="json"))
