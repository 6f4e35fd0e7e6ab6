"""The data-plane agents' errors. Foreign errors (OpenCV, rapidocr, numpy, file I/O) are
translated into these at the boundary, with what failed, on which input, and what to do.

    DataPlaneError
    ├── IntentError          the service.deploy parameters are missing or wrong
    ├── PlanError            a step graph is invalid (cycle, unproduced input, budget)
    ├── StepInputError       a step got a payload it cannot read (bad image, bad JSON)
    ├── DataSourceError      a data file is missing, unreadable or fails its sha256
    ├── ComponentMissing     a real component is not installed (rapidocr, clang, kernel)
    └── StepFailed           a step's component failed while running
"""

from __future__ import annotations


class DataPlaneError(Exception):
    """Base of every error raised by dp_agents."""


class IntentError(DataPlaneError):
    pass


class PlanError(DataPlaneError):
    pass


class StepInputError(DataPlaneError):
    pass


class DataSourceError(DataPlaneError):
    pass


class ComponentMissing(DataPlaneError):
    pass


class StepFailed(DataPlaneError):
    pass
