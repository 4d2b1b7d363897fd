"""Writes imported talks: all or nothing, idempotent on the external id, with a report a person can read."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from .domain.talk_import import ParseResult, Problem, SpeakerRecord, TalkRecord
from .models import Conference, Speaker, Talk, Track


@dataclass
class TalkImportReport:
    kind: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    tracks_created: list[str] = field(default_factory=list)
    speakers_created: int = 0
    errors: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary(self) -> str:
        if self.errors:
            return f"Nothing was imported: {len(self.errors)} problem(s) to fix first."
        verb = "Would import" if self.dry_run else "Imported"
        parts = [f"{self.created} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        extra = f", {len(self.tracks_created)} new track(s), {self.speakers_created} new speaker(s)"
        return f"{verb} talks: {', '.join(parts)}{extra}."


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a failed import."""


def talks_import(*, conference: Conference, parsed: ParseResult, dry_run: bool) -> TalkImportReport:
    """Creates or updates the parsed talks in one transaction. A dry run does the same work and rolls
    it back, so its report shows exactly what a real import would do (database checks included)."""
    report = TalkImportReport(kind=parsed.kind, dry_run=dry_run, notes=list(parsed.notes))
    if not parsed.ok:
        report.errors = list(parsed.errors)
        return report
    try:
        with transaction.atomic():
            # One import per conference at a time; concurrent imports of one file would race on creates.
            Conference.objects.select_for_update(no_key=True).get(pk=conference.pk)
            _write(conference, parsed.records, report)
            if dry_run or report.errors:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _write(conference: Conference, records: list[TalkRecord], report: TalkImportReport) -> None:
    tracks = {t.name.lower(): t for t in Track.objects.filter(conference=conference)}
    speakers = _SpeakerIndex(conference)
    existing = {t.external_id: t for t in Talk.objects.filter(conference=conference).exclude(external_id="")}
    for record in records:
        track = _track_for(conference, record, tracks, report) if record.track else None
        try:
            with transaction.atomic():
                talk = existing.get(record.external_id)
                fields = {
                    "title": record.title,
                    "abstract": record.abstract,
                    "description": record.description,
                    "track": track,
                    "format": record.format,
                    "duration_minutes": record.duration_minutes,
                    "language": record.language,
                    "status": record.status,
                }
                speaker_objs = [speakers.get_or_create(s, report) for s in record.speakers]
                if talk is None:
                    talk = Talk.objects.create(conference=conference, external_id=record.external_id, **fields)
                    report.created += 1
                else:
                    changed = [k for k, v in fields.items() if getattr(talk, k) != v]
                    old_speakers = set(talk.speakers.values_list("pk", flat=True))
                    if changed or old_speakers != {s.pk for s in speaker_objs}:
                        for k in changed:
                            setattr(talk, k, fields[k])
                        talk.save()
                        report.updated += 1
                    else:
                        report.unchanged += 1
                talk.speakers.set(speaker_objs)
        except IntegrityError as exc:
            report.errors.append(Problem(record.where, f"the database refused it: {exc}"))


def _track_for(conference, record: TalkRecord, tracks: dict, report: TalkImportReport) -> Track:
    key = record.track.lower()
    if key not in tracks:
        tracks[key] = Track.objects.create(
            conference=conference,
            name=record.track,
            slug=_free_slug(record.track, {t.slug for t in tracks.values()}),
            color=record.track_color or "#3b6ea5",
        )
        report.tracks_created.append(record.track)
    return tracks[key]


def _free_slug(name: str, taken: set[str]) -> str:
    # Schedule XML needs track slugs that start with a letter (pretalx's own export fails on this).
    base = slugify(name)[:56] or "track"
    if not base[0].isalpha():
        base = f"track-{base}"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class _SpeakerIndex:
    """Finds a conference's speaker by external id, then by email; creates one otherwise."""

    def __init__(self, conference: Conference):
        self.conference = conference
        self.by_id: dict[str, Speaker] = {}
        self.by_email: dict[str, Speaker] = {}
        for speaker in Speaker.objects.filter(conference=conference):
            self._remember(speaker)

    def _remember(self, speaker: Speaker) -> None:
        if speaker.external_id:
            self.by_id[speaker.external_id] = speaker
        if speaker.email:
            self.by_email[speaker.email.lower()] = speaker

    def get_or_create(self, record: SpeakerRecord, report: TalkImportReport) -> Speaker:
        speaker = (record.external_id and self.by_id.get(record.external_id)) or (
            record.email and self.by_email.get(record.email.lower())
        )
        if speaker:
            updates = {
                k: v
                for k, v in (
                    ("name", record.name),
                    ("company", record.company),
                    ("biography", record.biography),
                    ("external_id", record.external_id),
                    ("email", record.email),
                )
                if v and getattr(speaker, k) != v
            }
            if updates:
                for k, v in updates.items():
                    setattr(speaker, k, v)
                speaker.save()
                self._remember(speaker)
            return speaker
        speaker = Speaker.objects.create(
            conference=self.conference,
            name=record.name,
            email=record.email,
            company=record.company,
            biography=record.biography,
            external_id=record.external_id,
        )
        report.speakers_created += 1
        self._remember(speaker)
        return speaker
