"""Writes of votes: cast, change and withdraw, each with its history event and receipt.

Lock order, always: the voter's Ballot row (one per voter and conference), then the Vote row. The
ballot lock makes the changes to one ballot happen one after another (a double click becomes one
vote and one no-op), so every change gets the next receipt number and the history stays consistent.

This is the hottest write path of the site (a reminder email brings hundreds of votes a second).
On PostgreSQL the whole write is one call of the PL/pgSQL function `ballots_vote_write` (migration
0010): check-and-lock the ballot (the database decides whether the vote may be written, so the
conference the view read from a cache cannot let a late vote in), write the vote, its history event
and its receipt, and answer the progress figures, in one round trip. Elsewhere (SQLite, for `make
run` and the quick tests) the same steps are a fixed number of short statements in one transaction.
tests/ballots/test_vote_function.py runs both on the same scripts and requires the same rows. The
rules stay in the pure domain (`voting_refusal`, `score_refusal`, `receipt_code`); the SQL applies
the same ones, and a refused vote is explained from fresh reads. docs/voting.md ("The write path")
has the measured costs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.talks.models import SCALE_CEILING, SCALE_FLOOR, Conference, Speaker, Talk
from confvote.db import statements

from ..domain.receipts import RECEIPT_SCHEME, receipt_code, receipt_nonce_new
from ..domain.voting import score_refusal
from ..models import Ballot, BallotReceipt, Vote, VoteEvent
from ..selectors.voting import candidate_talk_count, talk_for_vote, voting_closed_reason


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


NO_SUCH_TALK = "This conference has no such talk (it may have been withdrawn)."
# Ids are bigint: a larger number from the URL cannot be a talk, and would not bind as one in the SQL.
_MAX_ID = 2**63 - 1


def _ballot_write(*, user, conference: Conference, talk_id: int, score: int | None) -> VoteOutcome:
    if not getattr(user, "is_authenticated", False):
        raise VoteRefused("Log in to vote.", status=403)
    if not 0 < talk_id <= _MAX_ID:
        raise VoteRefused(NO_SUCH_TALK, status=404)
    with statements() as db:
        write = _function_write if db.vote_function else _statements_write
        outcome = write(db, user_id=user.pk, conference_id=conference.pk, talk_id=talk_id, score=score)
    if outcome is None:
        message, status = _refusal(user=user, conference_id=conference.pk, talk_id=talk_id, score=score)
        raise VoteRefused(message, status=status)
    return outcome


def _function_write(db, *, user_id: int, conference_id: int, talk_id: int, score: int | None) -> VoteOutcome | None:
    """PostgreSQL: the whole write is one call of `ballots_vote_write` (migration 0010 states its rules,
    the same as _statements_write's), its own transaction unless the caller holds one."""
    nonce = receipt_nonce_new()
    params = (conference_id, user_id, talk_id, score, timezone.now(), nonce, RECEIPT_SCHEME)
    [rows] = db.run((_VOTE_FUNCTION_CALL, params))
    if not rows:
        return None
    ballot_id, sequence, title, _old, new, rated, own_candidates, event_id, receipt_id, code, count, at = rows[0]
    receipt = None
    if receipt_id is not None:
        receipt = _receipt_written(receipt_id, ballot_id, sequence, event_id, code, nonce, count, at)
    return VoteOutcome(
        talk_id=talk_id,
        talk_title=title,
        score=new,
        changed=receipt is not None,
        receipt=receipt,
        rated=rated,
        total=candidate_talk_count(conference_id=conference_id) - own_candidates,
    )


_VOTE_FUNCTION_CALL = "SELECT * FROM ballots_vote_write(%s, %s, %s, %s, %s, %s, %s)"


def _statements_write(db, *, user_id: int, conference_id: int, talk_id: int, score: int | None) -> VoteOutcome | None:
    """Any other database (SQLite): the same rules as fixed statements in one transaction."""
    with transaction.atomic():
        # One statement checks everything a vote needs (voting open now, score on the scale, a
        # candidate talk of this conference, not the voter's own) against the database itself — so
        # a conference read a moment ago from a cache cannot let a late vote in — and takes the lock.
        # The ballot is read by the next statement, which starts after the lock is ours and so sees
        # every change committed before it.
        now = timezone.now()
        params = {"conference": conference_id, "user": user_id, "talk": talk_id, "score": score, "now": _db_time(now)}
        locked, rows = db.run((_STATEMENTS.ballot_lock, params), (_STATEMENTS.ballot_read, params))
        if not locked:
            return None
        ballot_id, sequence, title, own_candidates = locked[0]
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
            if score is None:
                del ballot[talk_id]
                counted.discard(talk_id)
            else:
                ballot[talk_id] = score
                counted.add(talk_id)  # the lock statement checked that it is a candidate and not theirs
            receipt = _vote_event_receipt_write(
                db,
                conference_id=conference_id,
                user_id=user_id,
                talk_id=talk_id,
                old=old,
                score=score,
                ballot_id=ballot_id,
                sequence=sequence,
                votes=list(ballot.items()),
                now=now,
            )
    return VoteOutcome(
        talk_id=talk_id,
        talk_title=title,
        score=score if receipt else old,
        changed=receipt is not None,
        receipt=receipt,
        rated=len(counted),
        total=candidate_talk_count(conference_id=conference_id) - own_candidates,
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
        return NO_SUCH_TALK, 404
    if talk.pk in own_talk_ids:
        return "You are a speaker of this talk, so you cannot vote on it.", 403
    return "The conference changed while you voted; please try again.", 409


def _vote_event_receipt_write(
    db, *, conference_id: int, user_id: int, talk_id: int, old, score, ballot_id: int, sequence: int, votes, now
) -> BallotReceipt:
    """Writes the vote itself, its history event and the receipt that commits to the new ballot (`votes`)."""
    if old is None:
        kind, vote = VoteEvent.Kind.CAST.value, "insert"
    elif score is None:
        kind, vote = VoteEvent.Kind.WITHDRAW.value, "delete"
    else:
        kind, vote = VoteEvent.Kind.CHANGE.value, "update"
    nonce = receipt_nonce_new()
    code = receipt_code(conference_id=conference_id, sequence=sequence, votes=votes, nonce=nonce)
    params = {
        "user": user_id,
        "talk": talk_id,
        "score": score,
        "old": old,
        "kind": kind,
        "at": _db_time(now),
        "ballot": ballot_id,
        "sequence": sequence,
        "code": code,
        "nonce": nonce,
        "count": len(votes),
    }
    [[event_id]] = db.run((getattr(_STATEMENTS, f"vote_{vote}"), params), (_STATEMENTS.event_insert, params))[1]
    [[receipt_id]] = db.run((_STATEMENTS.receipt_insert, {**params, "event": event_id}))[0]
    return _receipt_written(receipt_id, ballot_id, sequence, event_id, code, nonce, len(votes), now)


_RECEIPT_FIELDS = ("pk", "ballot_id", "sequence", "event_id", "code", "nonce", "vote_count", "at")


def _receipt_written(*values) -> BallotReceipt:
    """The receipt just written, from its values in _RECEIPT_FIELDS order (not read back)."""
    return BallotReceipt(**dict(zip(_RECEIPT_FIELDS, values, strict=True)))


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
# speaks in": a linked speaker profile, or a speaker email that is one of their verified emails,
# ignoring case (the rule of apps.attendance.selectors.talk_ids_of_user). Written as two branches so
# each finds its speakers through an index (the speaker's user, and speaker_unique_email on the
# conference and the lower-cased email): as one OR it scanned every speaker of the conference, three
# times per vote — 2 ms each on the large demo's 4,500 speakers. One literal, set into the three
# statements that need it below (only literals are joined there).
_OWN_TALKS = """
    SELECT ts.talk_id FROM talks_talk_speakers ts WHERE ts.speaker_id IN (
        SELECT s.id FROM talks_speaker s WHERE s.conference_id = %(conference)s AND s.user_id = %(user)s
        UNION ALL SELECT s.id FROM account_emailaddress e JOIN talks_speaker s
            ON s.conference_id = %(conference)s AND s.email <> '' AND LOWER(s.email) = LOWER(e.email)
        WHERE e.user_id = %(user)s AND e.verified)"""
_STATEMENTS = _Statements(
    # Creates the ballot if needed and counts one more change — only when the vote may be written
    # (see _ballot_write) — and answers with the talk's title and how many of the voter's own talks
    # are candidates (the progress line's total is the conference's candidates less these; counting
    # all candidates here cost a scan of every talk per vote). INSERT … ON CONFLICT DO UPDATE takes
    # the row lock an UPDATE takes, so two requests for one ballot queue here; PostgreSQL and SQLite
    # (≥ 3.35) both have it.
    ballot_lock=f"""
        INSERT INTO ballots_ballot (conference_id, user_id, changes, created_at)
        SELECT c.id, %(user)s, 1, %(now)s FROM talks_conference c JOIN talks_talk t ON t.conference_id = c.id
        WHERE c.id = %(conference)s AND t.id = %(talk)s AND t.status <> 'withdrawn' AND c.status = 'voting'
            AND (c.voting_opens_at IS NULL OR c.voting_opens_at <= %(now)s)
            AND (c.voting_closes_at IS NULL OR c.voting_closes_at > %(now)s)
            AND (CAST(%(score)s AS integer) IS NULL OR CAST(%(score)s AS integer) BETWEEN c.scale_min AND c.scale_max)
            AND t.id NOT IN ({_OWN_TALKS})
        ON CONFLICT (conference_id, user_id) DO UPDATE SET changes = ballots_ballot.changes + 1
        RETURNING id, changes,
            (SELECT title FROM talks_talk WHERE id = %(talk)s),
            (SELECT COUNT(*) FROM talks_talk c WHERE c.status <> 'withdrawn' AND c.id IN ({_OWN_TALKS}))""",  # noqa: S608
    # The whole ballot: the receipt commits to all of it; the progress line counts the votes on talks
    # the voter may still vote on (not withdrawn, not their own). Only the voted talk's timestamp is
    # needed, so only it is read (parsing a timestamp per row was the costliest part of this read).
    ballot_read=f"""
        SELECT v.talk_id, v.score,
            CASE WHEN t.status <> 'withdrawn' AND v.talk_id NOT IN ({_OWN_TALKS})
            THEN 1 ELSE 0 END,
            CASE WHEN v.talk_id = %(talk)s THEN v.updated_at END
        FROM ballots_vote v JOIN talks_talk t ON t.id = v.talk_id
        WHERE v.user_id = %(user)s AND t.conference_id = %(conference)s""",  # noqa: S608
    vote_insert="""
        INSERT INTO ballots_vote (user_id, talk_id, score, created_at, updated_at)
        VALUES (%(user)s, %(talk)s, %(score)s, %(at)s, %(at)s)""",
    vote_update="""
        UPDATE ballots_vote SET score = %(score)s, updated_at = %(at)s
        WHERE user_id = %(user)s AND talk_id = %(talk)s""",
    vote_delete="DELETE FROM ballots_vote WHERE user_id = %(user)s AND talk_id = %(talk)s",
    event_insert="""
        INSERT INTO ballots_voteevent (user_id, talk_id, kind, old_score, new_score, at)
        VALUES (%(user)s, %(talk)s, %(kind)s, %(old)s, %(score)s, %(at)s) RETURNING id""",
    receipt_insert="""
        INSERT INTO ballots_ballotreceipt (ballot_id, sequence, event_id, code, nonce, vote_count, at)
        VALUES (%(ballot)s, %(sequence)s, %(event)s, %(code)s, %(nonce)s, %(count)s, %(at)s) RETURNING id""",
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


def _db_time(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _aware(value) -> dt.datetime:
    """A timestamp read with raw SQL: PostgreSQL gives aware datetimes, SQLite gives UTC text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value
