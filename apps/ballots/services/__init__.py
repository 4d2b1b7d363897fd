"""Writes of ballots: weight policies, votes (with history and receipts), tallies, receipt emails."""

from .organisations import organisation_declare, organisation_save
from .policies import weight_policy_ensure, weight_policy_revise
from .receipts import receipt_email_request
from .tallies import tally_publish, tally_snapshot_compute
from .votes import VoteOutcome, VoteRefused, vote_cast, vote_withdraw

__all__ = [
    "VoteOutcome",
    "VoteRefused",
    "organisation_declare",
    "organisation_save",
    "receipt_email_request",
    "tally_publish",
    "tally_snapshot_compute",
    "vote_cast",
    "vote_withdraw",
    "weight_policy_ensure",
    "weight_policy_revise",
]
