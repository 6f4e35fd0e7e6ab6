"""The canonical intent object (shared/contracts/intents.md) and its per-kind parameters.

Every producer (the deterministic parser, an LLM, a JSON body from the API) goes through
`Intent.model_validate`, which canonicalises params: exact names, missing -> null / [],
unordered lists sorted, links written "a-b" with a<b, numbers integral where they can be.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from cp_agents.errors import IntentSchemaError

Status = Literal["ok", "refused", "clarify"]


def tidy_number(value: int | float | None) -> int | float | None:
    """100.0 -> 100 so that JSON reads like the contract's examples."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _lower(value: str | None) -> str | None:
    return value.strip().lower() if isinstance(value, str) else value


def _sorted_names(values: list[str]) -> list[str]:
    return sorted({v.strip().lower() for v in values if v and v.strip()})


def canonical_link(text: str) -> str:
    """'s4-s1' -> 's1-s4': a link's two ends are unordered."""
    ends = [e.strip().lower() for e in text.split("-") if e.strip()]
    return "-".join(sorted(ends)) if len(ends) == 2 else text.strip().lower()


def _sorted_avoid(values: list[str]) -> list[str]:
    return sorted({canonical_link(v) for v in values if v and v.strip()})


Number = Annotated[int | float | None, Field(ge=0), AfterValidator(tidy_number)]
Name = Annotated[str | None, AfterValidator(_lower)]
Names = Annotated[list[str], AfterValidator(_sorted_names)]
Proto = Annotated[Literal["tcp", "udp", "icmp"] | None, AfterValidator(_lower)]
Port = Annotated[int | None, Field(ge=0, le=65535)]


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SliceCreate(_Params):
    name: Name = None
    type: Literal["embb", "urllc", "mmtc"] | None = None
    endpoints: Names = []
    bandwidth_mbps: Number = None
    latency_ms: Number = None


class SliceModify(_Params):
    name: Name = None
    bandwidth_mbps: Number = None
    latency_ms: Number = None


class SliceDelete(_Params):
    name: Name = None


class Acl(_Params):
    src: Name = None
    dst: Name = None
    proto: Proto = None
    port: Port = None


class RateLimit(_Params):
    target: Name = None
    bandwidth_mbps: Number = None


class PathAvoid(_Params):
    src: Name = None
    dst: Name = None
    avoid: Annotated[list[str], AfterValidator(_sorted_avoid)] = []


class PathVia(_Params):
    src: Name = None
    dst: Name = None
    via: list[Annotated[str, AfterValidator(_lower)]] = []   # order matters: waypoints in sequence


class NodeOnly(_Params):
    node: Name = None


class LinkDown(_Params):
    link: Names = []

    @model_validator(mode="after")
    def _two_ends(self) -> LinkDown:
        if len(self.link) not in (0, 2):
            raise ValueError("a link has exactly two ends")
        return self


class SrcDst(_Params):
    src: Name = None
    dst: Name = None


class ServiceDeploy(_Params):
    service: Literal["license_plate_recognition", "traffic_flow_prediction",
                     "blind_zone_completion"] | None = None
    near: Name = None
    latency_ms: Number = None


class Output(_Params):
    type: Literal["OUTPUT"] = "OUTPUT"
    port: int | Literal["FLOOD", "ALL", "CONTROLLER", "IN_PORT", "NORMAL", "LOCAL"]


class SetQueue(_Params):
    type: Literal["SET_QUEUE"] = "SET_QUEUE"
    queue_id: int = Field(ge=0)


class PushVlan(_Params):
    type: Literal["PUSH_VLAN"] = "PUSH_VLAN"
    ethertype: int = 33024


class PopVlan(_Params):
    type: Literal["POP_VLAN"] = "POP_VLAN"


class SetField(_Params):
    type: Literal["SET_FIELD"] = "SET_FIELD"
    field: str
    value: int | str


FlowAction = Annotated[Output | SetQueue | PushVlan | PopVlan | SetField, Field(discriminator="type")]


class FlowAdd(_Params):
    """Exactly the body of Ryu's POST /stats/flowentry/add, less table_id."""
    dpid: int | None = Field(default=None, ge=0)
    priority: int | None = Field(default=None, ge=0, le=65535)
    match: dict[str, int | str] = {}
    actions: list[FlowAction] = []          # in order; empty means drop


PARAMS_BY_KIND: dict[str, type[_Params]] = {
    "slice.create": SliceCreate,
    "slice.modify": SliceModify,
    "slice.delete": SliceDelete,
    "acl.block": Acl,
    "acl.allow": Acl,
    "rate.limit": RateLimit,
    "path.avoid": PathAvoid,
    "path.via": PathVia,
    "node.drain": NodeOnly,
    "whatif.link_down": LinkDown,
    "whatif.node_down": NodeOnly,
    "query.reachability": SrcDst,
    "query.path": SrcDst,
    "flow.add": FlowAdd,
    "service.deploy": ServiceDeploy,
}
KINDS: tuple[str, ...] = tuple(PARAMS_BY_KIND)
Kind = Literal[
    "slice.create", "slice.modify", "slice.delete", "acl.block", "acl.allow", "rate.limit", "path.avoid",
    "path.via", "node.drain", "whatif.link_down", "whatif.node_down", "query.reachability", "query.path",
    "flow.add", "service.deploy",
]
READ_ONLY_KINDS = frozenset({"whatif.link_down", "whatif.node_down", "query.reachability", "query.path"})


def canonical_params(kind: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """Validate a kind's params and return them in canonical JSON form."""
    model = PARAMS_BY_KIND[kind].model_validate(params or {})
    dumped = model.model_dump(mode="json")
    if kind == "flow.add":
        dumped["actions"] = [a.model_dump(mode="json") for a in model.actions]
        if dumped.get("priority") is None:
            # the body Ryu's flowentry/add takes: a priority the text does not give is left out
            # (Ryu then uses 0), as the contract's examples show, rather than sent as null
            dumped.pop("priority", None)
    return dumped


class Intent(BaseModel):
    """{"status", "kind", "params", "reason"}: see shared/contracts/intents.md."""
    model_config = ConfigDict(extra="forbid")

    status: Status
    kind: Kind | None = None
    params: dict[str, Any] = {}
    reason: str | None = None

    @model_validator(mode="after")
    def _canonical(self) -> Intent:
        if self.kind is not None:
            self.params = canonical_params(self.kind, self.params)
        if self.status == "ok":
            if self.kind is None:
                raise ValueError("an ok intent needs a kind")
            self.reason = None
        elif not (self.reason or "").strip():
            raise ValueError(f"a {self.status} intent needs a reason a person can act on")
        return self

    @classmethod
    def ok(cls, kind: str, params: dict[str, Any]) -> Intent:
        return cls.parse_obj_strict({"status": "ok", "kind": kind, "params": params})

    @classmethod
    def refused(cls, reason: str, kind: str | None = None, params: dict[str, Any] | None = None) -> Intent:
        return cls(status="refused", kind=kind, params=params or {}, reason=reason)

    @classmethod
    def clarify(cls, reason: str, kind: str | None = None, params: dict[str, Any] | None = None) -> Intent:
        return cls(status="clarify", kind=kind, params=params or {}, reason=reason)

    @classmethod
    def parse_obj_strict(cls, data: Any) -> Intent:
        """Validate foreign data (JSON, LLM output); schema problems become IntentSchemaError."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise IntentSchemaError(f"not a valid intent: {exc.errors(include_url=False)}") from exc

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "kind": self.kind, "params": self.params, "reason": self.reason}
