"""`aaas exec` end to end against real executors (root namespace, a private state folder)."""

import json

import pytest
from click.testing import CliRunner

from aaas.cli.exec import exec_group

pytestmark = pytest.mark.integration


@pytest.fixture
def aaas_exec(state_dir):
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(exec_group, ["--state", str(state_dir), "--keep-alive", "60", *args],
                             catch_exceptions=False)
    yield run
    run("down")


def test_deploy_invoke_list_and_stats(aaas_exec, tmp_path):
    up = aaas_exec("up", "--nodes", "du1,cu1")
    assert up.exit_code == 0, up.output
    deployed = aaas_exec("deploy", "checksum", "--near", "cam1")
    assert deployed.exit_code == 0 and "runs on du1" in deployed.output
    frame = tmp_path / "frame.bin"
    frame.write_bytes(b"edge" * 256)
    for _ in range(2):
        invoked = aaas_exec("invoke", "checksum", "--input", str(frame), "--json")
        assert invoked.exit_code == 0, invoked.output
    meta = json.loads(invoked.output)
    import zlib
    assert meta["output"] == zlib.adler32(b"edge" * 256).to_bytes(4, "big").hex() and meta["node"] == "du1"
    listed = json.loads(aaas_exec("ls", "--json").output)
    assert {row["node"] for row in listed} == {"du1"}
    stats = json.loads(aaas_exec("stats", "--json").output)
    assert stats["nodes"]["du1"]["counters"]["requests"] == 2 and stats["profiles"]
    nodes = json.loads(aaas_exec("nodes", "--json").output)
    running = {row["node"] for row in nodes if row["executor_pid"]}
    assert running == {"du1", "cu1"}


def test_errors_map_to_exit_codes(aaas_exec, tmp_path):
    frame = tmp_path / "frame.bin"
    frame.write_bytes(b"x")
    no_executor = aaas_exec("invoke", "checksum", "--input", str(frame), "--near", "cam1")
    assert no_executor.exit_code == 1 and "no node can run" in no_executor.output
    assert aaas_exec("deploy", "no_such_function", "--near", "cam1").exit_code == 2
    assert aaas_exec("deploy", "checksum", "--near", "no_such_node").exit_code == 2
    assert aaas_exec("--topology", "no_such_topology", "nodes").exit_code == 2
    assert json.loads(aaas_exec("nodes", "--json").output)[0]["executor_pid"] is None   # nothing started
