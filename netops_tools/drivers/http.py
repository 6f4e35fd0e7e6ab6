"""Controller driver speaking Ryu's ofctl_rest (plus the project's /aaas/v1) over HTTP.

Works with the project's controller and, by construction, with Ryu running ofctl_rest.
Every httpx error becomes a DriverError carrying the URL and, when there was an answer,
the HTTP status; every request has a timeout.
"""

from __future__ import annotations

from typing import Any

import httpx

from netops_tools.drivers.base import ALL_COOKIE_BITS, InstalledFlow, PortCounters
from netops_tools.drivers.ofctl import (
    OfctlFormatError,
    delete_strict_body,
    flow_from_stats,
    meter_from_config,
    port_number,
)
from netops_tools.errors import ControllerRejected, ControllerUnreachable, DriverError
from twin.model.changeset import FlowRule, Meter

DEFAULT_TIMEOUT_S = 10.0     # a loaded 2-core machine: os-ken stats replies took > 5 s
_PORT_FIELDS = ("rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_dropped", "tx_dropped")


class OfctlRestDriver:
    def __init__(self, url: str, timeout_s: float = DEFAULT_TIMEOUT_S,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self._client = httpx.Client(base_url=self.url, timeout=timeout_s, transport=transport)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OfctlRestDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one place that talks HTTP -------------------------------------------------
    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        url = f"{self.url}{path}"
        try:
            response = self._client.request(method, path, json=body)
        except httpx.TimeoutException as exc:
            raise ControllerUnreachable(f"{method} {url}: timed out ({exc})", url) from exc
        except httpx.HTTPError as exc:
            raise ControllerUnreachable(f"{method} {url}: {type(exc).__name__}: {exc}", url) from exc
        if response.status_code >= 400:
            excerpt = response.text[:200].replace("\n", " ")
            raise ControllerRejected(f"{method} {url}: HTTP {response.status_code}: {excerpt}",
                                     url, response.status_code)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise DriverError(f"{method} {url}: HTTP {response.status_code}: answer is not JSON",
                              url, response.status_code) from exc

    def _per_dpid(self, path: str, dpid: int) -> list[dict[str, Any]]:
        data = self._request("GET", f"{path}/{dpid}") or {}
        if not isinstance(data, dict):
            raise DriverError(f"GET {self.url}{path}/{dpid}: expected an object keyed by dpid",
                              f"{self.url}{path}/{dpid}", 200)
        return list(data.get(str(dpid), data.get(dpid, [])) or [])

    # -- reads ---------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return self._request("GET", "/aaas/v1/health") or {}

    def topology(self) -> dict[str, Any]:
        return self._request("GET", "/aaas/v1/topology") or {}

    def switches(self) -> list[int]:
        return sorted(int(d) for d in self._request("GET", "/stats/switches") or [])

    def flows(self, dpid: int) -> list[InstalledFlow]:
        try:
            out = []
            for entry in self._per_dpid("/stats/flow", dpid):
                rule, counters = flow_from_stats(dpid, entry)
                out.append(InstalledFlow(rule, **counters))
            return out
        except OfctlFormatError as exc:
            raise DriverError(f"GET {self.url}/stats/flow/{dpid}: {exc}", f"{self.url}/stats/flow/{dpid}",
                              200) from exc

    def ports(self, dpid: int) -> list[PortCounters]:
        out = []
        for entry in self._per_dpid("/stats/port", dpid):
            try:
                number = port_number(entry.get("port_no"))
            except OfctlFormatError:
                continue
            out.append(PortCounters(dpid=dpid, port_no=number,
                                    duration_sec=float(entry.get("duration_sec", 0)),
                                    **{k: int(entry.get(k, 0)) for k in _PORT_FIELDS}))
        return sorted(out, key=lambda p: p.port_no)

    def meters(self, dpid: int) -> list[Meter]:
        """Meter configuration (rates and bursts), from /stats/meterconfig, else /stats/meter."""
        try:
            entries = self._per_dpid("/stats/meterconfig", dpid)
        except ControllerRejected as exc:
            if exc.status != 404:
                raise
            entries = [e for e in self._per_dpid("/stats/meter", dpid) if e.get("bands")]
        try:
            return sorted((meter_from_config(dpid, e) for e in entries), key=lambda m: m.meter_id)
        except (OfctlFormatError, KeyError, ValueError) as exc:
            raise DriverError(f"GET {self.url}/stats/meterconfig/{dpid}: {exc}", self.url, 200) from exc

    # -- writes --------------------------------------------------------------------------
    def add_flow(self, rule: FlowRule) -> None:
        self._request("POST", "/stats/flowentry/add", rule.to_ofctl())

    def modify_flow(self, rule: FlowRule) -> None:
        """Change the actions of the flows matching the rule (non-strict, as ofctl_rest does)."""
        self._request("POST", "/stats/flowentry/modify", rule.to_ofctl())

    def delete_flow_strict(self, rule: FlowRule) -> None:
        self._request("POST", "/stats/flowentry/delete_strict", delete_strict_body(rule))

    def delete_flows_by_cookie(self, dpid: int, cookie: int, cookie_mask: int = ALL_COOKIE_BITS) -> None:
        # table_id 255 (OFPTT_ALL): a ChangeSet's flows may live in any table
        self._request("POST", "/stats/flowentry/delete",
                      {"dpid": dpid, "table_id": 255, "cookie": cookie, "cookie_mask": cookie_mask,
                       "match": {}})

    def clear_flows(self, dpid: int) -> None:
        self._request("DELETE", f"/stats/flowentry/clear/{dpid}")

    def add_meter(self, meter: Meter) -> None:
        self._request("POST", "/stats/meterentry/add", meter.to_ofctl())

    def modify_meter(self, meter: Meter) -> None:
        self._request("POST", "/stats/meterentry/modify", meter.to_ofctl())

    def delete_meter(self, dpid: int, meter_id: int) -> None:
        self._request("POST", "/stats/meterentry/delete", {"dpid": dpid, "meter_id": meter_id})
