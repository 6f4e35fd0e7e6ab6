"""The `aaas` command. Each command group lives in its own module and is imported only
when used, so `aaas intent parse` never pays for Mininet and `aaas twin up` never for torch.

Exit codes: 0 ok, 1 a check failed, 2 usage, 3 environment missing, 4 external system error.
"""

from __future__ import annotations

import importlib

import click

# command name -> "module:attribute" of a click command or group
COMMANDS: dict[str, str] = {
    "twin": "aaas.cli.twin:twin",
    "tools": "aaas.cli.tools:tools",
    "changeset": "aaas.cli.changeset:changeset",
    "audit": "aaas.cli.audit:audit",
    "intent": "aaas.cli.intent:intent",
    "whatif": "aaas.cli.whatif:whatif",
    "exec": "aaas.cli.exec:exec_group",
    "service": "aaas.cli.service:service",
    "chat": "aaas.cli.chat:chat",
    "serve": "aaas.cli.serve:serve",
    "demo": "aaas.cli.demo:demo",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if _available(name))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        return getattr(module, attribute)


def _available(name: str) -> bool:
    return importlib.util.find_spec(COMMANDS[name].split(":")[0]) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """AaaS: run a network on intents, with a digital twin in the loop."""


def main() -> None:
    cli(prog_name="aaas")
