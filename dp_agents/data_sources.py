"""Where the services' data lives, and the integrity check before anything is parsed.

Data is read in place: by default from ../shared/data next to the project checkout, or from
$AAAS_DATA_DIR, laid out as <dir>/metr-la/..., <dir>/nab-realtraffic/.... Each folder may carry
a SOURCE.md listing `<sha256>  <file>` lines; files that execute code when loaded (pickles)
are only read when their sha256 is listed there and matches.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from dp_agents.errors import DataSourceError

DATA_ENV = "AAAS_DATA_DIR"
_SHA_LINE = re.compile(r"^([0-9a-f]{64})\s+(\S+)\s*$", re.MULTILINE)


def data_root() -> Path:
    configured = os.environ.get(DATA_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def dataset_dir(name: str) -> Path:
    folder = data_root() / name
    if not folder.is_dir():
        raise DataSourceError(
            f"data folder {folder} is missing: set {DATA_ENV} to a folder holding {name}/ "
            "(see dp_agents/README.md, 'Your own data')"
        )
    return folder


def dataset_file(name: str, file: str) -> Path:
    path = dataset_dir(name) / file
    if not path.is_file():
        raise DataSourceError(f"data file {path} is missing (see dp_agents/README.md, 'Your own data')")
    return path


def listed_sha256(folder: Path) -> dict[str, str]:
    """file name -> sha256 as listed in the folder's SOURCE.md (empty when there is none)."""
    source = folder / "SOURCE.md"
    if not source.is_file():
        return {}
    return {name: digest for digest, name in _SHA_LINE.findall(source.read_text())}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_file(name: str, file: str) -> Path:
    """The path of a data file whose sha256 matches its SOURCE.md entry; refuses otherwise."""
    path = dataset_file(name, file)
    expected = listed_sha256(path.parent).get(file)
    if expected is None:
        raise DataSourceError(f"{path} has no sha256 in {path.parent / 'SOURCE.md'}: refusing to load it")
    actual = file_sha256(path)
    if actual != expected:
        raise DataSourceError(f"{path} has sha256 {actual}, SOURCE.md lists {expected}: refusing to load it")
    return path
