"""Reads of ballots: weight policies, the voting page, the tally's inputs, receipts."""

from .bulletin import bulletin_chained, bulletin_chained_entries, bulletin_check
from .policies import class_weights, weight_policy_current
from .tally import candidate_talk_ids, receipt_preimage_of, tally_input, tally_latest, vote_arrays, voter_class_codes
from .voting import (
    BallotFilters,
    BallotPage,
    VoterWeight,
    ballot_page,
    ballot_progress,
    ballot_talk_ids,
    conference_for_vote,
    my_scores,
    receipt_latest,
    receipts_of_user,
    talk_for_card,
    talk_for_vote,
    voter_weight,
    voting_closed_reason,
)

__all__ = [
    "BallotFilters",
    "BallotPage",
    "VoterWeight",
    "ballot_page",
    "ballot_progress",
    "ballot_talk_ids",
    "bulletin_chained",
    "bulletin_chained_entries",
    "bulletin_check",
    "candidate_talk_ids",
    "class_weights",
    "conference_for_vote",
    "my_scores",
    "receipt_latest",
    "receipt_preimage_of",
    "receipts_of_user",
    "talk_for_card",
    "talk_for_vote",
    "tally_input",
    "tally_latest",
    "vote_arrays",
    "voter_class_codes",
    "voter_weight",
    "voting_closed_reason",
    "weight_policy_current",
]
