"""A small SQLite store: ChangeSets by id, their validation reports, and the push ledger
(which ChangeSets are applied on which target, with the approval reference)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from netops_tools.checks import ValidationReport
from netops_tools.errors import StoreError
from twin.model.changeset import ChangeSet, ChangeSetError, SliceReservation

_SCHEMA = """
CREATE TABLE IF NOT EXISTS changesets (id TEXT PRIMARY KEY, created REAL NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (changeset_id TEXT NOT NULL, target TEXT NOT NULL, created REAL NOT NULL,
  passed INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ledger (seq INTEGER PRIMARY KEY, changeset_id TEXT NOT NULL, target TEXT NOT NULL,
  action TEXT NOT NULL, approval_ref TEXT, time REAL NOT NULL);
"""


class ChangeSetStore:
    def __init__(self, path: str | Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open ChangeSet store {self.path}: {exc}") from exc
        try:
            with db:
                yield db
        except sqlite3.Error as exc:
            raise StoreError(f"ChangeSet store {self.path}: {exc}") from exc
        finally:
            db.close()

    def save(self, changeset: ChangeSet) -> str:
        with self._db() as db:
            db.execute("INSERT OR IGNORE INTO changesets (id, created, doc) VALUES (?, ?, ?)",
                       (changeset.id, self.clock(), json.dumps(changeset.to_dict(), sort_keys=True)))
        return changeset.id

    def get(self, changeset_id: str) -> ChangeSet:
        with self._db() as db:
            rows = db.execute("SELECT id, doc FROM changesets WHERE id LIKE ?",
                              (changeset_id + "%",)).fetchall()
        if not rows:
            raise StoreError(f"no ChangeSet with id {changeset_id!r} in {self.path}")
        if len(rows) > 1:
            raise StoreError(f"id prefix {changeset_id!r} is ambiguous: {', '.join(r[0] for r in rows)}")
        try:
            return ChangeSet.from_dict(json.loads(rows[0][1]))
        except (ChangeSetError, ValueError, KeyError) as exc:
            raise StoreError(f"stored ChangeSet {rows[0][0]} is damaged: {exc}") from exc

    def list(self) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute("SELECT id, created, doc FROM changesets ORDER BY created").fetchall()
        return [{"id": i, "created": c, "summary": json.loads(d).get("summary", "")} for i, c, d in rows]

    def save_report(self, report: ValidationReport) -> None:
        with self._db() as db:
            db.execute("INSERT INTO reports (changeset_id, target, created, passed, doc) "
                       "VALUES (?, ?, ?, ?, ?)",
                       (report.changeset_id, report.target, self.clock(), int(report.passed),
                        json.dumps(report.to_dict(), sort_keys=True, default=str)))

    def latest_report(self, changeset_id: str) -> ValidationReport | None:
        with self._db() as db:
            row = db.execute("SELECT doc FROM reports WHERE changeset_id = ? ORDER BY rowid DESC LIMIT 1",
                             (changeset_id,)).fetchone()
        return ValidationReport.from_dict(json.loads(row[0])) if row else None

    def record(self, changeset_id: str, target: str, action: str, approval_ref: str | None = None) -> None:
        with self._db() as db:
            db.execute("INSERT INTO ledger (changeset_id, target, action, approval_ref, time) "
                       "VALUES (?, ?, ?, ?, ?)",
                       (changeset_id, target, action, approval_ref, self.clock()))

    def applied(self, target: str) -> list[str]:
        """ChangeSet ids whose last ledger action on `target` is a push."""
        with self._db() as db:
            rows = db.execute("SELECT changeset_id, action FROM ledger WHERE target = ? ORDER BY seq",
                              (target,)).fetchall()
        last: dict[str, str] = {}
        for changeset_id, action in rows:
            last[changeset_id] = action
        return [cid for cid, action in last.items() if action == "pushed"]

    def admitted_slices(self, target: str) -> tuple[SliceReservation, ...]:
        return tuple(s for cid in self.applied(target) for s in self.get(cid).slices)
