"""`aaas serve`: builds the operator through aaas.wiring, says where it listens, stops
cleanly, and explains what is missing instead of a traceback."""

from __future__ import annotations

import socket
import sys
import types

import pytest
from click.testing import CliRunner

from aaas.api import ConsoleServer
from aaas.cli import cli
from tests.unit.api.conftest import Client
from tests.unit.api.fakes import FakeOperator


class ClosingOperator(FakeOperator):
    closed = False

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_wiring(monkeypatch):
    operator = ClosingOperator()
    module = types.ModuleType("aaas.wiring")
    module.build_operator = lambda settings: operator
    monkeypatch.setitem(sys.modules, "aaas.wiring", module)
    return operator


def test_serve_answers_until_interrupted_then_closes_the_operator(monkeypatch, fake_wiring):
    seen = {}

    def serve_once(server: ConsoleServer) -> None:
        server.start()                              # the command's own server, in a thread
        client = Client(server.url)
        seen["health"] = client.get("/api/health").status
        seen["actor"] = client.post("/api/intents?wait=1", {"text": "drain du2"}).body["actor"]
        seen["url"] = server.url
        raise KeyboardInterrupt

    monkeypatch.setattr(ConsoleServer, "serve_forever", serve_once)
    result = CliRunner().invoke(cli, ["serve", "--port", "0", "--actor", "noc"])
    assert result.exit_code == 0, result.output
    assert f"AaaS console on {seen['url']}/" in result.output
    assert seen["health"] == 200 and seen["actor"] == "noc"
    assert fake_wiring.closed


def test_a_busy_port_is_an_environment_error(fake_wiring):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 3
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "--port" in result.output
    assert fake_wiring.closed


def test_missing_wiring_is_reported(monkeypatch):
    monkeypatch.setitem(sys.modules, "aaas.wiring", None)
    result = CliRunner().invoke(cli, ["serve", "--port", "0"])
    assert result.exit_code == 3
    assert "aaas.wiring" in result.output and "Traceback" not in result.output


def test_wiring_without_a_factory_is_reported(monkeypatch):
    monkeypatch.setitem(sys.modules, "aaas.wiring", types.ModuleType("aaas.wiring"))
    result = CliRunner().invoke(cli, ["serve", "--port", "0"])
    assert result.exit_code == 3
    assert "build_operator" in result.output


def test_the_port_is_checked_by_the_command_line():
    result = CliRunner().invoke(cli, ["serve", "--port", "70000"])
    assert result.exit_code == 2
