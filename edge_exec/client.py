"""Client of a node executor: one persistent connection per thread, over its unix socket or,
from another node's namespace, over TCP to its address on the emulated network."""

from __future__ import annotations

import ipaddress
import socket
import threading

from edge_exec.errors import ExecutorError
from edge_exec.functions import Function
from edge_exec.protocol import raise_error
from edge_exec.wire import FrameError, encode, read_message


def parse_address(address: str) -> tuple[str, int]:
    """"IP:PORT" -> (ip, port), with a clear error for anything else."""
    host, _, port = str(address).rpartition(":")
    try:
        ipaddress.ip_address(host)
        number = int(port)
    except ValueError:
        raise ExecutorError(f"executor address {address!r} is not IP:PORT") from None
    if not 0 < number < 65536:
        raise ExecutorError(f"executor address {address!r} has no valid port")
    return host, number


class ExecutorClient:
    def __init__(self, socket_path: str, timeout_s: float = 120.0) -> None:
        self.socket_path, self.timeout_s = str(socket_path), timeout_s
        self._target: str | tuple[str, int] = self.socket_path
        self._family = socket.AF_UNIX
        self._local = threading.local()

    @classmethod
    def over_network(cls, address: str, timeout_s: float = 120.0) -> ExecutorClient:
        """A client reaching the executor at "IP:PORT" from the caller's network namespace."""
        client = cls(address, timeout_s)
        client._target, client._family = parse_address(address), socket.AF_INET
        return client

    def _connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            sock = socket.socket(self._family, socket.SOCK_STREAM)
            sock.settimeout(self.timeout_s)
            try:
                sock.connect(self._target)
            except OSError as exc:
                sock.close()
                raise ExecutorError(f"node executor at {self.socket_path} unreachable: {exc}") from exc
            conn = self._local.conn = (sock, sock.makefile("rb"))
        return conn

    def call(self, op: str, payload: bytes = b"", **fields) -> tuple[dict, bytes]:
        sock, reader = self._connection()
        try:
            sock.sendall(encode({"op": op, **fields}, payload))
            reply, body = read_message(reader)
        except (OSError, FrameError) as exc:
            self.close()
            raise ExecutorError(f"node executor at {self.socket_path} broke the connection during "
                                f"{op!r}: {exc}") from exc
        raise_error(reply)
        return reply, body

    def result(self, op: str, **fields):
        return self.call(op, **fields)[0]["result"]

    def ping(self) -> dict:
        return self.result("ping")

    def deploy(self, function: Function) -> list[str]:
        return self.result("deploy", function=function.to_dict())

    def invoke(self, function: str, payload: bytes, runtime: str | None = None) -> tuple[bytes, dict]:
        reply, output = self.call("invoke", payload, function=function, runtime=runtime)
        return output, reply["meta"]

    def load(self) -> dict:
        return self.result("load")

    def instances(self) -> list[dict]:
        return self.result("instances")

    def reap(self, keep_alive_s: float | None = None) -> int:
        return self.result("reap", keep_alive_s=keep_alive_s)

    def drain(self, wait_s: float = 30.0) -> int:
        return self.result("drain", wait_s=wait_s)

    def undrain(self) -> None:
        self.result("undrain")

    def events(self) -> list:
        return self.result("events")

    def shutdown(self) -> None:
        self.result("shutdown")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            for part in reversed(conn):
                try:
                    part.close()
                except OSError:
                    pass
