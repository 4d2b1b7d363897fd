"""Writes of votes: cast, change and withdraw, each with its history event and receipt.

Lock order, always: the voter's Ballot row (one per voter and conference), then the Vote row. The
ballot lock makes the changes to one ballot happen one after another (a double click becomes one
vote and one no-op), so every change gets the next receipt number and the history stays consistent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from apps.talks.models import Conference, Talk

from ..domain.receipts import receipt_code, receipt_nonce_new
from ..domain.voting import score_refusal, voting_refusal
from ..models import BallotReceipt, Vote, VoteEvent
from ..selectors.voting import ballot_total, talk_for_vote


class VoteRefused(Exception):
    """A vote that may not be written; `status` is the HTTP status a view should answer with."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class VoteOutcome:
    talk: Talk
    score: int | None  # the score now on the ballot; None when there is no vote
    changed: bool  # False when the request asked for what the ballot already said
    receipt: BallotReceipt | None  # the new receipt, when the ballot changed
    rated: int  # progress: talks the voter has rated …
    total: int  # … of the talks they may vote on

    @property
    def talk_id(self) -> int:
        return self.talk.pk


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
    now = timezone.now()
    refusal = voting_refusal(
        is_open_status=conference.status == Conference.Status.VOTING,
        opens_at=conference.voting_opens_at,
        closes_at=conference.voting_closes_at,
        now=now,
    )
    if refusal:
        raise VoteRefused(refusal, status=409)
    talk, own_talk_ids = talk_for_vote(user=user, conference=conference, talk_id=talk_id)
    if talk is None:
        raise VoteRefused("This conference has no such talk (it may have been withdrawn).", status=404)
    if talk.pk in own_talk_ids:
        raise VoteRefused("You are a speaker of this talk, so you cannot vote on it.", status=403)

    with transaction.atomic():
        ballot_id, sequence = _ballot_lock_next_change(conference_id=conference.pk, user_id=user.pk, now=now)
        lock = Vote.objects.select_for_update() if score is None else Vote.objects.select_for_update(no_key=True)
        current = lock.filter(user_id=user.pk, talk_id=talk_id).first()
        old = current.score if current else None
        # Timestamps are taken once the ballot is ours: a request that waited for the lock writes
        # after the one it waited for, never before it (and never before the vote it changes).
        now = max(timezone.now(), current.updated_at) if current else timezone.now()
        if old == score:  # nothing to change: undo the ballot's change number too
            votes = _ballot_votes(user_id=user.pk, conference_id=conference.pk)
            receipt = None
            transaction.set_rollback(True)
        else:
            if current is None:
                Vote.objects.create(user_id=user.pk, talk_id=talk_id, score=score, created_at=now, updated_at=now)
                kind = VoteEvent.Kind.CAST
            elif score is None:
                current.delete()
                kind = VoteEvent.Kind.WITHDRAW
            else:
                Vote.objects.filter(pk=current.pk).update(score=score, updated_at=now)
                kind = VoteEvent.Kind.CHANGE
            event = VoteEvent.objects.create(
                user_id=user.pk, talk_id=talk_id, kind=kind, old_score=old, new_score=score, at=now
            )
            votes = _ballot_votes(user_id=user.pk, conference_id=conference.pk)
            nonce = receipt_nonce_new()
            ballot = [(voted, value) for voted, value, _ in votes]
            code = receipt_code(conference_id=conference.pk, sequence=sequence, votes=ballot, nonce=nonce)
            receipt = BallotReceipt.objects.create(
                ballot_id=ballot_id,
                sequence=sequence,
                event=event,
                code=code,
                nonce=nonce,
                vote_count=len(votes),
                at=now,
            )
    rated = sum(1 for voted, _, status in votes if status != Talk.Status.WITHDRAWN and voted not in own_talk_ids)
    return VoteOutcome(
        talk=talk,
        score=score if receipt else old,
        changed=receipt is not None,
        receipt=receipt,
        rated=rated,
        total=ballot_total(conference=conference, own_talk_ids=own_talk_ids),
    )


def _ballot_votes(*, user_id: int, conference_id: int) -> list[tuple[int, int, str]]:
    """(talk, score, talk status) of every vote on the ballot: the receipt commits to all of them."""
    votes = Vote.objects.filter(user_id=user_id, talk__conference_id=conference_id)
    return list(votes.values_list("talk_id", "score", "talk__status"))


def _ballot_lock_next_change(*, conference_id: int, user_id: int, now) -> tuple[int, int]:
    """Creates the ballot if needed, locks it and counts one more change, in one statement.

    INSERT … ON CONFLICT DO UPDATE takes the row lock an UPDATE takes (no key change), so two
    requests for the same ballot queue here; it works on PostgreSQL and SQLite (≥ 3.35)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ballots_ballot (conference_id, user_id, changes, created_at) VALUES (%s, %s, 1, %s) "
            "ON CONFLICT (conference_id, user_id) DO UPDATE SET changes = ballots_ballot.changes + 1 "
            "RETURNING id, changes",
            [conference_id, user_id, connection.ops.adapt_datetimefield_value(now)],
        )
        ballot_id, changes = cursor.fetchone()
    return ballot_id, changes
