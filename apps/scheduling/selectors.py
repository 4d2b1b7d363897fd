"""Reads of published schedules, shaped for the exporters."""

from __future__ import annotations

import hashlib
import json
import sys
import zoneinfo
from dataclasses import dataclass
from functools import cache

from django.urls import reverse

from apps.talks.models import Conference, Talk, Track
from confvote.stored import sources_digest

from . import exports
from .exports import data, frab_json, frab_xml, ical
from .exports.data import ExportItem, ExportPerson, ExportRoom, ExportTrack, PublishedSchedule
from .models import Room, ScheduledTalk, ScheduleRelease


def release_get(*, conference: Conference, version: int | None = None) -> ScheduleRelease | None:
    """A given version, or the newest when version is None."""
    releases = ScheduleRelease.objects.filter(conference=conference)
    if version is not None:
        return releases.filter(version=version).first()
    return releases.order_by("-version").first()


@dataclass(frozen=True)
class ScheduleSource:
    """Every value the feeds of a release show, as read from the database, in the order they show them.

    The feeds are made from these rows and nothing else (published_schedule), so a digest of them
    (`digest`) changes whenever anything a feed shows does: a speaker's name, biography or
    email (the person's guid), a speaker added to or removed from a talk, a room or track renamed or
    reordered, the conference renamed. Not when the rows were last saved: a save stamps `updated_at`
    before its transaction commits, so an edit committing after another talk's later one left the
    newest stamp, and the feeds' validators, as they were."""

    release: tuple  # pk, version, published_at: a release never changes
    conference: tuple  # slug, name, timezone, start_date, end_date
    rooms: tuple  # (pk, name, capacity), in grid order
    tracks: tuple  # (pk, name, slug, color), by name
    entries: tuple  # (talk pk, room pk, start, end, title, abstract, description, format, language, track pk)
    speakers: tuple  # (talk pk, speaker pk, name, biography, email), by talk, then name

    def digest(self, *, base_url: str) -> str:
        """SHA-256 of the rows, the site's address the feeds' links start with, and the code that draws
        the feeds (confvote.stored.sources_digest): a release that changes the exports changes it too."""
        parts = [_code_digest(), base_url, self.release, self.conference, self.rooms, self.tracks]
        parts += [self.entries, self.speakers]
        return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def schedule_source(*, release: ScheduleRelease) -> ScheduleSource:
    """The release's feed rows in five queries of the columns the feeds show, whatever the size."""
    conference_id = release.conference_id
    speakers = Talk.speakers.through.objects.filter(talk__scheduled__release=release).order_by(
        "talk_id", "speaker__name", "speaker_id"
    )
    return ScheduleSource(
        release=(release.pk, release.version, release.published_at),
        conference=tuple(
            Conference.objects.filter(pk=conference_id)
            .values_list("slug", "name", "timezone", "start_date", "end_date")
            .get()
        ),
        rooms=tuple(
            Room.objects.filter(conference_id=conference_id)
            .order_by("position", "name")
            .values_list("pk", "name", "capacity")
        ),
        tracks=tuple(
            Track.objects.filter(conference_id=conference_id)
            .order_by("name", "pk")
            .values_list("pk", "name", "slug", "color")
        ),
        entries=tuple(
            ScheduledTalk.objects.filter(release=release)
            .order_by("start", "room__position", "room__name")
            .values_list(
                "talk_id",
                "room_id",
                "start",
                "end",
                "talk__title",
                "talk__abstract",
                "talk__description",
                "talk__format",
                "talk__language",
                "talk__track_id",
            )
        ),
        speakers=tuple(
            speakers.values_list("talk_id", "speaker_id", "speaker__name", "speaker__biography", "speaker__email")
        ),
    )


def published_schedule(
    *, release: ScheduleRelease, base_url: str, source: ScheduleSource | None = None
) -> PublishedSchedule:
    """Everything an exporter needs, made from the release's feed rows (read here unless given) and from
    nothing else: what the rows' digest does not cover, no feed can show."""
    source = source or schedule_source(release=release)
    _pk, version, published_at = source.release
    slug, conference_name, time_zone, start_date, end_date = source.conference
    tz = zoneinfo.ZoneInfo(time_zone)
    page = base_url.rstrip("/") + reverse("conference_detail", args=[slug])
    rooms = {pk: ExportRoom(key=pk, name=room, capacity=capacity) for pk, room, capacity in source.rooms}
    tracks = {pk: ExportTrack(name=track, slug=slug_, color=color) for pk, track, slug_, color in source.tracks}
    persons: dict[int, list[ExportPerson]] = {}
    for talk_id, speaker_id, speaker_name, biography, email in source.speakers:
        persons.setdefault(talk_id, []).append(
            ExportPerson(key=str(speaker_id), name=speaker_name, biography=biography, email=email)
        )
    items = []
    for entry in source.entries:
        talk_id, room_id, start, end, title, abstract, description, talk_format, language, track_id = entry
        items.append(
            ExportItem(
                talk_id=talk_id,
                title=title,
                abstract=abstract,
                description=description,
                format=talk_format,
                language=language,
                track=tracks.get(track_id),
                room=rooms[room_id],
                start=start.astimezone(tz),
                end=end.astimezone(tz),
                persons=tuple(persons.get(talk_id, ())),
                url=f"{page}#talk-{talk_id}",
            )
        )
    return PublishedSchedule(
        conference_slug=slug,
        title=conference_name,
        time_zone=time_zone,
        start_date=start_date,
        end_date=end_date,
        version=version,
        published_at=published_at,
        base_url=base_url.rstrip("/") + "/",
        url=page,
        rooms=tuple(rooms.values()),
        tracks=tuple(tracks.values()),
        items=tuple(items),
    )


@cache
def _code_digest() -> str:
    """The modules that draw the feeds, this one included."""
    return sources_digest(exports, data, frab_json, frab_xml, ical, sys.modules[__name__])
