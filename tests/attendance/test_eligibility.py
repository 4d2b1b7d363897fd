"""Who counts: the pure rule and the two selectors that feed it from the database."""

import pytest

from apps.attendance.domain.eligibility import EligibilityFacts, VoterClass, voter_status_decide
from apps.attendance.models import Pledge, Ticket
from apps.attendance.selectors import voter_class_map, voter_status
from tests.factories import ConferenceFactory, PledgeFactory, TicketClaimFactory, TicketTypeFactory, UserFactory


@pytest.mark.parametrize(
    ("facts", "expected", "words"),
    [
        (EligibilityFacts(has_valid_voting_ticket=True, has_active_pledge=True), VoterClass.TICKET_HOLDER, "in full"),
        (EligibilityFacts(has_active_pledge=True), VoterClass.PLEDGER, "pledge weight"),
        (EligibilityFacts(has_non_voting_ticket=True), VoterClass.NOT_ELIGIBLE, "ticket type"),
        (EligibilityFacts(has_cancelled_ticket=True), VoterClass.NOT_ELIGIBLE, "cancelled"),
        (EligibilityFacts(), VoterClass.NOT_ELIGIBLE, "link your ticket"),
    ],
)
def test_rule(facts, expected, words):
    status = voter_status_decide(facts)
    assert status.voter_class == expected
    assert words in status.reason


@pytest.mark.django_db
def test_selectors_agree_and_are_scoped_to_the_conference():
    conference, other = ConferenceFactory(), ConferenceFactory()
    voting_type = TicketTypeFactory(conference=conference, may_vote=True)
    stream_type = TicketTypeFactory(conference=conference, may_vote=False)
    holder = TicketClaimFactory(ticket__conference=conference, ticket__ticket_type=voting_type).user
    streamer = TicketClaimFactory(ticket__conference=conference, ticket__ticket_type=stream_type).user
    cancelled = TicketClaimFactory(
        ticket__conference=conference, ticket__ticket_type=voting_type, ticket__status=Ticket.Status.CANCELLED
    ).user
    pledger = PledgeFactory(conference=conference).user
    holder_who_pledged = TicketClaimFactory(ticket__conference=conference, ticket__ticket_type=voting_type).user
    PledgeFactory(conference=conference, user=holder_who_pledged)
    withdrawn = PledgeFactory(conference=conference, status=Pledge.Status.WITHDRAWN).user
    elsewhere = TicketClaimFactory(ticket__conference=other).user  # a ticket for another conference
    nobody = UserFactory()

    expected = {
        holder: VoterClass.TICKET_HOLDER,
        holder_who_pledged: VoterClass.TICKET_HOLDER,
        pledger: VoterClass.PLEDGER,
        streamer: VoterClass.NOT_ELIGIBLE,
        cancelled: VoterClass.NOT_ELIGIBLE,
        withdrawn: VoterClass.NOT_ELIGIBLE,
        elsewhere: VoterClass.NOT_ELIGIBLE,
        nobody: VoterClass.NOT_ELIGIBLE,
    }
    classes = voter_class_map(conference=conference)
    for user, voter_class in expected.items():
        assert classes.get(user.pk, VoterClass.NOT_ELIGIBLE) == voter_class, user
        assert voter_status(user=user, conference=conference).voter_class == voter_class, user
    assert "cancelled" in voter_status(user=cancelled, conference=conference).reason
    assert "ticket type" in voter_status(user=streamer, conference=conference).reason


@pytest.mark.django_db
def test_voter_class_map_reads_in_constant_queries(django_assert_num_queries):
    conference = ConferenceFactory()
    for _ in range(5):
        TicketClaimFactory(ticket__conference=conference)
        PledgeFactory(conference=conference)
    with django_assert_num_queries(2):
        assert len(voter_class_map(conference=conference)) == 10
