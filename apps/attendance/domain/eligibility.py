"""Who counts, and why.

A person's votes count in full when they hold a valid ticket of a type that may vote (a sprint-only
or stream-only ticket may not). Someone without such a ticket who has an active pledge to attend
counts at the pledge weight. Everyone else may still vote, but their votes weigh nothing until they
link a ticket or pledge; their votes are kept, so they count the moment that changes.

A conference may also let people who held a valid ticket at one of its past editions count, either
like a pledger or like a ticket holder; a current ticket or pledge always takes precedence.
A cancelled ticket stops counting at once. Speakers vote like anyone else, except on their own talks
(the vote service excludes those; see selectors.talk_ids_of_user).
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
    is_past_attendee: bool = False  # held a valid ticket at a past edition the conference counts
    past_attendee_class: VoterClass = VoterClass.NOT_ELIGIBLE  # how the conference counts past attendees


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
    if facts.is_past_attendee and facts.past_attendee_class != VoterClass.NOT_ELIGIBLE:
        weight = "in full" if facts.past_attendee_class == VoterClass.TICKET_HOLDER else "at the pledge weight"
        return VoterStatus(
            facts.past_attendee_class,
            f"You attended a past edition, and this conference counts past attendees' votes {weight}.",
        )
    if facts.has_non_voting_ticket:
        reason = "Your ticket type does not include the talks, so your votes are kept but do not count."
    elif facts.has_cancelled_ticket:
        reason = "Your ticket was cancelled, so your votes are kept but no longer count."
    else:
        reason = "Your votes are kept but do not count yet: link your ticket, or pledge to buy one."
    return VoterStatus(VoterClass.NOT_ELIGIBLE, reason)
