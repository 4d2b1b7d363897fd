"""schedule.json in the frab/c3voc format (validated against the c3voc JSON schema in the tests)."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

from .data import (
    PublishedSchedule,
    code_for,
    event_slug,
    guid_for,
    hhmm,
    minutes_between,
    person_guid,
    track_slug_for,
)


class FrabJsonExporter:
    name = "schedule.json"
    content_type = "application/json; charset=utf-8"

    @classmethod
    def render(cls, schedule: PublishedSchedule) -> bytes:
        return json.dumps(cls.document(schedule), ensure_ascii=False, indent=1).encode()

    @classmethod
    def document(cls, schedule: PublishedSchedule) -> dict:
        tz = zoneinfo.ZoneInfo(schedule.time_zone)
        slug = schedule.conference_slug
        days = []
        for index, date in enumerate(schedule.days(), start=1):
            # A conference day runs from 04:00 to 03:59 the next morning, so late sessions stay on their day.
            day_start = dt.datetime.combine(date, dt.time(4, 0), tzinfo=tz)
            day_end = day_start + dt.timedelta(days=1, minutes=-1)
            rooms: dict[str, list] = {room.name: [] for room in schedule.rooms}
            for item in schedule.items:
                if not day_start <= item.start.astimezone(tz) <= day_end:
                    continue
                start = item.start.astimezone(tz)
                rooms.setdefault(item.room.name, []).append(
                    {
                        "guid": guid_for("talk", slug, item.talk_id),
                        "code": code_for(item.talk_id),
                        "id": item.talk_id,
                        "logo": None,
                        "date": start.isoformat(),
                        "start": start.strftime("%H:%M"),
                        "end": item.end.astimezone(tz).isoformat(),
                        "duration": hhmm(minutes_between(item.start, item.end)),
                        "room": item.room.name,
                        "slug": event_slug(schedule, item),
                        "url": item.url,
                        "title": item.title,
                        "subtitle": "",
                        "track": item.track.name if item.track else None,
                        "type": item.format,
                        "language": item.language,
                        "abstract": item.abstract,
                        "description": item.description,
                        "recording_license": "",
                        "do_not_record": False,
                        "persons": [
                            {"name": p.name, "guid": person_guid(p, slug), "biography": p.biography or None}
                            for p in item.persons
                        ],
                        "links": [],
                        "attachments": [],
                    }
                )
            days.append(
                {
                    "index": index,
                    "date": date.isoformat(),
                    "day_start": day_start.isoformat(),
                    "day_end": day_end.isoformat(),
                    "rooms": rooms,
                }
            )
        return {
            "$schema": "https://c3voc.de/schedule/schema.json",
            "generator": {"name": "confvote", "version": "1"},
            "schedule": {
                "version": str(schedule.version),
                "base_url": schedule.base_url,
                "conference": {
                    "acronym": schedule.acronym,
                    "title": schedule.title,
                    "start": schedule.start_date.isoformat(),
                    "end": schedule.end_date.isoformat(),
                    "daysCount": len(days),
                    "timeslot_duration": "00:05",
                    "time_zone_name": schedule.time_zone,
                    "url": schedule.url,
                    "rooms": [
                        {"name": r.name, "guid": guid_for("room", slug, r.key), "capacity": r.capacity}
                        for r in schedule.rooms
                    ],
                    "tracks": [
                        {"name": t.name, "slug": track_slug_for(t.name, t.slug), "color": t.color}
                        for t in schedule.tracks
                    ],
                    "days": days,
                },
            },
        }
