"""Pledges: stricter-only thresholds, withdrawal while voting, settlement at publication (exactly at
the threshold, just below, with no wanted talks, run twice) with its emails, and defaulting."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from apps.attendance import services
from apps.attendance.models import AttendanceSettings, Pledge, StateChange
from apps.attendance.selectors import pledges_forecast, voter_class_map
from apps.talks.models import Conference
from tests.factories import (
    ConferenceFactory,
    PledgeFactory,
    TalkFactory,
    TicketClaimFactory,
    TicketFactory,
    UserFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db


def test_pledging_uses_the_conference_threshold_and_counts_at_pledge_weight():
    conference = ConferenceFactory(pledge_threshold=Decimal("0.6"))
    user = UserFactory()
    pledge = services.pledge_make(user=user, conference=conference)
    assert (pledge.status, pledge.threshold) == (Pledge.Status.ACTIVE, Decimal("0.600"))
    assert voter_class_map(conference=conference)[user.pk] == "pledger"
    assert StateChange.objects.get(pledge=pledge).to_state == "active"


def test_a_stricter_threshold_is_accepted_a_looser_one_refused():
    conference = ConferenceFactory()
    user = UserFactory()
    assert services.pledge_make(user=user, conference=conference, threshold=Decimal("0.8")).threshold == Decimal("0.8")
    with pytest.raises(services.PledgeRefused, match="never looser"):
        services.pledge_make(user=user, conference=conference, threshold=Decimal("0.4"))
    assert Pledge.objects.get().threshold == Decimal("0.8")


def test_ticket_holders_and_closed_votes_cannot_pledge():
    claim = TicketClaimFactory()
    with pytest.raises(services.PledgeRefused, match="already hold a ticket"):
        services.pledge_make(user=claim.user, conference=claim.conference)
    closed = ConferenceFactory(status=Conference.Status.CLOSED)
    with pytest.raises(services.PledgeRefused, match="only while voting is open"):
        services.pledge_make(user=UserFactory(), conference=closed)
    assert not Pledge.objects.exists()


def test_withdraw_while_voting_removes_the_weight_and_re_pledging_restores_it():
    conference = ConferenceFactory()
    user = UserFactory()
    services.pledge_make(user=user, conference=conference)
    pledge = services.pledge_withdraw(user=user, conference=conference)
    assert pledge.status == Pledge.Status.WITHDRAWN and pledge.withdrawn_at is not None
    assert user.pk not in voter_class_map(conference=conference)
    with pytest.raises(services.PledgeRefused, match="no active pledge"):
        services.pledge_withdraw(user=user, conference=conference)
    services.pledge_make(user=user, conference=conference)
    assert voter_class_map(conference=conference)[user.pk] == "pledger"
    transitions = list(StateChange.objects.order_by("id").values_list("from_state", "to_state"))
    assert transitions == [("", "active"), ("active", "withdrawn"), ("withdrawn", "active")]


def test_no_withdrawal_after_voting_closes():
    pledge = PledgeFactory(conference=ConferenceFactory(status=Conference.Status.CLOSED))
    with pytest.raises(services.PledgeRefused, match="Voting has closed"):
        services.pledge_withdraw(user=pledge.user, conference=pledge.conference)


def _pledger_wanting(conference, wanted, unwanted=(), threshold="0.5"):
    pledge = PledgeFactory(conference=conference, threshold=Decimal(threshold))
    for talk in wanted:
        VoteFactory(user=pledge.user, talk=talk, score=conference.wanted_min_score)
    for talk in unwanted:
        VoteFactory(user=pledge.user, talk=talk, score=conference.wanted_min_score - 1)
    return pledge


def test_settlement_at_just_below_and_without_wanted_talks(django_capture_on_commit_callbacks):
    conference = ConferenceFactory(ticket_shop_url="https://tickets.example/democon/", status=Conference.Status.CLOSED)
    talks = [TalkFactory(conference=conference) for _ in range(4)]
    at = _pledger_wanting(conference, talks[:4], threshold="0.5")  # 2 of 4 accepted: exactly 50%
    below = _pledger_wanting(conference, talks[:3], unwanted=talks[3:], threshold="0.7")  # 2 of 3 = 66.7% < 70%
    nothing = _pledger_wanting(conference, [], unwanted=talks)  # only "maybe" scores
    withdrawn = PledgeFactory(conference=conference, status=Pledge.Status.WITHDRAWN)
    accepted = [talks[0].pk, talks[1].pk]

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.pledges_settle(conference=conference, accepted_talk_ids=accepted)
    assert counts == {"triggered": 1, "released": 2, "fulfilled": 0}

    at.refresh_from_db(), below.refresh_from_db(), nothing.refresh_from_db(), withdrawn.refresh_from_db()
    assert (at.status, at.accepted_fraction, at.wanted_count, at.accepted_count) == ("triggered", Decimal("0.5"), 4, 2)
    assert at.due_date == timezone.localdate() + dt.timedelta(days=14)
    assert (below.status, below.accepted_fraction) == ("released", Decimal("0.666"))
    assert (nothing.status, nothing.accepted_fraction, nothing.wanted_count) == ("released", None, 0)
    assert withdrawn.status == "withdrawn"

    emails = {m.to[0]: m for m in mail.outbox}
    assert set(emails) == {at.user.email, below.user.email, nothing.user.email}
    triggered = emails[at.user.email]
    assert "triggered" in triggered.subject
    assert "https://tickets.example/democon/" in triggered.body
    assert at.due_date.strftime("%-d %B %Y") in triggered.body
    assert "/my-ticket/" in triggered.body
    assert "no obligation" in emails[below.user.email].body
    change = StateChange.objects.get(pledge=at, to_state="triggered")
    assert "2 of the 4 talks you want were accepted (50%)" in change.reason


def test_settlement_is_idempotent(django_capture_on_commit_callbacks):
    conference = ConferenceFactory(status=Conference.Status.CLOSED)
    talk = TalkFactory(conference=conference)
    pledge = _pledger_wanting(conference, [talk])
    with django_capture_on_commit_callbacks(execute=True):
        services.pledges_settle(conference=conference, accepted_talk_ids=[talk.pk])
    pledge.refresh_from_db()
    first = (pledge.status, pledge.settled_at, pledge.due_date)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.pledges_settle(conference=conference, accepted_talk_ids=[]) == {
                "triggered": 0,
                "released": 0,
                "fulfilled": 0,
            }
    pledge.refresh_from_db()
    assert (pledge.status, pledge.settled_at, pledge.due_date) == first
    assert len(mail.outbox) == 1
    assert StateChange.objects.filter(pledge=pledge).count() == 1  # settled once


def test_due_date_follows_the_conference_setting():
    conference = ConferenceFactory(status=Conference.Status.CLOSED)
    AttendanceSettings.objects.create(conference=conference, pledge_due_days=3)
    talk = TalkFactory(conference=conference)
    pledge = _pledger_wanting(conference, [talk])
    services.pledges_settle(conference=conference, accepted_talk_ids=[talk.pk])
    pledge.refresh_from_db()
    assert pledge.due_date == timezone.localdate() + dt.timedelta(days=3)


def test_triggered_then_ticket_by_the_due_date_is_fulfilled_and_late_is_defaulted():
    conference = ConferenceFactory(status=Conference.Status.PUBLISHED)
    talk = TalkFactory(conference=conference)
    keeper = _pledger_wanting(conference, [talk])
    late = _pledger_wanting(conference, [talk])
    services.pledges_settle(conference=conference, accepted_talk_ids=[talk.pk])
    ticket = TicketFactory(conference=conference)
    services.ticket_claim_by_order_code(
        user=keeper.user, conference=conference, order_code=ticket.order_code, email=ticket.holder_email, ip=None
    )
    keeper.refresh_from_db()
    assert keeper.status == Pledge.Status.FULFILLED

    late.refresh_from_db()
    day_after_due = late.due_date + dt.timedelta(days=1)
    assert services.pledges_default_overdue(today=late.due_date) == 0  # the due day itself still counts
    assert services.pledges_default_overdue(today=day_after_due) == 1
    late.refresh_from_db()
    assert late.status == Pledge.Status.DEFAULTED
    assert "No ticket by the due date" in StateChange.objects.get(pledge=late, to_state="defaulted").reason
    assert services.pledges_default_overdue(today=day_after_due) == 0  # safe to re-run


def test_forecast_writes_nothing_and_matches_settlement():
    conference = ConferenceFactory()
    talks = [TalkFactory(conference=conference) for _ in range(3)]
    _pledger_wanting(conference, talks[:2])
    _pledger_wanting(conference, talks, threshold="1")
    _pledger_wanting(conference, [])
    forecast = pledges_forecast(conference=conference, accepted_talk_ids=[talks[0].pk])
    assert forecast == {"triggered": 1, "released": 2, "no_wanted_talks": 1, "active": 3}
    assert set(Pledge.objects.values_list("status", flat=True)) == {"active"}
    settled = services.pledges_settle(conference=conference, accepted_talk_ids=[talks[0].pk])
    assert (settled["triggered"], settled["released"]) == (forecast["triggered"], forecast["released"])


def test_a_pledger_whose_ticket_came_to_count_before_publication_is_settled_as_fulfilled(
    django_capture_on_commit_callbacks,
):
    """The ticket was linked while its type did not vote (so the pledge stayed active); the organizers
    then made the type a voting one. At publication the pledge is fulfilled, not triggered or released,
    and no settlement email asks them to buy a ticket they hold."""
    conference = ConferenceFactory(status=Conference.Status.CLOSED)
    talk = TalkFactory(conference=conference)
    pledge = _pledger_wanting(conference, [talk])
    other = _pledger_wanting(conference, [talk])
    ticket = TicketFactory(conference=conference, ticket_type__may_vote=False)
    TicketClaimFactory(ticket=ticket, user=pledge.user)
    ticket.ticket_type.may_vote = True
    ticket.ticket_type.save(update_fields=["may_vote"])

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.pledges_settle(conference=conference, accepted_talk_ids=[talk.pk])
    assert counts == {"triggered": 1, "released": 0, "fulfilled": 1}
    pledge.refresh_from_db(), other.refresh_from_db()
    assert (pledge.status, pledge.due_date) == (Pledge.Status.FULFILLED, None)
    assert other.status == Pledge.Status.TRIGGERED
    change = StateChange.objects.get(pledge=pledge)
    assert (change.from_state, change.to_state, change.reason) == (
        "active",
        "fulfilled",
        "Already held a ticket at publication.",
    )
    assert [m.to for m in mail.outbox] == [[other.user.email]]
