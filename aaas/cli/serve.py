"""`aaas serve`: the HTTP API and the web console over the agents.

The operator (the agent graph with its twin, prod and audit) comes from
`aaas.wiring.build_operator(settings)`, imported only here so `aaas --help` stays light.
Submissions and approvals answer 202 with a job the page polls (see aaas.api).
"""

from __future__ import annotations

import importlib
import logging
import signal

import click

from aaas.cli.errors import EXIT_ENVIRONMENT, EXIT_EXTERNAL, CliFailure, reported
from cp_agents.errors import CpAgentsError, EmbeddingUnavailable
from netops_tools.errors import NetopsError

ERRORS = {EmbeddingUnavailable: EXIT_ENVIRONMENT, CpAgentsError: EXIT_EXTERNAL, NetopsError: EXIT_EXTERNAL}


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the console has no login, so keep it on loopback.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="TCP port (0 picks a free one).")
@click.option("--workers", type=click.IntRange(1, 8), default=1, show_default=True,
              help="Submissions and approvals run at the same time (1: the agents see one change at a time).")
@click.option("--actor", default=None,
              help="Operator name used when a request has no X-Operator header (default: AAAS_OPERATOR or $USER).")
@reported(ERRORS)
def serve(host: str, port: int, workers: int, actor: str | None) -> None:
    """Serve the API and the web console at http://HOST:PORT/ until interrupted."""
    from aaas.api import ConsoleServer
    from aaas.settings import Settings

    settings = Settings.from_env()
    operator = build_operator(settings)
    try:
        try:
            server = ConsoleServer(operator, host=host, port=port, workers=workers,
                                   default_actor=actor or settings.operator)
        except OSError as exc:
            raise CliFailure(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                             f"pick another with --port", EXIT_ENVIRONMENT) from None
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        click.echo(f"AaaS console on {server.url}/  (API under {server.url}/api/; Ctrl-C stops)")
        previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops as cleanly as Ctrl-C
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("stopping")
        finally:
            signal.signal(signal.SIGTERM, previous)
            server.close()
    finally:
        getattr(operator, "close", lambda: None)()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def build_operator(settings: object) -> object:
    """The real Operator from aaas.wiring; a clear environment error while it is not there."""
    try:
        wiring = importlib.import_module("aaas.wiring")
    except ModuleNotFoundError as exc:
        if exc.name != "aaas.wiring":
            raise
        raise CliFailure("the console has no operator to drive: aaas.wiring (build_operator) is not "
                         "installed in this checkout", EXIT_ENVIRONMENT) from None
    build = getattr(wiring, "build_operator", None)
    if build is None:
        raise CliFailure("aaas.wiring has no build_operator(settings); the console cannot reach the agents",
                         EXIT_ENVIRONMENT)
    return build(settings)
