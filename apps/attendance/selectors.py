"""Reads about attendees: who counts as a ticket holder or a pledger at a conference."""

from django.db.models import Q

from apps.talks.models import Conference

from .domain.eligibility import EligibilityFacts, VoterClass, VoterStatus, voter_status_decide
from .models import Pledge, Ticket, TicketClaim


def voter_status(*, user, conference: Conference) -> VoterStatus:
    """One person's class at one conference, with the reason in words they can act on."""
    if not user.is_authenticated:
        return voter_status_decide(EligibilityFacts())
    claims = TicketClaim.objects.filter(user=user, conference=conference).select_related("ticket__ticket_type")
    facts = EligibilityFacts(
        has_valid_voting_ticket=any(_counts(c.ticket) for c in claims),
        has_non_voting_ticket=any(
            c.ticket.status == Ticket.Status.VALID and not c.ticket.ticket_type.may_vote for c in claims
        ),
        has_cancelled_ticket=any(c.ticket.status == Ticket.Status.CANCELLED for c in claims),
        has_active_pledge=Pledge.objects.filter(user=user, conference=conference, status=Pledge.Status.ACTIVE).exists(),
    )
    return voter_status_decide(facts)


def voter_class_map(*, conference: Conference) -> dict[int, VoterClass]:
    """user id → class for everyone who counts at the conference. Anyone absent is NOT_ELIGIBLE.

    Two queries whatever the size; this is what the tally reads."""
    holders = set(
        TicketClaim.objects.filter(
            conference=conference, ticket__status=Ticket.Status.VALID, ticket__ticket_type__may_vote=True
        ).values_list("user_id", flat=True)
    )
    pledgers = set(
        Pledge.objects.filter(Q(conference=conference) & Q(status=Pledge.Status.ACTIVE)).values_list(
            "user_id", flat=True
        )
    )
    classes = dict.fromkeys(pledgers - holders, VoterClass.PLEDGER)
    classes.update(dict.fromkeys(holders, VoterClass.TICKET_HOLDER))
    return classes


def _counts(ticket: Ticket) -> bool:
    return ticket.status == Ticket.Status.VALID and ticket.ticket_type.may_vote
