"""Reading talk proposals from files: CSV, JSON, pretalx's submissions API and pretalx's schedule.json.

Every talk in a file needs a stable identifier (its pretalx code, or an `external_id` column), because
importing the same file twice must update the talks it made, never duplicate them. A file is read
completely before anything is written: every problem is reported with the line (CSV) or record
(JSON) where it is, and a file with any problem imports nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

FORMATS = ("talk", "lightning", "workshop", "keynote", "panel")
STATUSES = ("submitted", "accepted", "waitlisted", "rejected", "withdrawn")
KINDS = ("auto", "csv", "json", "pretalx-submissions", "pretalx-schedule")
MAX_DURATION = 600
# The database's lengths for a speaker (talks.Speaker); a longer value was a DataError on PostgreSQL.
SPEAKER_LIMITS = {"name": 200, "email": 254, "company": 200, "external_id": 100}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# pretalx proposal states → ours. Drafts are not proposals yet and are skipped with a note.
PRETALX_STATES = {
    "submitted": "submitted",
    "accepted": "accepted",
    "confirmed": "accepted",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
    "canceled": "withdrawn",
    "cancelled": "withdrawn",
    "deleted": "withdrawn",
}


@dataclass(frozen=True)
class SpeakerRecord:
    name: str
    email: str = ""
    external_id: str = ""
    company: str = ""
    biography: str = ""


@dataclass(frozen=True)
class TalkRecord:
    where: str  # "line 4" or "record 2", for messages
    external_id: str
    title: str
    abstract: str = ""
    description: str = ""
    track: str = ""
    track_color: str = ""
    format: str = "talk"
    duration_minutes: int = 30
    language: str = "en"
    status: str = "submitted"
    speakers: tuple[SpeakerRecord, ...] = ()


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ParseResult:
    kind: str
    records: list[TalkRecord] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # skipped on purpose, not errors

    @property
    def ok(self) -> bool:
        return not self.errors


def talks_parse(content: bytes | str, *, kind: str = "auto", filename: str = "") -> ParseResult:
    """Reads a file's content into talk records and problems. Never raises on bad content."""
    if kind not in KINDS:
        return ParseResult(kind, errors=[Problem("file", f"unknown format {kind!r}; use one of {', '.join(KINDS)}")])
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return ParseResult(kind, errors=[Problem("file", "the file is not UTF-8 text; save it as UTF-8 and retry")])
    if not content.strip():
        return ParseResult(kind, errors=[Problem("file", "the file is empty")])
    if kind == "auto":
        kind = "csv" if filename.lower().endswith(".csv") or content.lstrip()[:1] not in "[{" else "json"
    if kind == "csv":
        try:
            result = _parse_csv(content)
        except csv.Error as exc:  # a cell over csv's field size limit, say
            return ParseResult(kind, errors=[Problem("file", f"not valid CSV: {exc}")])
    else:
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            return ParseResult(kind, errors=[Problem(f"line {exc.lineno}", f"not valid JSON: {exc.msg}")])
        except RecursionError:  # arrays or objects nested thousands deep: no talk list looks like that
            return ParseResult(kind, errors=[Problem("file", "not valid JSON: nested too deeply")])
        if kind == "json":
            kind = _sniff_json(data)
        parser = {
            "json": _parse_json,
            "pretalx-submissions": _parse_pretalx_submissions,
            "pretalx-schedule": _parse_pretalx_schedule,
        }[kind]
        result = parser(data)
    _check_duplicates(result)
    _check_characters(result)
    return result


# --- CSV ------------------------------------------------------------------------------------------
CSV_COLUMNS = {
    "external_id": "a stable id of the talk in your system (required)",
    "title": "required",
    "abstract": "",
    "description": "",
    "track": "track name; new tracks are created",
    "format": "talk, lightning, workshop, keynote or panel (default talk)",
    "duration": "minutes, 1 to 600 (default 30)",
    "language": "default en",
    "status": "submitted, accepted, waitlisted, rejected or withdrawn (default submitted)",
    "speaker_names": "several speakers separated by ;",
    "speaker_emails": "in the same order as the names, separated by ;",
    "speaker_companies": "in the same order as the names, separated by ;",
}


def _parse_csv(text: str) -> ParseResult:
    result = ParseResult("csv")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    missing = {"external_id", "title"} - set(columns)
    if missing:
        result.errors.append(Problem("line 1", f"missing column(s) {', '.join(sorted(missing))}"))
        return result
    unknown = set(columns) - set(CSV_COLUMNS)
    if unknown:
        result.notes.append(Problem("line 1", f"ignored unknown column(s) {', '.join(sorted(unknown))}"))
    for row in reader:
        where = f"line {reader.line_num}"
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        cells = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
        problems: list[str] = []
        names = _split(cells.get("speaker_names", ""))
        emails = _split(cells.get("speaker_emails", ""))
        companies = _split(cells.get("speaker_companies", ""))
        if emails and len(emails) != len(names):
            problems.append(f"{len(names)} speaker name(s) but {len(emails)} email(s)")
        if companies and len(companies) != len(names):
            problems.append(f"{len(names)} speaker name(s) but {len(companies)} companies")
        speakers = tuple(
            SpeakerRecord(name=n, email=_at(emails, i).lower(), company=_at(companies, i)) for i, n in enumerate(names)
        )
        record = _record(
            where,
            problems,
            external_id=cells.get("external_id", ""),
            title=cells.get("title", ""),
            abstract=cells.get("abstract", ""),
            description=cells.get("description", ""),
            track=cells.get("track", ""),
            format_text=cells.get("format", ""),
            duration_text=cells.get("duration", ""),
            language=cells.get("language", ""),
            status_text=cells.get("status", ""),
            speakers=speakers,
        )
        _keep(result, where, record, problems)
    if not result.records and not result.errors:
        result.errors.append(Problem("file", "no talks found below the header line"))
    return result


# --- our JSON -------------------------------------------------------------------------------------
def _sniff_json(data) -> str:
    if isinstance(data, dict) and "schedule" in data:
        return "pretalx-schedule"
    items = data.get("results") if isinstance(data, dict) else data
    if isinstance(items, list) and items and isinstance(items[0], dict) and "code" in items[0]:
        return "pretalx-submissions"
    return "json"


def _parse_json(data) -> ParseResult:
    result = ParseResult("json")
    items = data.get("talks") if isinstance(data, dict) else data
    if not isinstance(items, list):
        result.errors.append(Problem("file", 'expected a list of talks, or {"talks": [...]}'))
        return result
    for index, item in enumerate(items, start=1):
        where = f"record {index}"
        if not isinstance(item, dict):
            result.errors.append(Problem(where, "expected an object with the talk's fields"))
            continue
        problems: list[str] = []
        speakers = []
        for s in item.get("speakers") or []:
            if not isinstance(s, dict) or not str(s.get("name") or "").strip():
                problems.append("every speaker needs a name")
                continue
            speakers.append(
                SpeakerRecord(
                    name=str(s["name"]).strip(),
                    email=str(s.get("email") or "").strip().lower(),
                    external_id=str(s.get("external_id") or ""),
                    company=str(s.get("company") or ""),
                    biography=str(s.get("biography") or ""),
                )
            )
        record = _record(
            where,
            problems,
            external_id=str(item.get("external_id") or item.get("id") or ""),
            title=str(item.get("title") or ""),
            abstract=str(item.get("abstract") or ""),
            description=str(item.get("description") or ""),
            track=str(item.get("track") or ""),
            format_text=str(item.get("format") or ""),
            duration_text=_given(item, "duration_minutes", "duration"),
            language=str(item.get("language") or ""),
            status_text=str(item.get("status") or ""),
            speakers=tuple(speakers),
        )
        _keep(result, where, record, problems)
    return result


# --- pretalx --------------------------------------------------------------------------------------
def _i18n(value) -> str:
    """pretalx sends translatable fields as {"en": "..."}; take English, else the first language."""
    if isinstance(value, dict):
        return str(value.get("en") or next(iter(value.values()), "") or "")
    return str(value or "")


def _pretalx_format(type_name: str) -> str:
    name = type_name.lower()
    for key in ("lightning", "workshop", "keynote", "panel"):
        if key in name:
            return key
    return "talk"


def _parse_pretalx_submissions(data) -> ParseResult:
    result = ParseResult("pretalx-submissions")
    pages = data if isinstance(data, list) and data and isinstance(data[0], dict) and "results" in data[0] else [data]
    items: list = []
    for page in pages:
        items.extend(page.get("results", []) if isinstance(page, dict) else page)
    for index, item in enumerate(items, start=1):
        where = f"record {index}"
        if not isinstance(item, dict):
            result.errors.append(Problem(where, "expected a pretalx submission object"))
            continue
        where = f"record {index} ({item.get('code', '?')})"
        state = str(item.get("state") or "submitted")
        if state == "draft":
            result.notes.append(Problem(where, "skipped: a draft is not a proposal yet"))
            continue
        problems: list[str] = []
        speakers = []
        for s in item.get("speakers") or []:
            if not isinstance(s, dict):
                problems.append("speakers are not expanded: export with ?expand=speakers")
                break
            speakers.append(
                SpeakerRecord(
                    name=str(s.get("name") or s.get("code") or "").strip(),
                    email=str(s.get("email") or "").strip().lower(),
                    external_id=str(s.get("code") or ""),
                    biography=str(s.get("biography") or ""),
                )
            )
        track = item.get("track")
        if track is not None and not isinstance(track, dict):
            problems.append("the track is not expanded: export with ?expand=track")
            track = None
        submission_type = item.get("submission_type")
        type_name = _i18n(submission_type.get("name")) if isinstance(submission_type, dict) else ""
        duration = item.get("duration")
        if duration is None and isinstance(submission_type, dict):
            duration = submission_type.get("default_duration")
        record = _record(
            where,
            problems,
            external_id=str(item.get("code") or ""),
            title=str(item.get("title") or ""),
            abstract=str(item.get("abstract") or ""),
            description=str(item.get("description") or ""),
            track=_i18n(track.get("name")) if track else "",
            track_color=str(track.get("color") or "") if track else "",
            format_text=_pretalx_format(type_name),
            duration_text=_text(duration),
            language=str(item.get("content_locale") or ""),
            status_text=PRETALX_STATES.get(state, ""),
            speakers=tuple(speakers),
        )
        if state not in PRETALX_STATES:
            problems.append(f"unknown pretalx state {state!r}")
        _keep(result, where, record, problems)
    return result


def _parse_pretalx_schedule(data) -> ParseResult:
    result = ParseResult("pretalx-schedule")
    try:
        conference = data["schedule"]["conference"]
        days = conference["days"]
    except (KeyError, TypeError):
        result.errors.append(Problem("file", "not a schedule.json: expected schedule.conference.days"))
        return result
    colors = {t.get("name"): t.get("color", "") for t in conference.get("tracks", []) if isinstance(t, dict)}
    index = 0
    seen: set[str] = set()
    for day in days:
        for room_talks in (day.get("rooms") or {}).values():
            for item in room_talks:
                index += 1
                where = f"record {index} ({item.get('code') or item.get('id') or '?'})"
                code = str(item.get("code") or item.get("id") or "")
                if code and code in seen:
                    result.notes.append(Problem(where, "skipped: the same talk in another slot"))
                    continue
                seen.add(code)
                problems: list[str] = []
                speakers = tuple(
                    SpeakerRecord(
                        name=str(p.get("public_name") or p.get("name") or "").strip(),
                        external_id=str(p.get("code") or ""),
                        biography=str(p.get("biography") or ""),
                    )
                    for p in item.get("persons") or []
                    if isinstance(p, dict)
                )
                record = _record(
                    where,
                    problems,
                    external_id=str(item.get("code") or item.get("id") or ""),
                    title=str(item.get("title") or ""),
                    abstract=str(item.get("abstract") or ""),
                    description=str(item.get("description") or ""),
                    track=str(item.get("track") or ""),
                    track_color=str(colors.get(item.get("track"), "")),
                    format_text=_pretalx_format(str(item.get("type") or "")),
                    duration_text=_text(_hhmm_minutes(str(item.get("duration") or ""))),
                    language=str(item.get("language") or ""),
                    status_text="accepted",  # it is on a published schedule
                    speakers=speakers,
                )
                _keep(result, where, record, problems)
    if not result.records and not result.errors:
        result.errors.append(Problem("file", "the schedule has no talks"))
    return result


# --- shared checks --------------------------------------------------------------------------------
def _record(
    where: str,
    problems: list[str],
    *,
    external_id: str,
    title: str,
    abstract: str,
    description: str,
    track: str,
    format_text: str,
    duration_text: str,
    language: str,
    status_text: str,
    speakers: tuple[SpeakerRecord, ...],
    track_color: str = "",
) -> TalkRecord | None:
    external_id, title = external_id.strip(), title.strip()
    if not external_id:
        problems.append("missing external id (needed so that importing again updates instead of duplicating)")
    elif len(external_id) > 100:
        problems.append("external id is longer than 100 characters")
    if not title:
        problems.append("missing title")
    elif len(title) > 300:
        problems.append("title is longer than 300 characters")
    fmt = (format_text or "talk").strip().lower().replace(" talk", "")
    if fmt not in FORMATS:
        problems.append(f"unknown format {format_text!r}; use one of {', '.join(FORMATS)}")
    status = (status_text or "submitted").strip().lower()
    if status not in STATUSES:
        problems.append(f"unknown status {status_text!r}; use one of {', '.join(STATUSES)}")
    duration = 30
    if duration_text.strip():
        try:
            minutes = float(duration_text)
            duration = int(minutes)  # OverflowError for infinity, ValueError for NaN
        except (ValueError, OverflowError):
            problems.append(f"duration {duration_text!r} is not a number of minutes")
        else:
            if minutes != duration:
                problems.append(f"duration {duration_text!r} is not a whole number of minutes")
            elif not 1 <= duration <= MAX_DURATION:
                problems.append(f"duration {duration} is outside 1 to {MAX_DURATION} minutes")
    for speaker in speakers:
        if not speaker.name:
            problems.append("a speaker has no name")
        for name, limit in SPEAKER_LIMITS.items():
            if len(getattr(speaker, name)) > limit:
                problems.append(f"a speaker's {name.replace('_', ' ')} is longer than {limit} characters")
        if speaker.email and not _EMAIL.match(speaker.email):
            problems.append(f"speaker email {speaker.email!r} is not an email address")
    if len(track.strip()) > 100:
        problems.append("track is longer than 100 characters")
    if len(language.strip()) > 16:
        problems.append("language is longer than 16 characters (give a code such as en or pt-BR)")
    if track_color and not re.fullmatch(r"#[0-9a-fA-F]{6}", track_color):
        track_color = ""
    if problems:
        return None
    return TalkRecord(
        where=where,
        external_id=external_id,
        title=title,
        abstract=abstract.strip(),
        description=description.strip(),
        track=track.strip(),
        track_color=track_color,
        format=fmt,
        duration_minutes=duration,
        language=language.strip() or "en",
        status=status,
        speakers=speakers,
    )


def _keep(result: ParseResult, where: str, record: TalkRecord | None, problems: Iterable[str]) -> None:
    result.errors.extend(Problem(where, p) for p in problems)
    if record is not None:
        result.records.append(record)


def _check_duplicates(result: ParseResult) -> None:
    counts = Counter(r.external_id for r in result.records)
    for record in result.records:
        if counts[record.external_id] > 1:
            result.errors.append(Problem(record.where, f"external id {record.external_id!r} appears more than once"))


def _check_characters(result: ParseResult) -> None:
    """Text cannot hold a NUL byte (PostgreSQL) nor half of a surrogate pair (UTF-8); a JSON file may
    spell either as an escape, "\\u0000" or a lone "\\ud800"."""
    for record in result.records:
        for item in (record, *record.speakers):
            for name, value in vars(item).items():
                if isinstance(value, str) and "\x00" in value:
                    result.errors.append(Problem(record.where, f"{name} holds a NUL byte, which text cannot hold"))
                elif isinstance(value, str) and _SURROGATE.search(value):
                    result.errors.append(
                        Problem(record.where, f"{name} holds half of a surrogate pair (a \\ud800 escape alone)")
                    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value) -> str:
    """A value the record gives, as text: "" when it gives none (None or ""); a 0 is given, and checked."""
    return "" if value in (None, "") else str(value)


def _given(item: dict, *keys: str) -> str:
    """The first of `keys` that the record gives, as text ("" when none is)."""
    return _text(next((item[k] for k in keys if item.get(k) not in (None, "")), None))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()] if value else []


def _at(values: list[str], index: int) -> str:
    return values[index] if index < len(values) else ""


def _hhmm_minutes(value: str) -> int | None:
    match = re.fullmatch(r"(\d+):(\d{2})", value.strip())
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None
