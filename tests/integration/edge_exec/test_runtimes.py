"""Each runtime in-process against the real thing: results, limits, cleanup."""

import os
import random
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from edge_exec.catalog import builtin_functions, grayscale
from edge_exec.errors import MemoryLimitExceeded, PidsLimitExceeded, TimeLimitExceeded
from edge_exec.functions import Limits

pytestmark = pytest.mark.integration
CATALOG = {f.name: f for f in builtin_functions()}
# spin gets a short deadline; the others a long one, so only their own limit can stop them
# (filling 48 MiB under a 0.5-CPU quota on a loaded machine can take over a second)
LIMITS = {"spin": Limits(memory_mib=48, cpu=0.5, time_ms=300, pids=16),
          "blowup": Limits(memory_mib=48, cpu=0.5, time_ms=20000, pids=16),
          "forkbomb": Limits(memory_mib=48, cpu=0.5, time_ms=20000, pids=16)}


@pytest.fixture
def wasm(state_dir):
    from edge_exec.runtimes.wasm import WasmRuntime
    runtime = WasmRuntime(state_dir / "cache")
    yield runtime
    runtime.close()


def test_wasm_kernels_compute_what_python_computes(wasm):
    payload = random.Random(5).randbytes(3 * 1000)
    expected = zlib.adler32(payload).to_bytes(4, "big")
    assert wasm.start(CATALOG["checksum"], "c").invoke(payload, 1).output == expected
    assert wasm.start(CATALOG["grayscale"], "g").invoke(payload, 1).output == grayscale(payload)


def test_wasm_modules_are_compiled_once_into_the_cache(wasm, state_dir):
    from edge_exec.runtimes.wasm import WasmRuntime
    wasm.prepare(CATALOG["checksum"])
    (cached,) = list((state_dir / "cache").glob("*.cwasm"))
    stamp = cached.stat().st_mtime_ns
    other = WasmRuntime(state_dir / "cache")          # a second executor shares the cache
    other.start(CATALOG["checksum"], "c").invoke(b"x", 1)
    assert cached.stat().st_mtime_ns == stamp and len(list((state_dir / "cache").glob("*.cwasm"))) == 1
    other.close()


def test_wasm_runaways_are_stopped_and_the_runtime_keeps_serving(wasm):
    with pytest.raises(TimeLimitExceeded, match="epoch"):
        wasm.start(replace(CATALOG["spin"], limits=LIMITS["spin"]), "s").invoke(b"x", 1)
    with pytest.raises(MemoryLimitExceeded, match="48 MiB"):
        wasm.start(CATALOG["blowup"], "b").invoke(b"x", 1)
    healthy = wasm.start(CATALOG["checksum"], "c")
    assert healthy.invoke(b"ok", 2).output == zlib.adler32(b"ok").to_bytes(4, "big")


@pytest.fixture(params=["process", "container"])
def pipe_runtime(request, state_dir):
    from edge_exec.runtimes.factory import RuntimeFactory
    factory = RuntimeFactory(state_dir, state_dir / "cache", f"/proc/{os.getpid()}/ns/net")
    runtime = factory(request.param)
    yield runtime
    factory.close()
    assert not list(Path("/sys/fs/cgroup").glob(f"*/**/aaas-edge-{os.getpid()}")), "cgroups left behind"


def test_warm_workers_serve_many_requests(pipe_runtime):
    instance = pipe_runtime.start(CATALOG["checksum"], "w1")
    try:
        for i in range(20):
            payload = str(i).encode() * 50
            assert instance.invoke(payload, i).output == zlib.adler32(payload).to_bytes(4, "big")
        assert instance.alive and instance.pid
    finally:
        instance.close()


@pytest.mark.parametrize("name, error", [("spin", TimeLimitExceeded), ("blowup", MemoryLimitExceeded),
                                         ("forkbomb", PidsLimitExceeded)])
def test_runaways_are_stopped_by_their_limits(pipe_runtime, name, error):
    instance = pipe_runtime.start(replace(CATALOG[name], limits=LIMITS[name]), f"r-{name}")
    with pytest.raises(error):
        instance.invoke(b"x", 1)
    assert not instance.alive
    assert instance.slot.pids() == [] and not instance.slot.dirs["memory"].exists()
    healthy = pipe_runtime.start(CATALOG["checksum"], f"h-{name}")
    assert healthy.invoke(b"ok", 2).output == zlib.adler32(b"ok").to_bytes(4, "big")
    healthy.close()
