"""The network digital twin: a pure model, pure analyses, and the adapters that emulate it."""
