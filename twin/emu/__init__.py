"""Adapter: Mininet on Open vSwitch (userspace datapath), probes inside host namespaces."""
