"""Reads of published schedules, shaped for the exporters."""

from __future__ import annotations

import zoneinfo

from django.db.models import Max, QuerySet
from django.urls import reverse

from apps.talks.models import Conference

from .exports.data import ExportItem, ExportPerson, ExportRoom, ExportTrack, PublishedSchedule
from .models import ScheduledTalk, ScheduleRelease


def release_get(*, conference: Conference, version: int | None = None) -> ScheduleRelease | None:
    """A given version, or the newest when version is None."""
    releases = ScheduleRelease.objects.filter(conference=conference)
    if version is not None:
        return releases.filter(version=version).first()
    return releases.order_by("-version").first()


def release_entries(*, release: ScheduleRelease) -> QuerySet[ScheduledTalk]:
    return (
        ScheduledTalk.objects.filter(release=release)
        .select_related("talk__track", "room")
        .prefetch_related("talk__speakers")
        .order_by("start", "room__position", "room__name")
    )


def release_last_modified(*, release: ScheduleRelease):
    """When the export last changed: publication, or a later edit of one of its talks."""
    edited = release.entries.aggregate(at=Max("talk__updated_at"))["at"]
    return max(filter(None, (release.published_at, edited)))


def published_schedule(*, release: ScheduleRelease, base_url: str) -> PublishedSchedule:
    """Everything an exporter needs, in four queries whatever the size."""
    conference = release.conference
    tz = zoneinfo.ZoneInfo(conference.timezone)
    page = base_url.rstrip("/") + reverse("conference_detail", args=[conference.slug])
    rooms = {r.pk: ExportRoom(key=r.pk, name=r.name, capacity=r.capacity) for r in conference.rooms.all()}
    tracks = {t.pk: ExportTrack(name=t.name, slug=t.slug, color=t.color) for t in conference.tracks.all()}
    items = []
    for entry in release_entries(release=release):
        talk = entry.talk
        items.append(
            ExportItem(
                talk_id=talk.pk,
                title=talk.title,
                abstract=talk.abstract,
                description=talk.description,
                format=talk.format,
                language=talk.language,
                track=tracks.get(talk.track_id),
                room=rooms[entry.room_id],
                start=entry.start.astimezone(tz),
                end=entry.end.astimezone(tz),
                persons=tuple(
                    ExportPerson(key=str(s.pk), name=s.name, biography=s.biography, email=s.email)
                    for s in talk.speakers.all()
                ),
                url=f"{page}#talk-{talk.pk}",
            )
        )
    return PublishedSchedule(
        conference_slug=conference.slug,
        title=conference.name,
        time_zone=conference.timezone,
        start_date=conference.start_date,
        end_date=conference.end_date,
        version=release.version,
        published_at=release.published_at,
        base_url=base_url.rstrip("/") + "/",
        url=page,
        rooms=tuple(rooms.values()),
        tracks=tuple(tracks.values()),
        items=tuple(items),
    )
