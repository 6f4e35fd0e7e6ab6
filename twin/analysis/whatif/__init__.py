"""What-if questions on forked models: one failure in detail, or every single-link failure ranked."""

from twin.analysis.whatif.answers import EmulatedOutcome, PairImpact, SliceImpact, WhatIfAnswer
from twin.analysis.whatif.ranking import FailureImpact, FailureRanking, all_single_link_failures
from twin.analysis.whatif.scenario import Scenario
from twin.analysis.whatif.single import link_down, node_down, what_if

__all__ = ["EmulatedOutcome", "FailureImpact", "FailureRanking", "PairImpact", "Scenario", "SliceImpact",
           "WhatIfAnswer", "all_single_link_failures", "link_down", "node_down", "what_if"]
