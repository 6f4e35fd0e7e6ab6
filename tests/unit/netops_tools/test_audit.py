"""The hash chain catches alteration, removal and reordering done directly on the SQLite file."""

import itertools
import sqlite3

import pytest

from netops_tools.audit import AuditLog, redact
from netops_tools.errors import AuditChainError, AuditError


def filled(tmp_path, n=5):
    ticks = itertools.count(1000)
    log = AuditLog(tmp_path / "audit.sqlite", clock=lambda: float(next(ticks)))
    for i in range(n):
        log.append(actor="op", plane="control", tool="flows", version="1.0", effect="read", target="twin",
                   args={"switch": f"s{i}"}, outcome="ok", result_digest="d", error=None, duration_ms=1.0,
                   changeset_id=None)
    return log


def tamper(log, *statements):
    db = sqlite3.connect(log.path)
    db.execute("DROP TRIGGER records_no_update")
    db.execute("DROP TRIGGER records_no_delete")
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


def test_intact_chain_verifies_and_clock_is_injected(tmp_path):
    log = filled(tmp_path)
    assert log.verify() == 5
    assert [r.time for r in log.records()] == [1000.0, 1001.0, 1002.0, 1003.0, 1004.0]
    assert log.records()[1].prev_hash == log.records()[0].hash


def test_sqlite_refuses_update_and_delete(tmp_path):
    log = filled(tmp_path)
    db = sqlite3.connect(log.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE records SET actor = 'x' WHERE seq = 2")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM records WHERE seq = 2")


def test_altered_record_is_named(tmp_path):
    log = filled(tmp_path)
    tamper(log, "UPDATE records SET args = '{\"switch\":\"s9\"}' WHERE seq = 3")
    with pytest.raises(AuditChainError, match="record 3: .*altered") as caught:
        log.verify()
    assert caught.value.seq == 3


def test_removed_record_is_named(tmp_path):
    log = filled(tmp_path)
    tamper(log, "DELETE FROM records WHERE seq = 2")
    with pytest.raises(AuditChainError, match="record 2: missing"):
        log.verify()


def test_removed_last_record_is_caught_by_the_head(tmp_path):
    log = filled(tmp_path)
    tamper(log, "DELETE FROM records WHERE seq = 5")
    with pytest.raises(AuditChainError, match="record 5: .*removed at the end"):
        log.verify()


def test_reordered_records_are_named(tmp_path):
    log = filled(tmp_path)
    tamper(log, "UPDATE records SET seq = 100 WHERE seq = 2", "UPDATE records SET seq = 2 WHERE seq = 3",
           "UPDATE records SET seq = 3 WHERE seq = 100")
    with pytest.raises(AuditChainError, match="record 2: .*reordered"):
        log.verify()


def test_rehashed_forgery_breaks_the_next_link(tmp_path):
    from netops_tools.audit import record_hash
    log = filled(tmp_path)
    forged = log.records()[1].to_dict() | {"actor": "mallory"}
    forged["hash"] = record_hash(forged)
    tamper(log, f"UPDATE records SET actor = 'mallory', hash = '{forged['hash']}' WHERE seq = 2")
    with pytest.raises(AuditChainError, match="record 3: .*prev_hash"):
        log.verify()


def test_secrets_are_redacted():
    args = {"switch": "s1", "api_key": "k", "nested": [{"Password": "p", "x": 1}], "auth_token": "t"}
    assert redact(args) == {"switch": "s1", "api_key": "***", "nested": [{"Password": "***", "x": 1}],
                            "auth_token": "***"}


def test_unopenable_log_is_an_audit_error(tmp_path):
    (tmp_path / "dir.sqlite").mkdir()
    with pytest.raises(AuditError, match="dir.sqlite"):
        AuditLog(tmp_path / "dir.sqlite")
