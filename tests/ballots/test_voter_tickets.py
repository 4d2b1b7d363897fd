"""Bloc detection and the suggested organisations read voters' tickets through one selector
(selectors/blocs.py voter_tickets): the same hand-made orders give the same work addresses to both, and
what makes an address the booker's (on another ticket of the order, in any case, whatever that
ticket's status) moves both together."""

import pytest

from apps.ballots.selectors.blocs import bloc_input, voter_tickets
from apps.ballots.selectors.organisations import organisation_suggestions_of
from apps.ballots.selectors.policies import weight_policy_current
from tests.factories import ConferenceFactory, TalkFactory, TicketClaimFactory, TicketFactory, UserFactory, VoteFactory

pytestmark = pytest.mark.django_db

# Two free-mail voters of Darion Group whose tickets carry an address at darioncloud.example: (order
# code, holder email) of each one's ticket, other tickets of the conference as (order, email, status),
# and whether the address is theirs (True) or their booker's (False).
CASES = {
    "the booker's address on both tickets of the order": (
        [("G1", "booker@darioncloud.example"), ("G1", "Booker@DarionCloud.example")],
        [],
        False,
    ),
    "each holder's own address": ([("G1", "a@darioncloud.example"), ("G1", "b@darioncloud.example")], [], True),
    "the address also on a cancelled ticket of the order": (
        [("G1", "a@darioncloud.example"), ("G2", "b@darioncloud.example")],
        [("G1", "A@darioncloud.example", "cancelled"), ("G2", "b@darioncloud.example", "valid")],
        False,
    ),
    "one address on tickets of two orders": (
        [("G1", "pa@darioncloud.example"), ("G2", "pa@darioncloud.example")],
        [],
        True,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_detection_and_the_suggestions_take_the_same_address(case):
    tickets, others, own = CASES[case]
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    for i in range(3):  # Darion Group's people with work accounts
        user = UserFactory(email=f"d{i}@darion.example")
        VoteFactory(user=user, talk=talk)
        ticket = TicketFactory(conference=conference, holder_email=user.email, holder_company="Darion Group")
        TicketClaimFactory(user=user, ticket=ticket)
    booked = []
    for i, (order, address) in enumerate(tickets):
        user = UserFactory(email=f"booked{i}@gmail.com")
        VoteFactory(user=user, talk=talk)
        ticket = TicketFactory(
            conference=conference, order_code=order, holder_email=address, holder_company="Darion Group GmbH"
        )
        TicketClaimFactory(user=user, ticket=ticket)
        booked.append(user)
    for order, address, status in others:
        TicketFactory(conference=conference, order_code=order, holder_email=address, status=status)

    # Detection: the two voters' work domain, or none (gmail.com is free mail).
    data = bloc_input(conference=conference, policy=weight_policy_current(conference=conference))
    position = {int(v): i for i, v in enumerate(data.voter_ids)}
    domains = [data.voter_domain[position[user.pk]] for user in booked]
    detected = [data.domain_labels[d] if d >= 0 else "" for d in domains]
    assert detected == (["darioncloud.example"] * 2 if own else ["", ""])
    # The selector both read through says so for both consumers.
    read = voter_tickets(conference=conference, naming_a_company=True)
    free = {"gmail.com"}
    assert [read.email_domain(user_id=u.pk, email=u.email, free_mail=free) for u in booked] == (
        ["darioncloud.example"] * 2 if own else ["gmail.com"] * 2
    )
    # The suggestions: Darion Group from darion.example and darioncloud.example only when the address is theirs.
    suggestions = organisation_suggestions_of(conference=conference)
    if own:
        (suggestion,) = suggestions
        assert suggestion.email_domains == ("darion.example", "darioncloud.example") and suggestion.people == 5
    else:
        assert suggestions == []
