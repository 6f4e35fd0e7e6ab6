"""Network Operation Toolbox: typed, audited tools; policy; intent compilers; drivers; push with rollback."""
