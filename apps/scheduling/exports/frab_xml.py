"""schedule.xml in the frab/Pentabarf format (validated against the frab XSD in the tests)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
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

# Characters XML 1.0 cannot hold even escaped; ElementTree writes them as they are, and a control
# character in one title (a vertical tab pasted from a word processor, say) made the whole feed unreadable.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = value
    return element


class FrabXmlExporter:
    name = "schedule.xml"
    content_type = "application/xml; charset=utf-8"

    @classmethod
    def render(cls, schedule: PublishedSchedule) -> bytes:
        tz = zoneinfo.ZoneInfo(schedule.time_zone)
        slug = schedule.conference_slug
        root = ET.Element("schedule")
        ET.SubElement(root, "generator", {"name": "confvote", "version": "1"})
        _text(root, "version", str(schedule.version))
        conference = ET.SubElement(root, "conference")
        _text(conference, "title", schedule.title)
        _text(conference, "acronym", schedule.acronym)
        _text(conference, "start", schedule.start_date.isoformat())
        _text(conference, "end", schedule.end_date.isoformat())
        _text(conference, "days", str(len(schedule.days())))
        _text(conference, "timeslot_duration", "00:05")
        _text(conference, "base_url", schedule.base_url)
        _text(conference, "url", schedule.url)
        _text(conference, "time_zone_name", schedule.time_zone)
        for track in schedule.tracks:
            attrs = {"name": track.name, "slug": track_slug_for(track.name, track.slug)}
            if track.color:
                attrs["color"] = track.color
            _text(conference, "track", track.name, **attrs)
        for index, date in enumerate(schedule.days(), start=1):
            day_start = dt.datetime.combine(date, dt.time(4, 0), tzinfo=tz)
            day_end = day_start + dt.timedelta(days=1, minutes=-1)
            day = ET.SubElement(
                root,
                "day",
                {
                    "index": str(index),
                    "date": date.isoformat(),
                    "start": day_start.isoformat(),
                    "end": day_end.isoformat(),
                },
            )
            for room in schedule.rooms:
                items = [
                    i
                    for i in schedule.items
                    if i.room.key == room.key and day_start <= i.start.astimezone(tz) <= day_end
                ]
                room_el = ET.SubElement(day, "room", {"name": room.name, "guid": guid_for("room", slug, room.key)})
                for item in items:
                    cls._event(room_el, schedule, item, tz)
        ET.indent(root)
        text = NOT_XML.sub("", ET.tostring(root, encoding="unicode"))
        return b'<?xml version="1.0" encoding="utf-8"?>\n' + text.encode()

    @staticmethod
    def _event(room_el: ET.Element, schedule: PublishedSchedule, item, tz) -> None:
        slug = schedule.conference_slug
        start = item.start.astimezone(tz)
        event = ET.SubElement(
            room_el,
            "event",
            {"guid": guid_for("talk", slug, item.talk_id), "id": str(item.talk_id), "code": code_for(item.talk_id)},
        )
        _text(event, "room", item.room.name)
        _text(event, "title", item.title)
        _text(event, "subtitle", "")
        _text(event, "type", item.format)
        _text(event, "date", start.isoformat())
        _text(event, "start", start.strftime("%H:%M"))
        _text(event, "duration", hhmm(minutes_between(item.start, item.end)))
        _text(event, "abstract", item.abstract)
        _text(event, "slug", event_slug(schedule, item))
        _text(event, "track", item.track.name if item.track else "")
        persons = ET.SubElement(event, "persons")
        for person in item.persons:
            _text(persons, "person", person.name, guid=person_guid(person, slug))
        _text(event, "language", item.language)
        _text(event, "description", item.description)
        recording = ET.SubElement(event, "recording")
        _text(recording, "license", "")
        _text(recording, "optout", "false")
        ET.SubElement(event, "links")
        ET.SubElement(event, "attachments")
        _text(event, "url", item.url)
