"""The vehicle registry as a host resource for the wasm lookup kernel (kernels/ocr.c,
plate_lookup): the executor loads the same registry as the Python step (dp_agents.plates.registry,
$AAAS_PLATE_REGISTRY or the demo) once per process; the kernel binary-searches it through
aaas_nn: `compute` gives the number of entries, `label(i)` entry i as "PLATE<TAB>vehicle JSON",
sorted by plate."""

from __future__ import annotations

import json

import numpy as np

from dp_agents.plates.registry import load_registry


class RegistryTable:
    def __init__(self, index: dict[str, dict]) -> None:
        self.labels = [
            f"{plate}\t{json.dumps(vehicle, separators=(',', ':'))}" for plate, vehicle in sorted(index.items())
        ]

    def run(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        return [np.array([len(self.labels)], np.float32)]


def registry_table() -> RegistryTable:
    return RegistryTable(load_registry())


HOST_MODELS = (("plate_registry", f"{__name__}:registry_table"),)
