"""A node executor process inside its own network namespace, driven over its unix socket."""

import json
import os
import zlib
from dataclasses import replace

import pytest

from edge_exec.capacity import NodeCapacity
from edge_exec.catalog import builtin_functions
from edge_exec.errors import MemoryLimitExceeded, PidsLimitExceeded, TimeLimitExceeded
from edge_exec.functions import Limits
from edge_exec.launcher import start_executor, stop_executor

from .conftest import leftover_cgroups

pytestmark = pytest.mark.integration
CATALOG = {f.name: f for f in builtin_functions()}


@pytest.fixture
def executor(state_dir, netns):
    namespace = netns()
    handle = start_executor("du1", NodeCapacity(2.0, 4096), state_dir, netns_pid=namespace.pid)
    client = handle.client()
    for function in CATALOG.values():
        client.deploy(function)
    yield handle, client, namespace
    client.close()
    stop_executor(handle)
    assert not leftover_cgroups(handle.pid), "the executor left cgroups behind"
    assert not list((state_dir / "du1" / "container" / "runc").glob("*")), "runc containers left behind"


def test_executor_and_its_workers_live_in_the_nodes_namespace(executor):
    handle, client, namespace = executor
    assert client.ping()["netns"] == namespace.inode != os.readlink("/proc/self/ns/net")
    for runtime in ("container", "process"):
        output, meta = client.invoke("whereami", b"", runtime)
        assert json.loads(output)["netns"] == namespace.inode
        assert meta["runtime"] == runtime and meta["node"] == "du1"


@pytest.mark.parametrize("runtime", ["wasm", "container", "process"])
def test_the_same_function_runs_in_every_runtime(executor, runtime):
    _, client, _ = executor
    payload = os.urandom(4096)
    cold_output, cold = client.invoke("checksum", payload, runtime)
    warm_output, warm = client.invoke("checksum", payload, runtime)
    assert cold_output == warm_output == zlib.adler32(payload).to_bytes(4, "big")
    assert (cold["cold"], warm["cold"]) == (True, False) and cold["instance"] == warm["instance"]
    assert warm["peak_mib"] > 0


def test_runaways_are_reported_and_the_node_keeps_serving(executor):
    _, client, _ = executor
    for name, time_ms in (("spin", 300), ("blowup", 20000), ("forkbomb", 20000)):
        client.deploy(replace(CATALOG[name], limits=Limits(memory_mib=48, cpu=0.5, time_ms=time_ms, pids=16)))
    with pytest.raises(TimeLimitExceeded):
        client.invoke("spin", b"x", "wasm")
    with pytest.raises(MemoryLimitExceeded):
        client.invoke("blowup", b"x", "container")
    with pytest.raises(PidsLimitExceeded):
        client.invoke("forkbomb", b"x", "process")
    with pytest.raises(TimeLimitExceeded):
        client.invoke("spin", b"x", "container")
    assert client.invoke("checksum", b"ok", "container")[0] == zlib.adler32(b"ok").to_bytes(4, "big")
    load = client.load()
    assert load["failures"] == {"time": 2, "memory": 1, "pids": 1}
    # killed workers are gone; a wasm instance survives its trap (every call has a fresh Store)
    assert {(row["function"], row["runtime"]) for row in load["instances"]} == {("checksum", "container"),
                                                                                ("spin", "wasm")}


@pytest.mark.parametrize("runtime", ["container", "process"])
def test_project_steps_run_with_the_venvs_packages(executor, runtime):
    import numpy as np

    from edge_exec.functions import Function
    _, client, _ = executor
    client.deploy(Function("luma_mean", python="tests.integration.edge_exec.steps:luma_mean",
                           limits=Limits(memory_mib=256, cpu=1.0, time_ms=20000)))
    frame = np.full((4, 4, 3), (200, 100, 50), dtype=np.uint8)
    output, _ = client.invoke("luma_mean", frame.tobytes(), runtime)
    result = json.loads(output)
    assert result["numpy"] == np.__version__ and result["user"] == "root"
    assert abs(result["mean"] - (0.299 * 200 + 0.587 * 100 + 0.114 * 50)) < 1.0


@pytest.mark.parametrize("runtime", ["container", "process"])
def test_a_step_that_cannot_load_fails_with_its_import_error(executor, runtime):
    from edge_exec.errors import FunctionFailed
    from edge_exec.functions import Function
    _, client, _ = executor
    client.deploy(Function("broken", python="tests.integration.edge_exec.no_such_module:run"))
    with pytest.raises(FunctionFailed, match="no_such_module"):
        client.invoke("broken", b"", runtime)
