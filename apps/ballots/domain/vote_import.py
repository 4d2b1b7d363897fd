"""Reading votes cast elsewhere (a CSV, e.g. the pretalx-public-voting export) so that confvote can
weight them and look for blocs.

Each row names a talk (its external id or pretalx code), a voter (an email address, or an opaque
voter id such as pretalx-public-voting's voter hash), a score and optionally when it was cast. Scores
may be mapped onto the conference's scale ("-1=0,0=1,1=3"). A file with any problem imports nothing;
every problem is reported with its line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

ALIASES = {
    "talk": ("talk", "code", "submission", "submission_code", "talk_code", "external_id"),
    "voter": ("voter", "email", "voter_hash", "hash", "user", "voter_id"),
    "score": ("score", "vote", "value"),
    "timestamp": ("timestamp", "time", "created", "date", "voted_at"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_VOTER = 254


@dataclass(frozen=True)
class VoteRow:
    line: int
    talk: str
    voter: str
    score: int
    at: dt.datetime | None

    @property
    def voter_is_email(self) -> bool:
        return bool(_EMAIL.match(self.voter))


@dataclass
class VoteFile:
    rows: list[VoteRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def score_map_parse(text: str) -> dict[int, int]:
    """'-1=0, 0=1, 1=3' → {-1: 0, 0: 1, 1: 3}. Raises ValueError with a readable message."""
    mapping = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        source, sep, target = part.partition("=")
        try:
            mapping[int(source)] = int(target)
        except ValueError:
            raise ValueError(f"“{part}” is not “from=to” with whole numbers.") from None
        if not sep:
            raise ValueError(f"“{part}” is not “from=to”.")
    return mapping


def votes_parse(content: bytes | str, *, scale: tuple[int, int], score_map: dict[int, int] | None = None) -> VoteFile:
    result = VoteFile()
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.errors.append("file: the file is not UTF-8 text")
            return result
    if "\x00" in content:  # a spreadsheet's binary format, say; and PostgreSQL text cannot hold one
        result.errors.append("file: the file holds a NUL byte, so it is not CSV text (save it as CSV UTF-8 and retry)")
        return result
    try:
        _rows_read(content, result, scale=scale, score_map=score_map)
    except csv.Error as exc:  # a cell over csv's field size limit, say
        result.errors.append(f"file: not valid CSV: {exc}")
        result.rows.clear()
    if not result.rows and not result.errors:
        result.errors.append("file: no votes found below the header line")
    return result


def _rows_read(content: str, result: VoteFile, *, scale: tuple[int, int], score_map: dict[int, int] | None) -> None:
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(content), dialect=dialect)
    header = {re.sub(r"[\s-]+", "_", (name or "").strip().lower()): name for name in reader.fieldnames or []}
    columns = {key: next((header[a] for a in aliases if a in header), None) for key, aliases in ALIASES.items()}
    missing = [key for key in ("talk", "voter", "score") if columns[key] is None]
    if missing:
        result.errors.append(f"line 1: missing column(s) {', '.join(missing)} (header: {', '.join(header) or 'none'})")
        return
    seen: dict[tuple[str, str], int] = {}
    low, high = scale
    for row in reader:
        line = reader.line_num
        talk = (row.get(columns["talk"]) or "").strip()
        voter = (row.get(columns["voter"]) or "").strip().lower()
        raw_score = (row.get(columns["score"]) or "").strip()
        raw_time = (row.get(columns["timestamp"]) or "").strip() if columns["timestamp"] else ""
        if not (talk or voter or raw_score):
            continue
        problems = []
        if not talk:
            problems.append("no talk")
        if not voter:
            problems.append("no voter")
        elif len(voter) > MAX_VOTER:  # an email is an account's, and accounts' emails hold 254 characters
            problems.append(f"voter is longer than {MAX_VOTER} characters")
        elif "@" in voter and not _EMAIL.match(voter):  # it would become an account with that as its email
            problems.append(f"voter {voter!r} is not an email address")
        try:
            value = float(raw_score)
            score = int(value)  # OverflowError for infinity, ValueError for NaN
        except (ValueError, OverflowError):
            problems.append(f"score {raw_score!r} is not a number")
            score = 0
        else:
            if value != score:
                problems.append(f"score {raw_score!r} is not a whole number")
            elif score_map is not None:
                if score not in score_map:
                    problems.append(f"score {score} is not in the score map")
                score = score_map.get(score, score)
            if not problems and not low <= score <= high:
                problems.append(f"score {score} is outside the conference's scale {low}–{high}")
        at = None
        if raw_time:
            try:
                at = dt.datetime.fromisoformat(raw_time.replace("Z", "+00:00"))
            except ValueError:
                problems.append(f"time {raw_time!r} is not an ISO date and time")
            else:
                at = _utc(at if at.tzinfo else at.replace(tzinfo=dt.UTC))
                if at is None:  # 9999-12-31T23:59-12:00 is in the year 10000 in UTC: no database reads that back
                    problems.append(f"time {raw_time!r} is out of range")
                elif at.year < 2000:
                    problems.append(f"time {raw_time!r} is before 2000 (a mistyped year?)")
        key = (talk, voter)
        if key in seen and not problems:
            problems.append(f"a second vote by the same voter on the same talk (first on line {seen[key]})")
        if problems:
            result.errors.extend(f"line {line}: {p}" for p in problems)
            continue
        seen[key] = line
        result.rows.append(VoteRow(line, talk, voter, score, at))


def _utc(at: dt.datetime) -> dt.datetime | None:
    try:
        return at.astimezone(dt.UTC)
    except OverflowError:
        return None
