"""The node executor process: `python -m edge_exec.server --node NAME --socket PATH ...`.

Started inside the node's network namespace (see launcher.py): containers it starts join
that namespace through /proc/<its pid>/ns/net. A unix socket is reachable from any
namespace (it lives in the filesystem), so the driver talks to every node from the root
namespace. A reaper thread scales idle instances to zero after the keep-alive.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socketserver
import threading
from pathlib import Path

from edge_exec.capacity import NodeCapacity
from edge_exec.client import parse_address
from edge_exec.errors import EdgeExecError
from edge_exec.functions import Function
from edge_exec.node import NodeExecutor
from edge_exec.protocol import error_reply
from edge_exec.runtimes.factory import RuntimeFactory
from edge_exec.wire import FrameError, read_message, write_message

log = logging.getLogger("edge_exec.server")


NETWORK_OPS = frozenset({"ping", "load", "instances", "invoke"})


class ExecutorService:
    """Dispatches protocol operations onto a NodeExecutor; `ops` limits which are offered."""

    def __init__(self, node: NodeExecutor, stop: threading.Event, ops: frozenset[str] | None = None) -> None:
        self.node, self.stop, self.ops = node, stop, ops

    def handle(self, header: dict, payload: bytes) -> tuple[dict, bytes]:
        op = header.get("op")
        if self.ops is not None and op not in self.ops:
            return {"ok": False, "type": "executor", "error": f"{op!r} is not offered over the network "
                    f"(only {', '.join(sorted(self.ops))}); use the executor's unix socket"}, b""
        try:
            if op == "invoke":
                output, meta = self.node.invoke(header["function"], payload, header.get("runtime"))
                return {"ok": True, "meta": meta}, output
            return {"ok": True, "result": self._control(op, header)}, b""
        except EdgeExecError as exc:
            return error_reply(exc), b""
        except (KeyError, TypeError, ValueError) as exc:
            return {"ok": False, "type": "executor", "error": f"bad {op!r} request: {exc}"}, b""

    def _control(self, op: str, header: dict):
        node = self.node
        if op == "ping":
            return {"node": node.node, "pid": os.getpid(), "netns": os.readlink("/proc/self/ns/net")}
        if op == "deploy":
            return node.deploy(Function.from_dict(header["function"]))
        if op == "load":
            return node.load()
        if op == "instances":
            return node.instances()
        if op == "reap":
            return node.reap(header.get("keep_alive_s"))
        if op == "drain":
            return node.drain(float(header.get("wait_s", 30.0)))
        if op == "undrain":
            return node.undrain()
        if op == "events":
            return node.scaling_events()
        if op == "shutdown":
            self.stop.set()
            return True
        raise ValueError(f"unknown op {op!r}")


def _handler(service: ExecutorService):
    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            while True:
                try:
                    header, payload = read_message(self.rfile)
                except (FrameError, OSError):
                    return
                reply, body = service.handle(header, payload)
                try:
                    write_message(self.wfile, reply, body)
                except OSError:
                    return
    return Handler


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class NetworkServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def _network_server(address: str, service: ExecutorService) -> NetworkServer:
    host, port = parse_address(address)
    return NetworkServer((host, port), _handler(service))


def _reaper(node: NodeExecutor, stop: threading.Event) -> None:
    period = min(1.0, max(0.05, node.keep_alive_s / 4))
    while not stop.wait(period):
        try:
            node.reap()
            node.relieve_pressure()
        except EdgeExecError:
            log.exception("reaping failed")


def serve(args: argparse.Namespace) -> None:
    state = Path(args.state)
    factory = RuntimeFactory(state / args.node, Path(args.wasm_cache), f"/proc/{os.getpid()}/ns/net",
                             args.oci_runtime)
    node = NodeExecutor(args.node, NodeCapacity(args.cpu, args.memory_mib, args.accelerator or None),
                        runtimes=factory, keep_alive_s=args.keep_alive)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    servers = []
    if args.listen:      # first: once the unix socket answers, the network listener is up too
        servers.append(_network_server(args.listen, ExecutorService(node, stop, NETWORK_OPS)))
    with contextlib.suppress(FileNotFoundError):
        os.unlink(args.socket)
    servers.append(UnixServer(args.socket, _handler(ExecutorService(node, stop))))
    for server in servers:
        threading.Thread(target=server.serve_forever, name="executor-accept", daemon=True).start()
    threading.Thread(target=_reaper, args=(node, stop), name="executor-reaper", daemon=True).start()
    stop.wait()
    for server in servers:
        server.shutdown()
        server.server_close()
    node.close()
    factory.close()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(args.socket)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="edge_exec.server")
    parser.add_argument("--node", required=True)
    parser.add_argument("--socket", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--wasm-cache", required=True)
    parser.add_argument("--cpu", type=float, required=True)
    parser.add_argument("--memory-mib", type=int, required=True)
    parser.add_argument("--accelerator", default="")
    parser.add_argument("--keep-alive", type=float, default=30.0)
    parser.add_argument("--oci-runtime", default="runc")
    parser.add_argument("--listen", default=None, help="IP:PORT on the node's network to accept requests on")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    serve(parser.parse_args(argv))


if __name__ == "__main__":
    main()
