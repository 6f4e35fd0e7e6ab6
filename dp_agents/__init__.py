"""Data-plane agents: service intents to step graphs, the User-space Service Toolbox, the three services."""
