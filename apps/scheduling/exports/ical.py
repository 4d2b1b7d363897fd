"""iCalendar (RFC 5545) for a whole schedule, one talk, or one person's wanted talks."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, vText

from .data import ExportItem, PublishedSchedule, guid_for


class ICalExporter:
    name = "schedule.ics"
    content_type = "text/calendar; charset=utf-8"

    @classmethod
    def render(
        cls, schedule: PublishedSchedule, *, items: tuple[ExportItem, ...] | None = None, title: str | None = None
    ) -> bytes:
        calendar = Calendar()
        calendar.add("prodid", "-//confvote//schedule//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", title or schedule.title)
        calendar.add("x-wr-timezone", schedule.time_zone)
        stamp = schedule.published_at.astimezone(dt.UTC)
        for item in schedule.items if items is None else items:
            event = Event()
            event.add("uid", f"{guid_for('talk', schedule.conference_slug, item.talk_id)}@confvote")
            event.add("dtstamp", stamp)
            event.add("dtstart", item.start.astimezone(dt.UTC))
            event.add("dtend", item.end.astimezone(dt.UTC))
            event.add("summary", item.title)
            event.add("location", vText(item.room.name))
            speakers = ", ".join(p.name for p in item.persons)
            description = "\n\n".join(part for part in (speakers, item.abstract, item.url) if part)
            event.add("description", description)
            event.add("url", item.url)
            if item.track:
                event.add("categories", [item.track.name])
            event.add("sequence", schedule.version)
            calendar.add_component(event)
        return calendar.to_ical()
