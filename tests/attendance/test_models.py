"""The database refuses what the attendance rules forbid (SQLite here, PostgreSQL in CI)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.attendance.models import (
    AttendanceSettings,
    PretixConnection,
    StateChange,
    TicketClaimFailure,
    TicketInvitation,
)
from tests.factories import ConferenceFactory, PledgeFactory, TicketFactory

pytestmark = pytest.mark.django_db


def refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_pledge_states_carry_their_facts():
    pledge = PledgeFactory()
    now = timezone.now()
    today = now.date()
    update = type(pledge).objects.filter(pk=pledge.pk).update
    assert refused(lambda: update(status="withdrawn", withdrawn_at=None))
    assert refused(lambda: update(status="released", settled_at=None))
    assert refused(lambda: update(status="triggered", settled_at=now, accepted_fraction=0.5, due_date=None))
    assert refused(lambda: update(status="defaulted", settled_at=now, due_date=today, accepted_fraction=None))
    assert refused(lambda: update(wanted_count=2, accepted_count=3))
    assert refused(lambda: update(threshold=0))
    assert not refused(lambda: update(status="triggered", settled_at=now, accepted_fraction=0.5, due_date=today))


def test_state_changes_change_something_and_say_why():
    conference = ConferenceFactory()
    make = StateChange.objects.create
    assert refused(
        lambda: make(conference=conference, subject="ticket", from_state="valid", to_state="valid", reason="x")
    )
    assert refused(lambda: make(conference=conference, subject="ticket", from_state="", to_state="valid", reason=""))
    assert refused(lambda: make(conference=conference, subject="vote", from_state="", to_state="valid", reason="x"))


def test_invitations_expire_after_they_are_made():
    ticket = TicketFactory()
    now = timezone.now()
    assert refused(
        lambda: TicketInvitation.objects.create(
            ticket=ticket,
            token_hash="a" * 64,
            sent_to="x@example.org",
            created_at=now,
            expires_at=now - dt.timedelta(1),
        )
    )


def test_settings_pretix_and_failures_stay_in_range():
    conference = ConferenceFactory()
    assert refused(lambda: AttendanceSettings.objects.create(conference=conference, pledge_due_days=0))
    assert refused(lambda: AttendanceSettings.objects.create(conference=conference, past_attendee_class="vip"))
    assert refused(
        lambda: PretixConnection.objects.create(conference=conference, organizer_slug="a", event_slug="b", api_token="")
    )
    assert refused(lambda: TicketClaimFailure.objects.create(conference=conference, kind="guess"))
