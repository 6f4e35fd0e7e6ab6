"""Reading a topology file's text with the limits every loader shares."""

from __future__ import annotations

from pathlib import Path

from twin.model.errors import TopologyError

MAX_FILE_BYTES = 16 * 1024 * 1024


def read_text(path: Path) -> str:
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TopologyError(source, "file", f"cannot be read: {exc.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise TopologyError(source, "file", f"is {size} bytes; the limit is {MAX_FILE_BYTES}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TopologyError(source, "file", f"is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise TopologyError(source, "file", f"cannot be read: {exc.strerror}") from None


def as_number(source: str, element: str, key: str, value: object, *, default: float | None = None
              ) -> float | None:
    """A numeric attribute, or a TopologyError that says which one and why."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TopologyError(source, element, f"{key} must be a number, got {type(value).__name__}")
    try:
        number = float(value)
    except ValueError:
        raise TopologyError(source, element, f"{key} must be a number, got {str(value)[:40]!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise TopologyError(source, element, f"{key} must be finite")
    return number
