"""What an export needs to know about a published schedule, and the identifiers readers rely on.

Identifiers are derived, never stored, and stable across releases: a talk keeps its code, guid and
slug from one schedule version to the next, so apps that bookmarked it still find it. The rules
below satisfy both the c3voc JSON schema and the frab XML schema at once (they disagree: the JSON
acronym may not contain hyphens, XML track slugs must start with a letter)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from dataclasses import dataclass

NAMESPACE = uuid.UUID("6b0d5b8e-9a43-5a3b-8d25-6f6e1c0c7a10")  # confvote's own uuid5 namespace
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class ExportPerson:
    key: str  # stable: the speaker's id
    name: str
    biography: str = ""
    email: str = ""  # only for the guid; never exported


@dataclass(frozen=True)
class ExportTrack:
    name: str
    slug: str
    color: str


@dataclass(frozen=True)
class ExportRoom:
    key: int
    name: str
    capacity: int


@dataclass(frozen=True)
class ExportItem:
    talk_id: int
    title: str
    abstract: str
    description: str
    format: str
    language: str
    track: ExportTrack | None
    room: ExportRoom
    start: dt.datetime  # aware, in the conference's time zone
    end: dt.datetime
    persons: tuple[ExportPerson, ...]
    url: str


@dataclass(frozen=True)
class PublishedSchedule:
    conference_slug: str
    title: str
    time_zone: str
    start_date: dt.date
    end_date: dt.date
    version: int
    published_at: dt.datetime
    base_url: str  # absolute, ending with /
    url: str  # the conference page
    rooms: tuple[ExportRoom, ...]
    tracks: tuple[ExportTrack, ...]
    items: tuple[ExportItem, ...]

    @property
    def acronym(self) -> str:
        return acronym_for(self.conference_slug)

    def days(self) -> list[dt.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=i) for i in range(count)]


def _ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def acronym_for(conference_slug: str) -> str:
    """Lowercase letters, digits and underscores, at least 4: valid for the JSON schema and the XSD."""
    acronym = re.sub(r"[^a-z0-9_]", "_", conference_slug.lower()).strip("_") or "conf"
    return acronym if len(acronym) >= 4 else (acronym + "_conf")[: max(4, len(acronym))].ljust(4, "_")


def track_slug_for(name: str, slug: str) -> str:
    """Starts with a letter, letters/digits/hyphens, ends with a letter or digit (XSD and JSON)."""
    base = _ascii_slug(slug or name) or "track"
    if not base[0].isalpha():
        base = f"track-{base}"
    return base


def code_for(talk_id: int) -> str:
    """Six characters of [0-9A-Z], as pretalx codes look (the XSD's pattern)."""
    n, out = talk_id, ""
    while n:
        n, r = divmod(n, 36)
        out = _BASE36[r] + out
    return out.rjust(6, "0")[-6:]


def guid_for(kind: str, conference_slug: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{conference_slug}:{key}"))


def person_guid(person: ExportPerson, conference_slug: str) -> str:
    # The schema's convention: uuid5(NAMESPACE_URL, "acct:<email>") when an email is known.
    if person.email:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"acct:{person.email.lower()}"))
    return guid_for("person", conference_slug, person.key)


def event_slug(schedule: PublishedSchedule, item: ExportItem) -> str:
    """<acronym>-<id>-<title>, e.g. democonf-12-async-views (XSD voc-slug-new and JSON slug)."""
    return f"{schedule.acronym}-{item.talk_id}-{_ascii_slug(item.title)[:60].strip('-') or 'talk'}"


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    return int((end - start).total_seconds() // 60)
