"""Network Operation Toolbox: typed, audited tools; policy; intent compilers; drivers; push with rollback.

Entry points (see README.md): `workspace.Workspace` (audit log, ChangeSet store, targets),
`tools.build_registry` / `registry.ToolRegistry.invoke`, `push.validate|push|rollback`,
`drivers.OfctlRestDriver` / `drivers.FakeController`, `policy.check_changeset`,
`anomaly.AnomalyDetector`, `sync.sync_flows`. Importing this package loads nothing heavy.
"""
