"""Running a compiled ChangeSet's checks on the twin (measured, never read off the plan)."""

from netops_tools.compilers.verify.iperf import Delivered, Stream, run_stream, run_together
from netops_tools.compilers.verify.prober import IntentProber
from netops_tools.compilers.verify.runner import NO_NETEM, validate_intent

__all__ = ["NO_NETEM", "Delivered", "IntentProber", "Stream", "run_stream", "run_together", "validate_intent"]
