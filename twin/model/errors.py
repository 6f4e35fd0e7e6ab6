"""Errors raised by the pure model.

    ModelError
    └── TopologyError   a topology file or object is malformed (names file, element, problem)
"""

from __future__ import annotations


class ModelError(ValueError):
    """Base of the model's errors."""


class TopologyError(ModelError):
    """A topology cannot be built: says which source, which element and what is wrong."""

    def __init__(self, source: str, element: str, problem: str) -> None:
        self.source = source
        self.element = element
        self.problem = problem
        super().__init__(f"{source}: {element}: {problem}")
