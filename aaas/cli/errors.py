"""Mapping the packages' errors to exit codes and one clear line, in one place."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

import click

EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_ENVIRONMENT = 3
EXIT_EXTERNAL = 4


class CliFailure(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def reported(mapping: dict[type[BaseException], int]) -> Callable:
    """Decorate a command: the listed error types print `error: ...` and exit with a code."""
    def wrap(func: Callable) -> Callable:
        @functools.wraps(func)
        def run(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except CliFailure as exc:
                click.echo(f"error: {exc}", err=True)
                sys.exit(exc.code)
            except tuple(mapping) as exc:
                code = next(c for t, c in mapping.items() if isinstance(exc, t))
                click.echo(f"error: {exc}", err=True)
                sys.exit(code)
        return run
    return wrap
