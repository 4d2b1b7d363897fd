"""Writes of votes: cast, change and withdraw, each with its history event and receipt.

Lock order, always: the voter's Ballot row (one per voter and conference), then the Vote row. The
ballot lock makes the changes to one ballot happen one after another (a double click becomes one
vote and one no-op), so every change gets the next receipt number and the history stays consistent.

This is the hottest write path of the site (a reminder email brings hundreds of votes a second), so
it speaks SQL directly, in a fixed number of short statements that PostgreSQL and SQLite both
understand: one read that checks the talk and counts the voter's candidates, then — inside one
transaction — lock the ballot, read it, write the vote, its history event and its receipt. The
rules stay in the pure domain (`voting_refusal`, `score_refusal`, `receipt_code`); see
docs/voting.md ("The write path") for the measured cost of each step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.talks.models import Conference, Speaker, Talk

from ..domain.receipts import receipt_code, receipt_nonce_new
from ..domain.voting import score_refusal, voting_refusal
from ..models import Ballot, BallotReceipt, Vote, VoteEvent


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
    value, problem = score_refusal(raw=score, scale_min=conference.scale_min, scale_max=conference.scale_max)
    if problem:
        raise VoteRefused(problem, status=400)
    return _ballot_write(user=user, conference=conference, talk_id=talk_id, score=value)


def vote_withdraw(*, user, conference: Conference, talk_id: int) -> VoteOutcome:
    return _ballot_write(user=user, conference=conference, talk_id=talk_id, score=None)


def _ballot_write(*, user, conference: Conference, talk_id: int, score: int | None) -> VoteOutcome:
    if not getattr(user, "is_authenticated", False):
        raise VoteRefused("Log in to vote.", status=403)
    refusal = voting_refusal(
        is_open_status=conference.status == Conference.Status.VOTING,
        opens_at=conference.voting_opens_at,
        closes_at=conference.voting_closes_at,
        now=timezone.now(),
    )
    if refusal:
        raise VoteRefused(refusal, status=409)
    sql = _STATEMENTS
    with connection.cursor() as cursor:
        cursor.execute(
            sql.talk, [conference.pk, *_own(conference, user), *_own(conference, user), talk_id, conference.pk]
        )
        found = cursor.fetchone()
        if found is None or found[1] == Talk.Status.WITHDRAWN:
            raise VoteRefused("This conference has no such talk (it may have been withdrawn).", status=404)
        title, talk_status, total, own = found
        if own:
            raise VoteRefused("You are a speaker of this talk, so you cannot vote on it.", status=403)
        with transaction.atomic():
            cursor.execute(sql.ballot_lock, [conference.pk, user.pk, _db_time(timezone.now())])
            ballot_id, sequence = cursor.fetchone()
            cursor.execute(sql.ballot_read, [*_own(conference, user), user.pk, conference.pk])
            ballot = {voted: (value, status, mine, _aware(at)) for voted, value, status, mine, at in cursor.fetchall()}
            old, _, _, updated_at = ballot.get(talk_id, (None, None, False, None))
            if old == score:  # nothing to change: undo the ballot's change number too
                transaction.set_rollback(True)
                receipt = None
            else:
                # Timestamps are taken once the ballot is ours: a request that waited for the lock writes
                # after the one it waited for, never before it (and never before the vote it changes).
                now = max(timezone.now(), updated_at) if updated_at else timezone.now()
                event_id = _vote_and_event_write(
                    cursor, sql, user_id=user.pk, talk_id=talk_id, old=old, score=score, now=now
                )
                if score is None:
                    del ballot[talk_id]
                else:
                    ballot[talk_id] = (score, talk_status, False, now)
                code_votes = [(voted, value) for voted, (value, _, _, _) in ballot.items()]
                nonce = receipt_nonce_new()
                code = receipt_code(conference_id=conference.pk, sequence=sequence, votes=code_votes, nonce=nonce)
                cursor.execute(
                    sql.receipt_insert,
                    [ballot_id, sequence, event_id, code, nonce, len(code_votes), _db_time(now)],
                )
                receipt = BallotReceipt(
                    pk=cursor.fetchone()[0],
                    ballot_id=ballot_id,
                    sequence=sequence,
                    event_id=event_id,
                    code=code,
                    nonce=nonce,
                    vote_count=len(code_votes),
                    at=now,
                )
    rated = sum(1 for value, status, mine, _ in ballot.values() if status != Talk.Status.WITHDRAWN and not mine)
    return VoteOutcome(
        talk_id=talk_id,
        talk_title=title,
        score=score if receipt else old,
        changed=receipt is not None,
        receipt=receipt,
        rated=rated,
        total=total,
    )


def _vote_and_event_write(cursor, sql, *, user_id: int, talk_id: int, old, score, now) -> int:
    """Writes the vote itself and its history event; returns the event's id."""
    at = _db_time(now)
    if old is None:
        cursor.execute(sql.vote_insert, [user_id, talk_id, score, at, at])
        kind = VoteEvent.Kind.CAST.value
    elif score is None:
        cursor.execute(sql.vote_delete, [user_id, talk_id])
        kind = VoteEvent.Kind.WITHDRAW.value
    else:
        cursor.execute(sql.vote_update, [score, at, user_id, talk_id])
        kind = VoteEvent.Kind.CHANGE.value
    cursor.execute(sql.event_insert, [user_id, talk_id, kind, old, score, at])
    return cursor.fetchone()[0]


def _own(conference: Conference, user) -> list[int]:
    """Parameters of the 'talks this user speaks in' subquery (see `_statements`)."""
    return [conference.pk, user.pk, user.pk]


@dataclass(frozen=True)
class _Statements:
    talk: str
    ballot_lock: str
    ballot_read: str
    vote_insert: str
    vote_update: str
    vote_delete: str
    event_insert: str
    receipt_insert: str


# The SQL of the write path, as plain literals (tests/ballots/test_vote_sql.py checks the table names
# against the models). "Talks the voter speaks in" appears three times, written out: a linked speaker
# profile, or a speaker email that is one of their verified emails, ignoring case (the rule of
# apps.attendance.selectors.talk_ids_of_user); its parameters are conference, user, user (`_own`).
_STATEMENTS = _Statements(
    # The talk (title, status), how many talks the voter may vote on, and whether they speak in it.
    talk="""
        SELECT t.title, t.status,
            (SELECT COUNT(*) FROM talks_talk c WHERE c.conference_id = %s AND c.status <> 'withdrawn'
             AND c.id NOT IN (
                SELECT ts.talk_id FROM talks_talk_speakers ts JOIN talks_speaker s ON s.id = ts.speaker_id
                WHERE s.conference_id = %s AND (s.user_id = %s OR (s.email <> '' AND LOWER(s.email) IN (
                    SELECT LOWER(e.email) FROM account_emailaddress e WHERE e.user_id = %s AND e.verified))))),
            t.id IN (
                SELECT ts.talk_id FROM talks_talk_speakers ts JOIN talks_speaker s ON s.id = ts.speaker_id
                WHERE s.conference_id = %s AND (s.user_id = %s OR (s.email <> '' AND LOWER(s.email) IN (
                    SELECT LOWER(e.email) FROM account_emailaddress e WHERE e.user_id = %s AND e.verified))))
        FROM talks_talk t WHERE t.id = %s AND t.conference_id = %s""",
    # INSERT … ON CONFLICT DO UPDATE takes the row lock an UPDATE takes (no key change), so two
    # requests for the same ballot queue here; PostgreSQL and SQLite (≥ 3.35) both have it.
    ballot_lock="""
        INSERT INTO ballots_ballot (conference_id, user_id, changes, created_at) VALUES (%s, %s, 1, %s)
        ON CONFLICT (conference_id, user_id) DO UPDATE SET changes = ballots_ballot.changes + 1
        RETURNING id, changes""",
    # The whole ballot: the receipt commits to all of it, and the progress line counts it.
    ballot_read="""
        SELECT v.talk_id, v.score, t.status, v.talk_id IN (
                SELECT ts.talk_id FROM talks_talk_speakers ts JOIN talks_speaker s ON s.id = ts.speaker_id
                WHERE s.conference_id = %s AND (s.user_id = %s OR (s.email <> '' AND LOWER(s.email) IN (
                    SELECT LOWER(e.email) FROM account_emailaddress e WHERE e.user_id = %s AND e.verified)))),
            v.updated_at
        FROM ballots_vote v JOIN talks_talk t ON t.id = v.talk_id WHERE v.user_id = %s AND t.conference_id = %s""",
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
    "talks_talk": Talk,
    "talks_speaker": Speaker,
    "talks_talk_speakers": Talk.speakers.through,
    "account_emailaddress": EmailAddress,
    "ballots_ballot": Ballot,
    "ballots_vote": Vote,
    "ballots_voteevent": VoteEvent,
    "ballots_ballotreceipt": BallotReceipt,
}


def _db_time(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _aware(value) -> dt.datetime:
    """A timestamp read with raw SQL: PostgreSQL gives aware datetimes, SQLite gives UTC text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value
