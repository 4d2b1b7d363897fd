"""Reads that feed the tally: the votes of a conference as NumPy arrays, and the voters' classes.

On PostgreSQL the votes arrive as one value that the database packs (see _PACKED_VOTES_SQL) and
NumPy reads without a Python loop; elsewhere (SQLite for `make run`) through the ORM."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import psycopg
from django.db import connection, connections

from apps.attendance.domain.eligibility import VoterClass
from apps.attendance.selectors import voter_class_map
from apps.talks.models import Conference, Talk

from ..domain.receipts import receipt_preimage
from ..domain.tally import CLASS_CODES, TallyInput, discounts_align, positions_of
from ..models import BallotReceipt, TallySnapshot, Vote, VoteEvent, WeightPolicy
from .policies import class_weights

# The votes packed by PostgreSQL itself into one bytea: (voter int8, talk int8, score int2), big-endian,
# and for bloc detection when each vote was first cast. One value instead of a million rows: the
# per-row cost in Python is what makes reading rows slow.
_PACKED_VOTE = np.dtype([("voter", ">i8"), ("talk", ">i8"), ("score", ">i2")])
_PACKED_COLUMNS = "int8send(v.user_id) || int8send(v.talk_id) || int2send(v.score)"
# The first-cast time travels as timestamptz's own binary form (int8 microseconds since 2000-01-01 UTC)
# and NumPy makes seconds of it: extract(epoch …) computes a numeric per vote, and took a third of the
# query's time on a million votes.
_PACKED_VOTE_CAST = np.dtype([("voter", ">i8"), ("talk", ">i8"), ("score", ">i2"), ("cast_us", ">i8")])
_PACKED_CAST = " || timestamptz_send(v.created_at)"
_UNIX_AT_2000 = 946_684_800  # 2000-01-01 00:00:00 UTC, PostgreSQL's epoch, in Unix seconds
_PACKED_VOTES_SQL = (
    "SELECT string_agg({columns}, ''::bytea) "
    "FROM ballots_vote v JOIN talks_talk t ON t.id = v.talk_id "
    "WHERE t.conference_id = %s AND t.status <> 'withdrawn'"
)


def candidate_talk_ids(*, conference: Conference) -> np.ndarray:
    ids = Talk.objects.filter(conference=conference).exclude(status=Talk.Status.WITHDRAWN).values_list("pk", flat=True)
    return np.fromiter(ids, dtype=np.int64)


def vote_arrays(*, conference: Conference) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(voter ids, talk ids, scores) of every current vote on the conference's candidate talks."""
    if connection.vendor == "postgresql":
        return _vote_arrays_packed(conference_id=conference.pk)
    rows = Vote.objects.filter(talk__conference=conference).exclude(talk__status=Talk.Status.WITHDRAWN)
    flat = np.fromiter(
        (value for row in rows.values_list("user_id", "talk_id", "score") for value in row), dtype=np.int64
    ).reshape(-1, 3)
    return flat[:, 0].copy(), flat[:, 1].copy(), flat[:, 2].astype(np.int16)


def _vote_arrays_packed(*, conference_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    body = votes_packed(conference_id=conference_id)
    return body["voter"].astype(np.int64), body["talk"].astype(np.int64), body["score"].astype(np.int16)


def votes_packed(*, conference_id: int, first_cast: bool = False) -> np.ndarray:
    """PostgreSQL only: the conference's current votes on candidate talks as one structured array
    (voter, talk, score, and with `first_cast` the second each vote was first cast, rounded down, as
    `at`)."""
    connection.ensure_connection()
    columns = _PACKED_COLUMNS + (_PACKED_CAST if first_cast else "")
    # A plain (server-binding) psycopg cursor, so the bytea arrives as raw bytes, not as hex text.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_PACKED_VOTES_SQL.format(columns=columns), (int(conference_id),), binary=True)
        (packed,) = cursor.fetchone()
    if not first_cast:
        return np.frombuffer(packed or b"", dtype=_PACKED_VOTE)
    body = np.frombuffer(packed or b"", dtype=_PACKED_VOTE_CAST)
    out = np.empty(len(body), dtype=[("voter", "i8"), ("talk", "i8"), ("score", "i2"), ("at", "i8")])
    out["voter"], out["talk"], out["score"] = body["voter"], body["talk"], body["score"]
    out["at"] = body["cast_us"] // 1_000_000 + _UNIX_AT_2000  # floor division: seconds rounded down
    return out


def _on_own_connection(function, **kwargs):
    try:
        return function(**kwargs)
    finally:
        connections.close_all()  # this thread's connections only


def voter_class_codes(*, classes: Mapping[int, VoterClass], voter_ids: np.ndarray) -> np.ndarray:
    """Per-vote class code (CLASS_CODES) from attendance's voter_class_map; absent = not eligible."""
    return _class_lookup(classes)(voter_ids)


def _class_lookup(classes: Mapping[int, VoterClass]) -> Callable[[np.ndarray], np.ndarray]:
    """voter ids → class codes, prepared from the map before the votes arrive (a dense table when
    the ids allow it: one gather for a million votes)."""
    not_eligible = CLASS_CODES[VoterClass.NOT_ELIGIBLE]
    known_ids = np.fromiter(classes.keys(), dtype=np.int64, count=len(classes))
    known_codes = np.fromiter((CLASS_CODES[c] for c in classes.values()), dtype=np.int8, count=len(classes))
    largest = int(known_ids.max(initial=0))
    if known_ids.min(initial=0) >= 0 and largest < 64 * len(known_ids) + 1_000_000:
        table = np.full(largest + 2, not_eligible, dtype=np.int8)  # the last entry: any larger id
        table[known_ids] = known_codes
        return lambda voter_ids: table[np.clip(voter_ids, 0, largest + 1)]
    order = np.argsort(known_ids)
    known_ids, known_codes = known_ids[order], known_codes[order]

    def codes(voter_ids: np.ndarray) -> np.ndarray:
        position = positions_of(known_ids, voter_ids)
        return np.where(position >= 0, known_codes[position], not_eligible).astype(np.int8)

    return codes


def _classes_and_talks(*, conference: Conference) -> tuple[Callable[[np.ndarray], np.ndarray], np.ndarray]:
    return _class_lookup(voter_class_map(conference=conference)), candidate_talk_ids(conference=conference)


def tally_input(
    *, conference: Conference, policy: WeightPolicy, discounts: Mapping[tuple[int, int], float] | None = None
) -> TallyInput:
    """Everything the tally reads. `discounts`: bloc multipliers by (voter id, talk id), 1.0 = none."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Outside a transaction (the Celery task), the voter classes and the candidate talks are read
        # and prepared on a second connection while the votes are read: the database works on both
        # at once, and all that is left when the votes arrive is one lookup.
        with ThreadPoolExecutor(max_workers=1) as pool:
            other_future = pool.submit(_on_own_connection, _classes_and_talks, conference=conference)
            voters, talks, scores = vote_arrays(conference=conference)
            class_codes, talk_ids = other_future.result()
    else:
        voters, talks, scores = vote_arrays(conference=conference)
        class_codes, talk_ids = _classes_and_talks(conference=conference)
    return TallyInput(
        talk_ids=talk_ids,
        voter_ids=voters,
        vote_talk_ids=talks,
        scores=scores,
        voter_class=class_codes(voters),
        scale_min=conference.scale_min,
        scale_max=conference.scale_max,
        weights=class_weights(policy),
        prior_weight=float(policy.prior_weight),
        discount=discounts_align(voter_ids=voters, vote_talk_ids=talks, discounts=discounts) if discounts else None,
    )


def tally_latest(*, conference: Conference, published_only: bool = False) -> TallySnapshot | None:
    snapshots = TallySnapshot.objects.filter(conference=conference).select_related("policy")
    if published_only:
        snapshots = snapshots.filter(published_at__isnull=False).order_by("-published_at", "-id")
    return snapshots.order_by("-computed_at", "-id").first() if not published_only else snapshots.first()


def receipt_preimage_of(*, receipt: BallotReceipt) -> str:
    """The text behind a receipt: the ballot as it stood right after the receipt's change, rebuilt
    from the append-only history (so it works for old receipts too)."""
    ballot = receipt.ballot
    events = VoteEvent.objects.filter(
        user_id=ballot.user_id, talk__conference_id=ballot.conference_id, pk__lte=receipt.event_id
    ).order_by("pk")
    votes: dict[int, int] = {}
    for talk_id, new_score in events.values_list("talk_id", "new_score"):
        if new_score is None:
            votes.pop(talk_id, None)
        else:
            votes[talk_id] = new_score
    return receipt_preimage(
        conference_id=ballot.conference_id, sequence=receipt.sequence, votes=votes.items(), nonce=receipt.nonce
    )
