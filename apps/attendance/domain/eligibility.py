"""Who counts, and why.

A person's votes count in full when they hold a valid ticket of a type that may vote (a sprint-only
or stream-only ticket may not). Someone without such a ticket who has an active pledge to attend
counts at the pledge weight. Everyone else may still vote, but their votes weigh nothing until they
link a ticket or pledge; their votes are kept, so they count the moment that changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class VoterClass(StrEnum):
    TICKET_HOLDER = "ticket_holder"
    PLEDGER = "pledger"
    NOT_ELIGIBLE = "not_eligible"


@dataclass(frozen=True)
class EligibilityFacts:
    """What we know about one person at one conference."""

    has_valid_voting_ticket: bool = False
    has_non_voting_ticket: bool = False  # valid, but of a type that may not vote
    has_cancelled_ticket: bool = False
    has_active_pledge: bool = False


@dataclass(frozen=True)
class VoterStatus:
    voter_class: VoterClass
    reason: str  # for the person themself, in plain words


def voter_status_decide(facts: EligibilityFacts) -> VoterStatus:
    if facts.has_valid_voting_ticket:
        return VoterStatus(VoterClass.TICKET_HOLDER, "You hold a valid ticket, so your votes count in full.")
    if facts.has_active_pledge:
        return VoterStatus(
            VoterClass.PLEDGER,
            "You pledged to buy a ticket if enough of the talks you want are scheduled, "
            "so your votes count at the pledge weight.",
        )
    if facts.has_non_voting_ticket:
        reason = "Your ticket type does not include the talks, so your votes are kept but do not count."
    elif facts.has_cancelled_ticket:
        reason = "Your ticket was cancelled, so your votes are kept but no longer count."
    else:
        reason = "Your votes are kept but do not count yet: link your ticket, or pledge to buy one."
    return VoterStatus(VoterClass.NOT_ELIGIBLE, reason)
