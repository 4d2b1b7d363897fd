"""Writes of votes: cast, change and withdraw, each with its history event and receipt.

Lock order, always: the voter's Ballot row (one per voter and conference), then the Vote row. The
ballot lock makes the changes to one ballot happen one after another (a double click becomes one
vote and one no-op), so every change gets the next receipt number and the history stays consistent.

This is the hottest write path of the site (a reminder email brings hundreds of votes a second), so
it speaks SQL directly, in a fixed number of short statements that PostgreSQL and SQLite both
understand, all in one transaction: check-and-lock the ballot (the database decides whether the vote
may be written, so the conference the view read from a cache cannot let a late vote in), read the
ballot, write the vote, its history event and its receipt. The rules stay in the pure domain
(`voting_refusal`, `score_refusal`, `receipt_code`); the SQL applies the same ones, and a refused
vote is explained from fresh reads. docs/voting.md ("The write path") has the measured costs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.talks.models import SCALE_CEILING, SCALE_FLOOR, Conference, Speaker, Talk

from ..domain.receipts import receipt_code, receipt_nonce_new
from ..domain.voting import score_refusal
from ..models import Ballot, BallotReceipt, Vote, VoteEvent
from ..selectors.voting import talk_for_vote, voting_closed_reason


class VoteRefused(Exception):
    """A vote that may not be written; `status` is the HTTP status a view should answer with."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class VoteOutcome:
    talk_id: int
    talk_title: str
    score: int | None  # the score now on the ballot; None when there is no vote
    changed: bool  # False when the request asked for what the ballot already said
    receipt: BallotReceipt | None  # the new receipt, when the ballot changed
    rated: int  # progress: talks the voter has rated …
    total: int  # … of the talks they may vote on


def vote_cast(*, user, conference: Conference, talk_id: int, score: str | int | None) -> VoteOutcome:
    """Casts or changes `user`'s vote on a talk. Raises VoteRefused (with a 4xx status) on bad input."""
    # Here only "a whole number inside any scale"; the conference's own range is checked by the
    # database with the other rules, since `conference` may be a cached copy (see _ballot_write).
    value, problem = score_refusal(raw=score, scale_min=SCALE_FLOOR, scale_max=SCALE_CEILING)
    if problem:
        _, problem = score_refusal(raw=score, scale_min=conference.scale_min, scale_max=conference.scale_max)
        raise VoteRefused(problem, status=400)
    return _ballot_write(user=user, conference=conference, talk_id=talk_id, score=value)


def vote_withdraw(*, user, conference: Conference, talk_id: int) -> VoteOutcome:
    return _ballot_write(user=user, conference=conference, talk_id=talk_id, score=None)


def _ballot_write(*, user, conference: Conference, talk_id: int, score: int | None) -> VoteOutcome:
    if not getattr(user, "is_authenticated", False):
        raise VoteRefused("Log in to vote.", status=403)
    with transaction.atomic(), _cursor() as cursor:
        # One statement checks everything a vote needs (voting open now, score on the scale, a
        # candidate talk of this conference, not the voter's own) against the database itself — so
        # a conference read a moment ago from a cache cannot let a late vote in — and takes the lock.
        now = timezone.now()
        params = {"conference": conference.pk, "user": user.pk, "talk": talk_id, "score": score, "now": _db_time(now)}
        cursor.execute(_STATEMENTS.ballot_lock, params)
        locked = cursor.fetchone()
        if locked is None:
            message, status = _refusal(user=user, conference_id=conference.pk, talk_id=talk_id, score=score)
            raise VoteRefused(message, status=status)
        ballot_id, sequence, title, total = locked
        cursor.execute(_STATEMENTS.ballot_read, params)
        rows = cursor.fetchall()
        ballot = {voted: value for voted, value, _, _ in rows}  # talk → score
        counted = {voted for voted, _, counts, _ in rows if counts}  # …on talks the progress line counts
        updated_at = next((_aware(at) for voted, _, _, at in rows if voted == talk_id), None)
        old = ballot.get(talk_id)
        if old == score:  # nothing to change: undo the ballot's change number too
            transaction.set_rollback(True)
            receipt = None
        else:
            # Timestamps are taken once the ballot is ours: a request that waited for the lock writes
            # after the one it waited for, never before it (and never before the vote it changes).
            now = max(timezone.now(), updated_at) if updated_at else timezone.now()
            event_id = _vote_and_event_write(cursor, user_id=user.pk, talk_id=talk_id, old=old, score=score, now=now)
            if score is None:
                del ballot[talk_id]
                counted.discard(talk_id)
            else:
                ballot[talk_id] = score
                counted.add(talk_id)  # the lock statement checked that it is a candidate and not theirs
            receipt = _receipt_write(
                cursor,
                conference_id=conference.pk,
                ballot_id=ballot_id,
                sequence=sequence,
                event_id=event_id,
                votes=list(ballot.items()),
                now=now,
            )
    rated = len(counted)
    return VoteOutcome(
        talk_id=talk_id,
        talk_title=title,
        score=score if receipt else old,
        changed=receipt is not None,
        receipt=receipt,
        rated=rated,
        total=total,
    )


def _receipt_write(cursor, *, conference_id: int, ballot_id: int, sequence: int, event_id: int, votes, now):
    nonce = receipt_nonce_new()
    code = receipt_code(conference_id=conference_id, sequence=sequence, votes=votes, nonce=nonce)
    cursor.execute(_STATEMENTS.receipt_insert, [ballot_id, sequence, event_id, code, nonce, len(votes), _db_time(now)])
    return BallotReceipt(
        pk=cursor.fetchone()[0],
        ballot_id=ballot_id,
        sequence=sequence,
        event_id=event_id,
        code=code,
        nonce=nonce,
        vote_count=len(votes),
        at=now,
    )


def _refusal(*, user, conference_id: int, talk_id: int, score: int | None) -> tuple[str, int]:
    """Why the lock statement found nothing to lock, in words, from fresh reads (the rare path)."""
    conference = Conference.objects.get(pk=conference_id)
    refusal = voting_closed_reason(conference=conference)
    if refusal:
        return refusal, 409
    if score is not None:
        _, problem = score_refusal(raw=score, scale_min=conference.scale_min, scale_max=conference.scale_max)
        if problem:
            return problem, 400
    talk, own_talk_ids = talk_for_vote(user=user, conference=conference, talk_id=talk_id)
    if talk is None:
        return "This conference has no such talk (it may have been withdrawn).", 404
    if talk.pk in own_talk_ids:
        return "You are a speaker of this talk, so you cannot vote on it.", 403
    return "The conference changed while you voted; please try again.", 409


def _vote_and_event_write(cursor, *, user_id: int, talk_id: int, old, score, now) -> int:
    """Writes the vote itself and its history event; returns the event's id."""
    at = _db_time(now)
    if old is None:
        cursor.execute(_STATEMENTS.vote_insert, [user_id, talk_id, score, at, at])
        kind = VoteEvent.Kind.CAST.value
    elif score is None:
        cursor.execute(_STATEMENTS.vote_delete, [user_id, talk_id])
        kind = VoteEvent.Kind.WITHDRAW.value
    else:
        cursor.execute(_STATEMENTS.vote_update, [score, at, user_id, talk_id])
        kind = VoteEvent.Kind.CHANGE.value
    cursor.execute(_STATEMENTS.event_insert, [user_id, talk_id, kind, old, score, at])
    return cursor.fetchone()[0]


@dataclass(frozen=True)
class _Statements:
    ballot_lock: str
    ballot_read: str
    vote_insert: str
    vote_update: str
    vote_delete: str
    event_insert: str
    receipt_insert: str


# The SQL of the write path, as plain literals with named parameters (conference, user, talk, score,
# now); tests/ballots/test_vote_sql.py checks the table names against the models. "Talks the voter
# speaks in" is written out where it is needed: a linked speaker profile, or a speaker email that is
# one of their verified emails, ignoring case (the rule of apps.attendance.selectors.talk_ids_of_user).
_STATEMENTS = _Statements(
    # Creates the ballot if needed and counts one more change — only when the vote may be written
    # (see _ballot_write) — and answers with the talk's title and how many talks the
    # voter may vote on. INSERT … ON CONFLICT DO UPDATE takes the row lock an UPDATE takes, so two
    # requests for one ballot queue here; PostgreSQL and SQLite (≥ 3.35) both have it.
    ballot_lock="""
        INSERT INTO ballots_ballot (conference_id, user_id, changes, created_at)
        SELECT c.id, %(user)s, 1, %(now)s FROM talks_conference c JOIN talks_talk t ON t.conference_id = c.id
        WHERE c.id = %(conference)s AND t.id = %(talk)s AND t.status <> 'withdrawn' AND c.status = 'voting'
            AND (c.voting_opens_at IS NULL OR c.voting_opens_at <= %(now)s)
            AND (c.voting_closes_at IS NULL OR c.voting_closes_at > %(now)s)
            AND (CAST(%(score)s AS integer) IS NULL OR CAST(%(score)s AS integer) BETWEEN c.scale_min AND c.scale_max)
            AND t.id NOT IN (
                SELECT ts.talk_id FROM talks_talk_speakers ts JOIN talks_speaker s ON s.id = ts.speaker_id
                WHERE s.conference_id = %(conference)s
                AND (s.user_id = %(user)s OR (s.email <> '' AND LOWER(s.email) IN (
                    SELECT LOWER(e.email) FROM account_emailaddress e WHERE e.user_id = %(user)s AND e.verified))))
        ON CONFLICT (conference_id, user_id) DO UPDATE SET changes = ballots_ballot.changes + 1
        RETURNING id, changes,
            (SELECT title FROM talks_talk WHERE id = %(talk)s),
            (SELECT COUNT(*) FROM talks_talk c WHERE c.conference_id = %(conference)s AND c.status <> 'withdrawn'
             AND c.id NOT IN (
                SELECT ts.talk_id FROM talks_talk_speakers ts JOIN talks_speaker s ON s.id = ts.speaker_id
                WHERE s.conference_id = %(conference)s
                AND (s.user_id = %(user)s OR (s.email <> '' AND LOWER(s.email) IN (
                    SELECT LOWER(e.email) FROM account_emailaddress e WHERE e.user_id = %(user)s AND e.verified)))))""",
    # The whole ballot: the receipt commits to all of it; the progress line counts the votes on talks
    # the voter may still vote on (not withdrawn, not their own). Only the voted talk's timestamp is
    # needed, so only it is read (parsing a timestamp per row was the costliest part of this read).
    ballot_read="""
        SELECT v.talk_id, v.score,
            CASE WHEN t.status <> 'withdrawn' AND v.talk_id NOT IN (
                SELECT ts.talk_id FROM talks_talk_speakers ts JOIN talks_speaker s ON s.id = ts.speaker_id
                WHERE s.conference_id = %(conference)s
                AND (s.user_id = %(user)s OR (s.email <> '' AND LOWER(s.email) IN (
                    SELECT LOWER(e.email) FROM account_emailaddress e WHERE e.user_id = %(user)s AND e.verified))))
            THEN 1 ELSE 0 END,
            CASE WHEN v.talk_id = %(talk)s THEN v.updated_at END
        FROM ballots_vote v JOIN talks_talk t ON t.id = v.talk_id
        WHERE v.user_id = %(user)s AND t.conference_id = %(conference)s""",
    vote_insert="""
        INSERT INTO ballots_vote (user_id, talk_id, score, created_at, updated_at) VALUES (%s, %s, %s, %s, %s)""",
    vote_update="UPDATE ballots_vote SET score = %s, updated_at = %s WHERE user_id = %s AND talk_id = %s",
    vote_delete="DELETE FROM ballots_vote WHERE user_id = %s AND talk_id = %s",
    event_insert="""
        INSERT INTO ballots_voteevent (user_id, talk_id, kind, old_score, new_score, at)
        VALUES (%s, %s, %s, %s, %s, %s) RETURNING id""",
    receipt_insert="""
        INSERT INTO ballots_ballotreceipt (ballot_id, sequence, event_id, code, nonce, vote_count, at)
        VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id""",
)
# The tables the statements name, for the test that keeps them in step with the models.
STATEMENT_TABLES = {
    "talks_conference": Conference,
    "talks_talk": Talk,
    "talks_speaker": Speaker,
    "talks_talk_speakers": Talk.speakers.through,
    "account_emailaddress": EmailAddress,
    "ballots_ballot": Ballot,
    "ballots_vote": Vote,
    "ballots_voteevent": VoteEvent,
    "ballots_ballotreceipt": BallotReceipt,
}


class _PreparedCursor:
    """On PostgreSQL the write path's statements are prepared once per connection: planning the
    lock and ballot statements cost more than running them (measured: docs/voting.md). Django's
    psycopg cursors bind parameters client-side and never prepare, so this one binds server-side
    and asks psycopg to prepare; errors are still Django's (IntegrityError, OperationalError)."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self._cursor = psycopg.Cursor(connection.connection)

    def execute(self, sql: str, params) -> None:
        with connection.wrap_database_errors:
            self._cursor.execute(sql, params, prepare=True)

    def fetchone(self):
        return self._cursor.fetchone()

    def fetchall(self):
        return self._cursor.fetchall()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._cursor.close()


def _cursor():
    if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("prepare_threshold"):
        return _PreparedCursor()
    return connection.cursor()


def _db_time(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _aware(value) -> dt.datetime:
    """A timestamp read with raw SQL: PostgreSQL gives aware datetimes, SQLite gives UTC text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value
