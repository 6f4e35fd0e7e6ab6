"""The console on the standard library's threading HTTP server: one thread per connection,
a bounded job queue behind it (see jobs.py), and nothing a client sends can stop it: every
failure inside a request becomes a JSON error response and the server keeps serving."""

from __future__ import annotations

import ipaddress
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from aaas.api import requests as rq
from aaas.api.app import ConsoleApp
from aaas.api.errors import ApiError, Forbidden
from aaas.api.jobs import JobBoard
from aaas.api.messages import JSON_TYPE, Request, Response, encode_json, error_response, internal_error_response
from aaas.api.operator import Operator

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
}
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
DRAIN_LIMIT = 1024 * 1024  # larger unread bodies are cut off: the client may see a reset


class ConsoleServer:
    """The API and page on host:port (port 0 picks a free one; see .url)."""

    def __init__(self, operator: Operator, host: str = "127.0.0.1", port: int = 0, workers: int = 1,
                 max_pending: int = 32, default_actor: str = rq.DEFAULT_ACTOR) -> None:
        self.jobs = JobBoard(workers=workers, max_pending=max_pending)
        self.app = ConsoleApp(operator, self.jobs, default_actor=default_actor)
        self._httpd = _Httpd((host, port), _Handler)
        self._httpd.app = self.app
        self._httpd.loopback_only = _is_loopback(host)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}"

    def start(self) -> ConsoleServer:
        """Serve in a background thread (tests, embedding)."""
        # a short poll interval only makes close() quick; requests are served as they arrive
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="aaas-console",
                                        daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until shutdown() or KeyboardInterrupt."""
        self._httpd.serve_forever()

    def close(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(10)
        self._httpd.server_close()
        self.jobs.close()

    def __enter__(self) -> ConsoleServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Httpd(ThreadingHTTPServer):
    daemon_threads = True
    app: ConsoleApp
    loopback_only: bool

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.exception("connection from %s failed", client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Httpd
    server_version = "aaas-console"
    sys_version = ""
    timeout = 60  # a client that stops sending mid-request frees its thread

    def do_GET(self) -> None:
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        self._body_read = False
        try:
            request = self._request()
            self._check_origin(request)
            response = self.server.app.handle(request)
        except ApiError as error:
            response = error_response(error)
        except Exception as exc:  # a bug in one request must not stop the console
            log.exception("request %s %s failed", self.command, self.path[:200])
            response = internal_error_response(exc)
        self._send(response)

    def _request(self) -> Request:
        parts = urlsplit(self.path)
        path = unquote(parts.path).rstrip("/") or "/"
        query = parse_qs(parts.query, keep_blank_values=True)
        return Request(self.command, path, query, self.headers, self._read_body)

    def _read_body(self) -> dict[str, Any]:
        self._body_read = True
        return rq.read_json_body(self.headers, self.rfile)

    def _drain_unread_body(self) -> None:
        """Read and drop a body we answered without reading: closing a socket with unread
        data resets the connection, and the client would never see our 4xx."""
        if getattr(self, "_body_read", True) or "chunked" in (self.headers.get("Transfer-Encoding") or ""):
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return
        if 0 < length <= DRAIN_LIMIT:
            try:
                self.rfile.read(length)
            except OSError:
                pass

    def _check_origin(self, request: Request) -> None:
        """Refuse DNS-rebinding (a foreign Host on a loopback server) and cross-site writes."""
        host = self.headers.get("Host", "")
        if self.server.loopback_only and _hostname(host) not in LOOPBACK_NAMES:
            raise Forbidden(f"this console answers only to localhost, not Host {host[:80]!r}")
        origin = self.headers.get("Origin")
        if request.method not in ("GET", "HEAD") and origin is not None:
            if urlsplit(origin).netloc != host:
                raise Forbidden(f"cross-site request from {origin[:80]!r} refused")

    def _send(self, response: Response) -> None:
        if response.status >= 400:
            self.close_connection = True  # the body may be unread; do not parse it as the next request
            self._drain_unread_body()
        try:
            self.send_response(response.status)
            headers = {"Content-Type": response.content_type, "Content-Length": str(len(response.body)),
                       **SECURITY_HEADERS, **response.headers}
            if response.content_type == JSON_TYPE:
                headers.setdefault("Cache-Control", "no-store")
            if self.close_connection:
                headers["Connection"] = "close"
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            log.info("client went away before the response to %s %s", self.command, self.path[:200])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors (bad request line, unknown method, long URI) as JSON too."""
        body = {"error": "http", "status": code, "message": message or explain or "bad request"}
        self.close_connection = True
        self.command = self.command or "GET"
        self._send(Response(code, encode_json(body)))

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


def _hostname(host_header: str) -> str:
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
