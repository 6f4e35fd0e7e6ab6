import hashlib

import pytest

from dp_agents.data_sources import DATA_ENV, data_root, listed_sha256, verified_file
from dp_agents.errors import DataSourceError


def _dataset(tmp_path, listed_digest):
    folder = tmp_path / "metr-la"
    folder.mkdir()
    (folder / "adj_mx.pkl").write_bytes(b"payload")
    (folder / "SOURCE.md").write_text(f"sha256:\n{listed_digest}  adj_mx.pkl\n")
    return folder


def test_data_root_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    assert data_root() == tmp_path


def test_a_listed_matching_file_is_accepted(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    folder = _dataset(tmp_path, hashlib.sha256(b"payload").hexdigest())
    assert verified_file("metr-la", "adj_mx.pkl") == folder / "adj_mx.pkl"
    assert listed_sha256(folder) == {"adj_mx.pkl": hashlib.sha256(b"payload").hexdigest()}


def test_a_tampered_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    _dataset(tmp_path, "0" * 64)
    with pytest.raises(DataSourceError, match="refusing"):
        verified_file("metr-la", "adj_mx.pkl")


def test_an_unlisted_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    folder = _dataset(tmp_path, "0" * 64)
    (folder / "other.pkl").write_bytes(b"x")
    with pytest.raises(DataSourceError, match="no sha256"):
        verified_file("metr-la", "other.pkl")


def test_a_missing_folder_says_how_to_configure(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    with pytest.raises(DataSourceError, match=DATA_ENV):
        verified_file("pems-bay", "x")
