"""Who counts: the pure rule and the two selectors that feed it from the database."""

import pytest

from apps.attendance.domain.eligibility import EligibilityFacts, VoterClass, voter_status_decide
from apps.attendance.models import AttendanceSettings, PastAttendeeClass, Pledge, Ticket
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
@pytest.mark.parametrize("people", [1, 5])
def test_voter_class_map_reads_in_constant_queries(django_assert_num_queries, people):
    conference = ConferenceFactory()
    for _ in range(people):
        TicketClaimFactory(ticket__conference=conference)
        PledgeFactory(conference=conference)
    with django_assert_num_queries(3):
        assert len(voter_class_map(conference=conference)) == 2 * people
    past = ConferenceFactory()
    rules = AttendanceSettings.objects.create(conference=conference, past_attendee_class=PastAttendeeClass.PLEDGER)
    rules.past_editions.add(past)
    for _ in range(people):
        TicketClaimFactory(ticket__conference=past)
    with django_assert_num_queries(4):
        assert len(voter_class_map(conference=conference)) == 3 * people


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("counts_as", "expected"),
    [
        (PastAttendeeClass.NONE, VoterClass.NOT_ELIGIBLE),
        (PastAttendeeClass.PLEDGER, VoterClass.PLEDGER),
        (PastAttendeeClass.TICKET_HOLDER, VoterClass.TICKET_HOLDER),
    ],
)
def test_past_attendees_count_as_the_conference_says(counts_as, expected):
    conference, last_year, unrelated = ConferenceFactory(), ConferenceFactory(), ConferenceFactory()
    rules = AttendanceSettings.objects.create(conference=conference, past_attendee_class=counts_as)
    rules.past_editions.add(last_year)
    attended = TicketClaimFactory(ticket__conference=last_year).user
    cancelled_last_year = TicketClaimFactory(ticket__conference=last_year, ticket__status=Ticket.Status.CANCELLED).user
    streamed_last_year = TicketClaimFactory(ticket__conference=last_year, ticket__ticket_type__may_vote=False).user
    elsewhere = TicketClaimFactory(ticket__conference=unrelated).user

    classes = voter_class_map(conference=conference)
    assert classes.get(attended.pk, VoterClass.NOT_ELIGIBLE) == expected
    status = voter_status(user=attended, conference=conference)
    assert status.voter_class == expected
    if expected != VoterClass.NOT_ELIGIBLE:
        assert "past edition" in status.reason
    for nobody in (cancelled_last_year, streamed_last_year, elsewhere):
        assert nobody.pk not in classes
        assert voter_status(user=nobody, conference=conference).voter_class == VoterClass.NOT_ELIGIBLE


@pytest.mark.django_db
def test_cancelling_a_ticket_stops_its_votes_counting_at_once_but_keeps_them():
    from apps.attendance.services import ticket_status_set
    from tests.factories import TalkFactory, VoteFactory

    claim = TicketClaimFactory()
    vote = VoteFactory(user=claim.user, talk=TalkFactory(conference=claim.conference))
    assert voter_class_map(conference=claim.conference)[claim.user_id] == VoterClass.TICKET_HOLDER
    ticket_status_set(ticket=claim.ticket, status=Ticket.Status.CANCELLED, by=None, reason="Refunded.")
    assert claim.user_id not in voter_class_map(conference=claim.conference)
    vote.refresh_from_db()  # still there
    change = claim.ticket.changes.get()
    assert (change.from_state, change.to_state, change.reason, change.user_id) == (
        "valid",
        "cancelled",
        "Refunded.",
        claim.user_id,
    )
