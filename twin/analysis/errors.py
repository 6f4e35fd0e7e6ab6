"""Errors raised by the pure analyses.

    AnalysisError                 base; a question cannot be answered as asked
    ├── UnknownElementError       a node, host or link named in the question is not in the model
    └── ModelRangeError           the model's numbers are outside what the exact arithmetic handles

A question that *can* be answered negatively (no path, the slice does not fit, the bound
is violated) is not an error: it comes back as an answer carrying a Refusal.
"""

from __future__ import annotations


class AnalysisError(ValueError):
    """Base of the analysis errors."""


class UnknownElementError(AnalysisError):
    def __init__(self, topology: str, element: str, problem: str = "not in the model") -> None:
        self.topology = topology
        self.element = element
        super().__init__(f"topology {topology!r}: {element}: {problem}")


class ModelRangeError(AnalysisError):
    """Path keys are exact integers in float64; a model with absurd delays would overflow them."""
