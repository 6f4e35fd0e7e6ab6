"""Experience records: every pushed or refused change, summarised so later plans can retrieve it.

The JSONL log is the source of truth (append-only, one record per line); the vector index
over it is a cache that is rebuilt from the log when it is missing or stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cp_agents.errors import KnowledgeError
from cp_agents.retrieval.cache import content_key

OUTCOMES = ("pushed", "refused", "rejected", "failed", "rolled_back", "clarify")


@dataclass(frozen=True)
class ExperienceRecord:
    outcome: str                       # one of OUTCOMES
    text: str                          # the operator's words
    kind: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    summary: str = ""                  # what was done or why not (validation evidence, refusal reason)
    changeset_id: str | None = None
    audit_ids: list[str] = field(default_factory=list)
    at: str | None = None              # ISO time, given by the caller (pure: no clock here)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExperienceRecord:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        record = cls(**known)
        if record.outcome not in OUTCOMES:
            raise KnowledgeError(f"experience outcome {record.outcome!r} is not one of {OUTCOMES}")
        return record

    @property
    def record_id(self) -> str:
        return content_key(self.to_json())

    def to_json(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "text": self.text, "kind": self.kind, "params": self.params,
                "summary": self.summary, "changeset_id": self.changeset_id, "audit_ids": list(self.audit_ids),
                "at": self.at}

    def passage_text(self) -> str:
        params = json.dumps(self.params, sort_keys=True) if self.params else ""
        return f"{self.outcome} {self.kind or 'request'}: {self.text}. {params} {self.summary}".strip()

    def heading(self) -> str:
        return f"{self.outcome} {self.kind or 'request'}" + (f" at {self.at}" if self.at else "")


class ExperienceLog:
    """Append-only JSONL file of experience records."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, record: ExperienceRecord) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
        except OSError as exc:
            raise KnowledgeError(f"cannot append to the experience log {self.path}: {exc}") from exc

    def read(self) -> list[ExperienceRecord]:
        if not self.path.exists():
            return []
        records = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append(ExperienceRecord.from_dict(json.loads(line)))
            except (json.JSONDecodeError, TypeError) as exc:
                raise KnowledgeError(f"{self.path}:{number} is not an experience record: {exc}") from exc
        return records
