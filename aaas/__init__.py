"""The front door: the `aaas` CLI, settings, the HTTP API and the web console (wiring only)."""
