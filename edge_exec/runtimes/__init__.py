"""Runtimes: wasm (wasmtime), container (runc), process (bare warm worker).

Each runtime turns a deployed Function into Instances; an Instance serves invocations.
Imported lazily by the node executor so that a node without wasm functions never pays
for `import wasmtime` (60-130 ms) and one without containers never looks for runc.
"""
