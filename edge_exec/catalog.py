"""Functions shipped with the executor: a small compute kernel in C (wasm) and Python,
and runaway functions used to prove that limits hold. The Python steps here are what the
`process` and `container` runtimes run; keep this module import-light (workers load it)."""

from __future__ import annotations

import os
import zlib

# os.path, not pathlib: this module is imported by every worker at start-up
KERNELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernels")


def checksum(payload: bytes) -> bytes:
    """Adler-32, 4 bytes big-endian: the same answer as the C kernel."""
    return zlib.adler32(payload).to_bytes(4, "big")


def grayscale(payload: bytes) -> bytes:
    """RGB -> luma with the C kernel's integer weights."""
    pixels = len(payload) // 3
    return bytes((77 * payload[3 * i] + 150 * payload[3 * i + 1] + 29 * payload[3 * i + 2]) >> 8
                 for i in range(pixels))


def spin(payload: bytes) -> bytes:
    while True:
        pass


def blowup(payload: bytes) -> bytes:
    hoard = []
    while True:
        hoard.append(bytearray(1 << 20))


def forkbomb(payload: bytes) -> bytes:
    children = []
    try:
        while True:
            pid = os.fork()
            if pid == 0:        # a child that also keeps forking: the classic bomb
                try:
                    while True:
                        os.fork()
                except OSError:
                    os._exit(1)
            children.append(pid)
    finally:
        pass


def echo(payload: bytes) -> bytes:
    return payload


def sleepy(payload: bytes) -> bytes:
    """Payload "MS" or "MS:tag": sleeps MS milliseconds, then echoes the payload (drain, queue tests)."""
    import time
    time.sleep(int(payload.split(b":", 1)[0] or b"0") / 1000)
    return payload


def whereami(payload: bytes) -> dict:
    """Where the step runs: network namespace, hostname, pid (namespace-membership tests)."""
    return {"netns": os.readlink("/proc/self/ns/net"), "hostname": os.uname().nodename, "pid": os.getpid()}


def crash(payload: bytes) -> bytes:
    """Kills its own worker: used to test that a lost request is retried exactly once."""
    os._exit(3)


def builtin_functions():
    """The catalog as Function objects (imported lazily: workers need only the steps)."""
    from edge_exec.functions import Function, Limits, WasmArtifact

    kernel = os.path.join(KERNELS, "checksum.wasm")
    runaway = os.path.join(KERNELS, "runaway.wasm")
    small = Limits(memory_mib=64, cpu=0.5, time_ms=2000)
    tight = Limits(memory_mib=48, cpu=0.5, time_ms=1000, pids=16)
    # long deadline: the memory or pids limit must be what stops these, even on a loaded machine
    runaway_limits = Limits(memory_mib=48, cpu=0.5, time_ms=20000, pids=16)
    return [
        Function("checksum", WasmArtifact(kernel, "checksum", "u32"), f"{__name__}:checksum", small),
        Function("grayscale", WasmArtifact(kernel, "grayscale", "buffer"), f"{__name__}:grayscale", small),
        Function("echo", None, f"{__name__}:echo", small),
        Function("spin", WasmArtifact(runaway, "spin", "u32"), f"{__name__}:spin", tight),
        Function("blowup", WasmArtifact(runaway, "blowup", "u32"), f"{__name__}:blowup", runaway_limits),
        Function("forkbomb", None, f"{__name__}:forkbomb", runaway_limits),
        Function("crash", None, f"{__name__}:crash", small),
        Function("sleepy", None, f"{__name__}:sleepy", small),
        Function("whereami", None, f"{__name__}:whereami", small),
    ]
