"""Every invariant that can be a database constraint is one: each violation must raise in the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.attendance.models import Pledge, TicketClaim, User
from apps.ballots.models import VoteEvent
from apps.scheduling.models import ScheduleOverride, ScheduleProposal, SpeakerAvailability
from apps.talks.models import Track
from tests.factories import (
    ConferenceFactory,
    PledgeFactory,
    RoomFactory,
    SlotFactory,
    SpeakerFactory,
    TalkFactory,
    TicketClaimFactory,
    TicketFactory,
    TrackFactory,
    UserFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db


def violates(build, constraint: str | None = None) -> str:
    """Runs build() in a savepoint, fails unless the database refuses it, and returns the message.

    PostgreSQL names the constraint in every message, so there the named constraint must be the one
    that fired; SQLite names CHECK constraints but reports UNIQUE ones by their columns only."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        build()
    message = str(excinfo.value)
    if constraint is not None:
        sqlite_unique = connection.vendor == "sqlite" and message.startswith("UNIQUE constraint failed")
        assert constraint in message or sqlite_unique, message
    return message


def test_ci_runs_this_file_on_postgresql():
    """CI sets CONFVOTE_REQUIRE_SERVICES=1 with DATABASE_URL on PostgreSQL: make sure it really does."""
    if settings.REQUIRE_SERVICES:
        assert connection.vendor == "postgresql"


def test_conference_dates_and_windows():
    conf = ConferenceFactory.build(start_date=dt.date(2027, 5, 3), end_date=dt.date(2027, 5, 1))
    violates(conf.save, "conference_end_after_start")
    now = timezone.now()
    conf = ConferenceFactory.build(voting_opens_at=now, voting_closes_at=now - dt.timedelta(hours=1))
    violates(conf.save, "conference_voting_closes_after_opens")


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"scale_min": 3, "scale_max": 3}, "conference_scale_bounds"),
        ({"scale_min": 0, "scale_max": 11}, "conference_scale_bounds"),
        ({"wanted_min_score": 0}, "conference_wanted_score_in_scale"),
        ({"wanted_min_score": 4}, "conference_wanted_score_in_scale"),
        ({"pledge_threshold": Decimal("0")}, "conference_pledge_threshold_range"),
        ({"pledge_threshold": Decimal("1.5")}, "conference_pledge_threshold_range"),
        ({"status": "bogus"}, "conference_status_valid"),
    ],
)
def test_conference_field_constraints(fields, constraint):
    violates(ConferenceFactory.build(**fields).save, constraint)


def test_conference_slug_unique():
    ConferenceFactory(slug="pycon")
    violates(lambda: ConferenceFactory(slug="pycon"), "talks_conference_slug")


def test_track_unique_per_conference_but_reusable_elsewhere():
    track = TrackFactory(slug="web")
    violates(lambda: Track.objects.create(conference=track.conference, name="x", slug="web"), "track_unique_slug")
    Track.objects.create(conference=ConferenceFactory(), name="Web", slug="web")


def test_speaker_email_unique_per_conference_ignoring_case():
    speaker = SpeakerFactory(email="Ana@Company.example")
    assert speaker.email_domain == "company.example"
    violates(lambda: SpeakerFactory(conference=speaker.conference, email="ana@company.EXAMPLE"), "speaker_unique_email")


def test_talk_constraints():
    talk = TalkFactory(external_id="T-1")
    violates(lambda: TalkFactory(conference=talk.conference, external_id="T-1"), "talk_unique_external_id")
    TalkFactory(conference=talk.conference, external_id="")  # blank ids do not clash
    TalkFactory(conference=talk.conference, external_id="")
    violates(lambda: TalkFactory(duration_minutes=0), "talk_duration_range")
    violates(lambda: TalkFactory(status="maybe"), "talk_status_valid")
    violates(lambda: TalkFactory(format="song"), "talk_format_valid")


def test_user_email_unique_ignoring_case():
    UserFactory(email="same@example.org")
    violates(lambda: User.objects.create(email="SAME@example.org"), "user_unique_email_ci")


def test_ticket_secret_unique_and_not_empty():
    ticket = TicketFactory(secret="abc")
    violates(lambda: TicketFactory(conference=ticket.conference, secret="abc"), "ticket_unique_secret")
    violates(lambda: TicketFactory(secret=""), "ticket_secret_not_empty")
    violates(lambda: TicketFactory(status="lost"), "ticket_status_valid")


def test_one_ticket_one_user_and_one_ticket_per_user_and_conference():
    claim = TicketClaimFactory()
    violates(lambda: TicketClaimFactory(ticket=claim.ticket), "attendance_ticketclaim_ticket_id")  # taken
    other_ticket = TicketFactory(conference=claim.conference)
    violates(
        lambda: TicketClaim.objects.create(
            conference=claim.conference, ticket=other_ticket, user=claim.user, method="email"
        ),
        "ticketclaim_one_per_user_and_conference",
    )


@pytest.mark.parametrize("threshold", [Decimal("0"), Decimal("-0.5"), Decimal("1.001")])
def test_pledge_threshold_in_zero_one(threshold):
    violates(lambda: PledgeFactory(threshold=threshold), "pledge_threshold_range")


def test_pledge_threshold_of_one_is_allowed_and_one_pledge_per_conference():
    pledge = PledgeFactory(threshold=Decimal("1"))
    violates(
        lambda: Pledge.objects.create(user=pledge.user, conference=pledge.conference),
        "pledge_one_per_user_and_conference",
    )


def test_vote_unique_and_score_bounds():
    vote = VoteFactory()
    violates(lambda: VoteFactory(user=vote.user, talk=vote.talk), "vote_one_per_user_and_talk")
    violates(lambda: VoteFactory(score=11), "vote_score_in_absolute_scale")
    violates(lambda: VoteFactory(score=-1), "vote_score_in_absolute_scale")
    now = timezone.now()
    violates(
        lambda: VoteFactory(created_at=now, updated_at=now - dt.timedelta(seconds=1)), "vote_updated_after_created"
    )


def test_vote_event_scores_must_match_its_kind():
    vote = VoteFactory()
    now = timezone.now()

    def event(**fields):
        return lambda: VoteEvent.objects.create(user=vote.user, talk=vote.talk, at=now, **fields)

    violates(event(kind="cast", old_score=1, new_score=2), "voteevent_scores_match_kind")
    violates(event(kind="withdraw", old_score=1, new_score=2), "voteevent_scores_match_kind")
    violates(event(kind="change", new_score=2), "voteevent_scores_match_kind")
    event(kind="change", old_score=1, new_score=2)()


def test_scheduling_constraints():
    room = RoomFactory()
    violates(lambda: RoomFactory(conference=room.conference, name=room.name), "room_unique_name")
    violates(lambda: RoomFactory(capacity=0), "room_capacity_positive")
    slot = SlotFactory(room=room)
    violates(lambda: SlotFactory(room=room, start=slot.end, end=slot.start), "slot_end_after_start")
    violates(lambda: SlotFactory(room=room, start=slot.start), "slot_unique_room_start")
    speaker = SpeakerFactory()
    violates(
        lambda: SpeakerAvailability.objects.create(speaker=speaker, start=slot.end, end=slot.start),
        "availability_end_after_start",
    )
    violates(
        lambda: ScheduleProposal.objects.create(conference=room.conference, progress_percent=101),
        "proposal_progress_percent_range",
    )


def test_overrides_need_a_reason_and_fix_needs_a_place():
    talk = TalkFactory()
    conference = talk.conference
    slot = SlotFactory(room__conference=conference)

    def override(**fields):
        return lambda: ScheduleOverride.objects.create(conference=conference, talk=talk, **fields)

    violates(override(kind="exclude", reason=""), "override_reason_required")
    violates(override(kind="fix", reason="keynote slot"), "override_fix_needs_slot_or_room")
    violates(override(kind="pin", reason="x", slot=slot), "override_only_fix_has_slot_or_room")
    override(kind="fix", reason="The keynote opens the conference", slot=slot)()
    violates(override(kind="fix", reason="again", room=slot.room), "override_one_per_talk_and_kind")
