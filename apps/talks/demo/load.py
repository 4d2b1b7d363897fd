"""Writes a DemoPlan into the database with bulk inserts, in one transaction."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Callable
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from apps.attendance.models import Pledge, Ticket, TicketClaim, TicketType, User
from apps.ballots.models import Vote, VoteEvent, WeightPolicy
from apps.scheduling.models import Room, Slot
from apps.talks.models import Conference, Speaker, Talk, Track

from .plan import ROOMS, SCALE_LABELS, TICKET_TYPES, TRACKS, DemoPlan, DemoVotes, demo_joined

DEMO_TIMEZONE = "Europe/Berlin"
ORGANIZER_PASSWORD = "demo-organizer-pass"  # noqa: S105 - a published demo login
ATTENDEE_PASSWORD = "demo-attendee-pass"  # noqa: S105 - a published demo login
BATCH = 5_000

Progress = Callable[[str, int], None]  # (phase, rows written)


def demo_exists(*, slug: str = "demo") -> bool:
    return Conference.objects.filter(slug=slug).exists()


def demo_delete(*, slug: str = "demo") -> None:
    """Removes the demo conference and every demo account (all demo emails end in .example)."""
    with transaction.atomic():
        Conference.objects.filter(slug=slug).delete()
        User.objects.filter(Q(email__endswith=".example")).delete()


def _batched(iterable, size: int):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


@transaction.atomic
def demo_load(plan: DemoPlan, *, progress: Progress | None = None) -> tuple[Conference, int]:
    """Writes the plan; returns the conference and the number of votes written."""
    report = progress or (lambda phase, n: None)
    tz = zoneinfo.ZoneInfo(DEMO_TIMEZONE)
    conference = Conference.objects.create(
        slug=plan.conference_slug,
        name=plan.conference_name,
        timezone=DEMO_TIMEZONE,
        start_date=plan.start_date,
        end_date=plan.start_date + dt.timedelta(days=2),
        voting_opens_at=plan.voting_opens_at,
        voting_closes_at=plan.voting_closes_at,
        status=Conference.Status.VOTING,
        scale_min=0,
        scale_max=3,
        scale_labels=SCALE_LABELS,
        wanted_min_score=2,
        pledge_threshold=Decimal("0.5"),
        ticket_shop_url="https://tickets.confvote.example/demo/",
    )
    WeightPolicy.objects.create(conference=conference, version=1, note="Demo defaults.")
    tracks = {
        slug: Track.objects.create(conference=conference, name=name, slug=slug, color=color)
        for name, slug, color in TRACKS
    }
    types = {
        name: TicketType.objects.create(conference=conference, name=name, may_vote=may_vote)
        for name, may_vote, _ in TICKET_TYPES
    }
    rooms = {
        name: Room.objects.create(conference=conference, name=name, capacity=capacity, position=i)
        for i, (name, capacity) in enumerate(ROOMS)
    }
    Slot.objects.bulk_create(
        Slot(conference=conference, room=rooms[room], start=start.replace(tzinfo=tz), end=end.replace(tzinfo=tz))
        for room, start, end in plan.slots
    )
    report("conference, rooms and slots", len(plan.slots))

    # Accounts: hashing is slow on purpose, so every demo attendee shares one precomputed hash.
    attendee_hash = make_password(ATTENDEE_PASSWORD)
    organizer_hash = make_password(ORGANIZER_PASSWORD)
    # When each account was created (the bloc benchmarks' model, round 18 in docs/blocs.md): from each
    # account's first vote, so the votes are drawn now, once, and written at the end.
    votes = DemoVotes(plan)
    joined = demo_joined(plan, votes)
    user_ids: list[int] = []
    for chunk in _batched(plan.users, BATCH):
        created = User.objects.bulk_create(
            User(
                email=u.email,
                name=u.name,
                is_staff=u.is_staff,
                is_superuser=u.is_staff,
                password=organizer_hash if u.is_staff else attendee_hash,
                date_joined=joined[len(user_ids) + i],
            )
            for i, u in enumerate(chunk)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in created
        )
        user_ids.extend(user.pk for user in created)
        report("accounts", len(chunk))

    speakers = Speaker.objects.bulk_create(
        Speaker(
            conference=conference,
            name=s.name,
            email=s.email,
            email_domain=s.email.rsplit("@", 1)[1],
            company=s.company,
            user_id=user_ids[s.user_index] if s.user_index is not None else None,
        )
        for s in plan.speakers
    )
    talks: list[Talk] = []
    for start, chunk in zip(itertools.count(0, BATCH), _batched(plan.talks, BATCH), strict=False):
        talks.extend(
            Talk.objects.bulk_create(
                Talk(
                    conference=conference,
                    title=t.title,
                    abstract=t.abstract,
                    track=tracks[t.track_slug],
                    format=t.format,
                    duration_minutes=t.duration_minutes,
                    external_id=f"DEMO-{start + i + 1:05d}",
                )
                for i, t in enumerate(chunk)
            )
        )
        report("talks", len(chunk))
    TalkSpeaker = Talk.speakers.through
    TalkSpeaker.objects.bulk_create(
        (
            TalkSpeaker(talk_id=talk.pk, speaker_id=speakers[s].pk)
            for talk, planned in zip(talks, plan.talks, strict=True)
            for s in planned.speaker_indexes
        ),
        batch_size=BATCH,
    )

    for chunk in _batched(plan.tickets, BATCH):
        tickets = Ticket.objects.bulk_create(
            Ticket(
                conference=conference,
                ticket_type=types[t.type_name],
                order_code=t.order_code,
                secret=t.secret,
                holder_email=t.holder_email,
                holder_name=t.holder_name,
                holder_company=t.holder_company,
                status=Ticket.Status.CANCELLED if t.cancelled else Ticket.Status.VALID,
            )
            for t in chunk
        )
        TicketClaim.objects.bulk_create(
            TicketClaim(
                conference=conference,
                ticket=ticket,
                user_id=user_ids[t.user_index],
                method=TicketClaim.Method.EMAIL,
                claimed_at=plan.voting_opens_at,
            )
            for ticket, t in zip(tickets, chunk, strict=True)
            if t.user_index is not None
        )
        report("tickets", len(chunk))
    Pledge.objects.bulk_create(
        (
            Pledge(user_id=user_ids[u], conference=conference, threshold=Decimal("0.5") if u % 3 else Decimal("0.75"))
            for u in plan.pledger_indexes
        ),
        batch_size=BATCH,
    )
    report("pledges", len(plan.pledger_indexes))

    n_votes = 0
    for chunk in _batched(votes, BATCH):
        n_votes += len(chunk)
        Vote.objects.bulk_create(
            Vote(user_id=user_ids[u], talk_id=talks[t].pk, score=score, created_at=at, updated_at=at)
            for u, t, score, at in chunk
        )
        VoteEvent.objects.bulk_create(
            VoteEvent(user_id=user_ids[u], talk_id=talks[t].pk, kind=VoteEvent.Kind.CAST, new_score=score, at=at)
            for u, t, score, at in chunk
        )
        report("votes", len(chunk))
    return conference, n_votes
