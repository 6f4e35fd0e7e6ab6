"""The registry of known vehicles, and the lookup step that answers "whose plate is this?".

A registry is a JSON object {"vehicles": [{"plate", "make", "colour", "status"}, ...]}. A user
supplies their own with `aaas service run license_plate_recognition --registry FILE` (or the
AAAS_PLATE_REGISTRY environment variable); without one, the demo registry lists the synthetic
plates of the default seed, with every tenth plate marked stolen.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from dp_agents.errors import DataSourceError, StepInputError
from dp_agents.plates.layout import fold_to_layout, generate_plate_labels

REGISTRY_ENV = "AAAS_PLATE_REGISTRY"
DEMO_SEED = 7
DEMO_SIZE = 200
_MAKES = ("Toyota Prius", "Honda Civic", "Ford F-150", "Tesla Model 3", "Chevrolet Bolt", "Nissan Leaf")
_COLOURS = ("white", "black", "silver", "blue", "red", "grey")


def demo_registry(seed: int = DEMO_SEED, size: int = DEMO_SIZE) -> dict:
    vehicles = [
        {
            "plate": plate,
            "make": _MAKES[i % len(_MAKES)],
            "colour": _COLOURS[(i * 7) % len(_COLOURS)],
            "status": "stolen" if i % 10 == 3 else "registered",
        }
        for i, plate in enumerate(generate_plate_labels(size, seed))
    ]
    return {"vehicles": vehicles}


def load_registry(path: str | os.PathLike | None = None) -> dict[str, dict]:
    """Plate -> vehicle record, from `path`, else $AAAS_PLATE_REGISTRY, else the demo registry."""
    source = path or os.environ.get(REGISTRY_ENV)
    return _index(_read(Path(source))) if source else _demo_index()


@lru_cache(maxsize=1)
def _demo_index() -> dict[str, dict]:
    return _index(demo_registry())


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise DataSourceError(
            f'vehicle registry {path} is unreadable: {exc}; expected {{"vehicles": [{{"plate": ...}}, ...]}}'
        ) from exc


def _index(registry: dict) -> dict[str, dict]:
    vehicles = registry.get("vehicles") if isinstance(registry, dict) else None
    if not isinstance(vehicles, list) or not all(isinstance(v, dict) and "plate" in v for v in vehicles):
        raise DataSourceError('a vehicle registry is {"vehicles": [{"plate": ..., ...}, ...]}')
    return {str(v["plate"]).upper(): v for v in vehicles}


def lookup_plate(reading: dict, registry: dict[str, dict] | None = None) -> dict:
    """OCR reading {"plate", "score", ...} -> {"plate", "known", "vehicle", "match", "score"}."""
    if not isinstance(reading, dict) or not isinstance(reading.get("plate"), str):
        raise StepInputError(f'lookup expects the OCR step\'s {{"plate": str, ...}}, got {reading!r:.80}')
    index = load_registry() if registry is None else registry
    plate = reading["plate"].upper()
    vehicle, match = index.get(plate), "exact"
    if vehicle is None:
        # a misread look-alike that the layout folding did not settle: try the folded form
        vehicle, match = index.get(fold_to_layout(plate)), "folded"
    return {
        "plate": plate,
        "known": vehicle is not None,
        "vehicle": vehicle,
        "match": match if vehicle is not None else None,
        "score": reading.get("score"),
    }
