"""The shared edge executor: wasm, container and process runtimes, scaling, placement.

    from edge_exec import EdgeCluster, Function, FunctionRegistry, Limits, WasmArtifact

See README.md. The names are resolved on first use: every warm worker imports this package,
and its start-up must not pay for dataclasses, networkx or wasmtime.
"""

_EXPORTS = {"EdgeCluster": "edge_exec.cluster", "Function": "edge_exec.functions",
            "FunctionRegistry": "edge_exec.functions", "Limits": "edge_exec.functions",
            "WasmArtifact": "edge_exec.functions"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'edge_exec' has no attribute {name!r}")
    import importlib
    return getattr(importlib.import_module(_EXPORTS[name]), name)
