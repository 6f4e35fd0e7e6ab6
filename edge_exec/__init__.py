"""The shared edge executor: wasm, container and process runtimes, scaling, placement."""
