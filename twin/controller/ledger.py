"""Pure: the flows and meters installed over REST, kept so a reconnecting switch gets them back."""

from __future__ import annotations

import json


def _key(flow: dict) -> tuple:
    return (int(str(flow.get("table_id", 0)), 0), int(str(flow.get("priority", 0)), 0),
            json.dumps(flow.get("match", {}), sort_keys=True))


def _covers(general: dict, specific: dict) -> bool:
    return all(specific.get(k) == v for k, v in general.items())


class Ledger:
    def __init__(self) -> None:
        self.flows: dict[int, dict[tuple, dict]] = {}
        self.meters: dict[int, dict[int, dict]] = {}

    def add_flow(self, dpid: int, flow: dict) -> None:
        self.flows.setdefault(dpid, {})[_key(flow)] = flow

    def delete_flows(self, dpid: int, request: dict, strict: bool) -> None:
        table = self.flows.get(dpid, {})
        mask = int(str(request.get("cookie_mask", 0)), 0)
        cookie = int(str(request.get("cookie", 0)), 0)
        match = request.get("match", {})
        for key, flow in list(table.items()):
            if mask and (int(str(flow.get("cookie", 0)), 0) & mask) != (cookie & mask):
                continue
            if strict and key != _key(request):
                continue
            if not strict and not _covers(match, flow.get("match", {})):
                continue
            del table[key]

    def clear(self, dpid: int) -> None:
        self.flows.pop(dpid, None)

    def set_meter(self, dpid: int, meter: dict) -> None:
        self.meters.setdefault(dpid, {})[int(str(meter["meter_id"]), 0)] = meter

    def delete_meter(self, dpid: int, meter_id: int) -> None:
        self.meters.get(dpid, {}).pop(meter_id, None)

    def replay(self, dpid: int) -> tuple[list[dict], list[dict]]:
        """Meters first: a flow that points at a missing meter is refused by the switch."""
        return list(self.meters.get(dpid, {}).values()), list(self.flows.get(dpid, {}).values())
