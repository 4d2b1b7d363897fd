"""Writes to scheduling: publishing a schedule release."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.talks.models import Conference

from .models import Room, ScheduledTalk, ScheduleProposal, ScheduleRelease


@dataclass(frozen=True)
class Placement:
    talk_id: int
    room_id: int
    start: dt.datetime
    end: dt.datetime


@transaction.atomic
def release_publish(
    *,
    conference: Conference,
    placements: list[Placement],
    changelog: str = "",
    by=None,
    proposal: ScheduleProposal | None = None,
) -> ScheduleRelease:
    """Publishes the next schedule version. Everything is checked before anything is written; the
    database constraints (a talk once, a room once per start) back the checks up under concurrency."""
    Conference.objects.select_for_update(no_key=True).get(pk=conference.pk)  # versions are numbered in order
    talk_ids = set(conference.talks.values_list("pk", flat=True))
    room_ids = set(Room.objects.filter(conference=conference).values_list("pk", flat=True))
    problems = []
    for p in placements:
        if p.talk_id not in talk_ids:
            problems.append(f"talk {p.talk_id} is not a talk of {conference}")
        if p.room_id not in room_ids:
            problems.append(f"room {p.room_id} is not a room of {conference}")
        if p.end <= p.start:
            problems.append(f"talk {p.talk_id} ends before it starts")
    seen_talks = [p.talk_id for p in placements]
    if len(seen_talks) != len(set(seen_talks)):
        problems.append("a talk is placed twice")
    by_room: dict[int, list[Placement]] = {}
    for p in placements:
        by_room.setdefault(p.room_id, []).append(p)
    for room_placements in by_room.values():
        room_placements.sort(key=lambda p: p.start)
        for a, b in itertools.pairwise(room_placements):
            if b.start < a.end:
                problems.append(f"talks {a.talk_id} and {b.talk_id} overlap in room {a.room_id}")
    if problems:
        raise ValidationError(problems)
    version = (ScheduleRelease.objects.filter(conference=conference).aggregate(v=Max("version"))["v"] or 0) + 1
    release = ScheduleRelease.objects.create(
        conference=conference,
        version=version,
        proposal=proposal,
        changelog=changelog,
        published_at=timezone.now(),
        published_by=by,
    )
    ScheduledTalk.objects.bulk_create(
        ScheduledTalk(release=release, talk_id=p.talk_id, room_id=p.room_id, start=p.start, end=p.end)
        for p in placements
    )
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.PUBLISHED)
    return release
