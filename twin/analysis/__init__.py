"""Pure analyses of a Topology: paths, reachability, latency model, what-if."""
