"""The REST API: Ryu ofctl_rest's surface and JSON shapes, plus the project's /aaas/v1.

A stdlib threading HTTP server (os-ken 4 ships no wsgi/ofctl_rest). Every request is
validated before it reaches os-ken; every failure is a JSON error with a 4xx/5xx status,
and no input can stop the server.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from os_ken.lib import ofctl_v1_3 as ofctl

from twin.controller.app import AaasController, SwitchRefused, SwitchUnavailable
from twin.controller.validation import RequestError, check_flow, check_meter, integer
from twin.model import topology_to_document

LOG = logging.getLogger("aaas.controller.rest")
MAX_BODY_BYTES = 64 * 1024
MAX_DISCARD_BYTES = 8 * 1024 * 1024
FLOW_COMMANDS = ("add", "modify", "modify_strict", "delete", "delete_strict")
METER_COMMANDS = ("add", "modify", "delete")


class Api:
    """Route table and handlers; independent of the HTTP plumbing below."""

    def __init__(self, app: AaasController) -> None:
        self.app = app
        self.routes: list[tuple[str, re.Pattern, Callable]] = [
            ("GET", re.compile(r"^/stats/switches$"), self.switches),
            ("GET", re.compile(r"^/stats/desc/(\w+)$"), self.desc),
            ("GET", re.compile(r"^/stats/flow/(\w+)$"), self.flows),
            ("POST", re.compile(r"^/stats/flow/(\w+)$"), self.flows),
            ("GET", re.compile(r"^/stats/port/(\w+)(?:/(\w+))?$"), self.ports),
            ("GET", re.compile(r"^/stats/portdesc/(\w+)$"), self.port_desc),
            ("GET", re.compile(r"^/stats/meter/(\w+)(?:/(\w+))?$"), self.meters),
            ("GET", re.compile(r"^/stats/meterconfig/(\w+)(?:/(\w+))?$"), self.meter_config),
            ("POST", re.compile(r"^/stats/flowentry/(\w+)$"), self.flow_entry),
            ("DELETE", re.compile(r"^/stats/flowentry/clear/(\w+)$"), self.clear_flows),
            ("POST", re.compile(r"^/stats/meterentry/(\w+)$"), self.meter_entry),
            ("GET", re.compile(r"^/aaas/v1/health$"), self.health),
            ("GET", re.compile(r"^/aaas/v1/topology$"), self.topology),
        ]

    def dispatch(self, method: str, path: str, body: object) -> tuple[int, object]:
        known_path = False
        for verb, pattern, handler in self.routes:
            match = pattern.match(path)
            if match:
                known_path = True
                if verb == method:
                    args = [a for a in match.groups() if a is not None]
                    return handler(*args, body=body) if method == "POST" else handler(*args)
        if known_path:
            raise RequestError(f"method {method} is not allowed on {path}", 405)
        raise RequestError(f"no such endpoint: {method} {path[:80]}", 404)

    def _dp(self, dpid: object):
        number = integer(dpid, "dpid", 1)
        try:
            return self.app.datapath(number)
        except SwitchUnavailable as exc:
            raise RequestError(str(exc), 404) from None

    # -- reads ---------------------------------------------------------------------------
    def switches(self):
        with self.app._lock:
            return 200, sorted(self.app.datapaths)

    def desc(self, dpid):
        return 200, ofctl.get_desc_stats(self._dp(dpid), self.app.waiters)

    def flows(self, dpid, body=None):
        dp = self._dp(dpid)
        flt = {} if body is None else body
        if not isinstance(flt, dict):
            raise RequestError("flow filter must be a JSON object")
        return 200, ofctl.get_flow_stats(dp, self.app.waiters, dict(flt))

    def ports(self, dpid, port=None):
        return 200, ofctl.get_port_stats(self._dp(dpid), self.app.waiters, port)

    def port_desc(self, dpid):
        return 200, ofctl.get_port_desc(self._dp(dpid), self.app.waiters)

    def meters(self, dpid, meter_id=None):
        return 200, ofctl.get_meter_stats(self._dp(dpid), self.app.waiters, meter_id)

    def meter_config(self, dpid, meter_id=None):
        return 200, ofctl.get_meter_config(self._dp(dpid), self.app.waiters, meter_id)

    def health(self):
        app = self.app
        with app._lock:
            connected, programmed = len(app.datapaths), len(app.programmed)
        expected = len(app.addressing.dpids)
        return 200, {"status": "ready" if programmed == expected else "starting",
                     "topology": app.topology.name, "switches_expected": expected,
                     "switches_connected": connected, "switches_programmed": programmed}

    def topology(self):
        addressing = self.app.addressing
        return 200, {"topology": topology_to_document(self.app.topology),
                     "dpids": addressing.dpids,
                     "ports": [{"switch": s, "neighbour": n, "port": p}
                               for (s, n), p in addressing.ports.items()],
                     "hosts": {h.name: {"ip": h.ip, "mac": h.mac, "switch": h.switch, "port": h.port}
                               for h in addressing.hosts.values()}}

    # -- writes --------------------------------------------------------------------------
    def flow_entry(self, command, body=None):
        if command not in FLOW_COMMANDS:
            raise RequestError(f"unknown flow command {command!r}; use {', '.join(FLOW_COMMANDS)}", 404)
        flow = check_flow(body)
        dp = self._dp(flow["dpid"])
        ofp = dp.ofproto
        code = {"add": ofp.OFPFC_ADD, "modify": ofp.OFPFC_MODIFY,
                "modify_strict": ofp.OFPFC_MODIFY_STRICT, "delete": ofp.OFPFC_DELETE,
                "delete_strict": ofp.OFPFC_DELETE_STRICT}[command]
        self._send(dp, [self.app.flow_message(dp, flow, code)])
        if command in ("add", "modify", "modify_strict"):
            self.app.ledger.add_flow(dp.id, flow)
        else:
            self.app.ledger.delete_flows(dp.id, flow, strict=command == "delete_strict")
        return 200, None

    def clear_flows(self, dpid):
        dp = self._dp(dpid)
        self._send(dp, [self.app.flow_message(dp, {"table_id": dp.ofproto.OFPTT_ALL},
                                              dp.ofproto.OFPFC_DELETE)])
        self.app.ledger.clear(dp.id)
        return 200, None

    def meter_entry(self, command, body=None):
        if command not in METER_COMMANDS:
            raise RequestError(f"unknown meter command {command!r}; use {', '.join(METER_COMMANDS)}", 404)
        meter = check_meter(body)
        dp = self._dp(meter["dpid"])
        ofp = dp.ofproto
        code = {"add": ofp.OFPMC_ADD, "modify": ofp.OFPMC_MODIFY, "delete": ofp.OFPMC_DELETE}[command]
        self._send(dp, [self.app.meter_message(dp, meter, code)])
        if command == "delete":
            self.app.ledger.delete_meter(dp.id, int(str(meter["meter_id"]), 0))
        else:
            self.app.ledger.set_meter(dp.id, meter)
        return 200, None

    def _send(self, dp, messages: list) -> None:
        try:
            self.app.send_confirmed(dp, messages)
        except SwitchRefused as exc:
            raise RequestError(str(exc), 400) from None
        except SwitchUnavailable as exc:
            raise RequestError(str(exc), 503) from None


def _handler_class(api: Api) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "aaas-controller"

        def log_message(self, fmt: str, *args) -> None:
            LOG.debug("%s " + fmt, self.address_string(), *args)

        def _answer(self, status: int, payload: object) -> None:
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> object:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                raise RequestError("Content-Length is not a number") from None
            if length > MAX_BODY_BYTES:
                self._discard(length)
                raise RequestError(f"body of {length} bytes is over the {MAX_BODY_BYTES}-byte limit", 413)
            raw = self.rfile.read(length) if length > 0 else b""
            if not raw:
                return None
            try:
                return json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise RequestError(f"body is not valid JSON: {exc}") from None

        def _discard(self, length: int) -> None:
            """Read (a bounded amount of) an oversized body, so the client sees our 413
            rather than a connection reset in the middle of its upload."""
            remaining = min(length, MAX_DISCARD_BYTES)
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)

        def _serve(self, method: str) -> None:
            try:
                body = self._body() if method == "POST" else None
                status, payload = api.dispatch(method, self.path.split("?")[0], body)
            except RequestError as exc:
                status, payload = exc.status, {"error": str(exc)}
                if exc.status == 413:
                    self.close_connection = True
            except Exception as exc:    # the server outlives any bug in one request
                LOG.exception("request %s %s failed", method, self.path)
                status, payload = 500, {"error": f"internal error: {type(exc).__name__}: {exc}"}
            self._answer(status, payload)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def do_DELETE(self) -> None:  # noqa: N802
            self._serve("DELETE")

        def do_PUT(self) -> None:  # noqa: N802
            self._serve("PUT")

    return Handler


def start_rest_server(app: AaasController, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler_class(Api(app)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="rest", daemon=True).start()
    return server
