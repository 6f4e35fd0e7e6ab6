"""Append-only, hash-chained audit log of tool invocations (SQLite).

Every record stores the hash of the record before it, and its own hash over all of its
fields; a chain head row stores the last sequence number and hash. Altering a record breaks
its hash, removing one leaves a gap in the sequence or a head that points past the end, and
reordering breaks the prev-hash links. Triggers refuse UPDATE and DELETE through SQLite;
someone who drops the triggers is still caught by `verify`.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from netops_tools.errors import AuditChainError, AuditError

GENESIS = "0" * 64
SECRET_KEY = re.compile(r"secret|token|passw|api[_-]?key|credential|authori[sz]ation|private[_-]?key",
                        re.IGNORECASE)
REDACTED = "***"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
  seq INTEGER PRIMARY KEY, time REAL NOT NULL, actor TEXT NOT NULL, plane TEXT NOT NULL,
  tool TEXT NOT NULL, version TEXT NOT NULL, effect TEXT NOT NULL, target TEXT NOT NULL,
  args TEXT NOT NULL, outcome TEXT NOT NULL, result_digest TEXT, error TEXT,
  duration_ms REAL NOT NULL, changeset_id TEXT, approval TEXT, anomaly TEXT,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chain_head (one INTEGER PRIMARY KEY CHECK (one = 1),
  seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
"""


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    time: float
    actor: str
    plane: str
    tool: str
    version: str
    effect: str
    target: str
    args: str                  # canonical JSON of the redacted arguments
    outcome: str               # ok | refused | failed
    result_digest: str | None
    error: str | None
    duration_ms: float
    changeset_id: str | None
    approval: str | None       # the approval reference the call carried
    anomaly: str | None        # the anomaly detector's reasons, when it flagged the call
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def redact(value: Any) -> Any:
    """Arguments with the values of secret-looking keys replaced, recursively."""
    if isinstance(value, Mapping):
        return {k: REDACTED if SECRET_KEY.search(str(k)) else redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()


def record_hash(fields: Mapping[str, Any]) -> str:
    return digest({k: v for k, v in fields.items() if k != "hash"})


class AuditLog:
    def __init__(self, path: str | Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise AuditError(f"cannot open audit log {self.path}: {exc}") from exc
        try:
            yield db
        except sqlite3.Error as exc:
            raise AuditError(f"audit log {self.path}: {exc}") from exc
        finally:
            db.close()

    def append(self, *, actor: str, plane: str, tool: str, version: str, effect: str, target: str,
               args: Any, outcome: str, result_digest: str | None, error: str | None,
               duration_ms: float, changeset_id: str | None, approval: str | None = None,
               anomaly: str | None = None) -> AuditRecord:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")      # serialise appenders across processes
            try:
                head = db.execute("SELECT seq, hash FROM chain_head WHERE one = 1").fetchone()
                seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
                fields = {"seq": seq, "time": self.clock(), "actor": actor, "plane": plane,
                          "tool": tool, "version": version, "effect": effect, "target": target,
                          "args": canonical(redact(args)), "outcome": outcome,
                          "result_digest": result_digest, "error": error,
                          "duration_ms": round(float(duration_ms), 3), "changeset_id": changeset_id,
                          "approval": approval, "anomaly": anomaly, "prev_hash": prev}
                fields["hash"] = record_hash(fields)
                names = ", ".join(fields)
                db.execute(f"INSERT INTO records ({names}) VALUES ({', '.join('?' * len(fields))})",
                           list(fields.values()))
                db.execute("INSERT OR REPLACE INTO chain_head (one, seq, hash) VALUES (1, ?, ?)",
                           (seq, fields["hash"]))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return AuditRecord(**fields)

    def records(self, actor: str | None = None, limit: int | None = None,
                since: float | None = None, principal: str | None = None) -> list[AuditRecord]:
        """Records in chain order; `principal` selects an actor and all its sessions
        (`cp-agent` matches `cp-agent` and `cp-agent#<thread>`)."""
        conditions = (["actor = ?"] if actor else []) + (["time > ?"] if since is not None else [])
        params: list[Any] = ([actor] if actor else []) + ([since] if since is not None else [])
        if principal:
            conditions.append("(actor = ? OR actor LIKE ? ESCAPE '\\')")
            escaped = principal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params += [principal, escaped + "#%"]
        query = ("SELECT * FROM records" + (" WHERE " + " AND ".join(conditions) if conditions else "")
                 + " ORDER BY rowid")
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = [AuditRecord(**dict(r)) for r in db.execute(query, params)]
        return rows[-limit:] if limit else rows

    def verify(self) -> int:
        """Check the whole chain; return the number of records, raise AuditChainError at the
        first bad one (altered, removed or reordered)."""
        records = self.records()
        prev, expected_seq = GENESIS, 1
        for record in records:
            if record.seq != expected_seq:
                raise AuditChainError(expected_seq, f"missing: found record {record.seq} where "
                                      f"{expected_seq} should be (removed or reordered)")
            if record.prev_hash != prev:
                raise AuditChainError(record.seq, "its prev_hash does not match the record before it "
                                      "(reordered or a record before it was replaced)")
            if record_hash(record.to_dict()) != record.hash:
                raise AuditChainError(record.seq, "its content does not match its hash (altered)")
            prev, expected_seq = record.hash, expected_seq + 1
        with self._connect() as db:
            head = db.execute("SELECT seq, hash FROM chain_head WHERE one = 1").fetchone()
        if head is not None and (head[0], head[1]) != (expected_seq - 1, prev):
            raise AuditChainError(expected_seq, f"the chain head says record {head[0]} is the last, "
                                  f"but the log ends at {expected_seq - 1} (records removed at the end)")
        return len(records)
