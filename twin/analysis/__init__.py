"""Pure analyses of a Topology: paths, reachability, latency model, what-if.

The what-if questions live in `twin.analysis.whatif` (imported on its own: it needs
numpy and scipy, which the controller's routing does not).
"""

from twin.analysis.answers import PathAnswer, Refusal, Route
from twin.analysis.constrained import constrained_path
from twin.analysis.errors import AnalysisError, ModelRangeError, UnknownElementError
from twin.analysis.latency import DEFAULT_PACKET_BYTES, LatencyBreakdown, LatencyModel, path_latency
from twin.analysis.paths import host_routes, path_avoiding, shortest_path
from twin.analysis.reachability import Reachability, reachability
from twin.analysis.slices import AdmittedSlice, link_loads
from twin.analysis.waypoints import path_via

__all__ = ["AdmittedSlice", "AnalysisError", "DEFAULT_PACKET_BYTES", "LatencyBreakdown", "LatencyModel",
           "ModelRangeError", "PathAnswer", "Reachability", "Refusal", "Route", "UnknownElementError",
           "constrained_path", "host_routes", "link_loads", "path_avoiding", "path_latency", "path_via",
           "reachability", "shortest_path"]
