"""Reads that feed the tally: the votes of a conference as NumPy arrays, and the voters' classes.

On PostgreSQL the votes are read with one binary COPY straight into a NumPy record array (a million
votes in well under a second); elsewhere through the ORM."""

from __future__ import annotations

import numpy as np
from django.db import connection

from apps.attendance.domain.eligibility import VoterClass
from apps.attendance.selectors import voter_class_map
from apps.talks.models import Conference, Talk

from ..domain.receipts import receipt_preimage
from ..domain.tally import CLASS_CODES, TallyInput
from ..models import BallotReceipt, TallySnapshot, Vote, VoteEvent, WeightPolicy
from .policies import class_weights

# One row of PostgreSQL's binary COPY of (int8, int8, int2): field count, then length + value each.
_COPY_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("l1", ">i4"),
        ("voter", ">i8"),
        ("l2", ">i4"),
        ("talk", ">i8"),
        ("l3", ">i4"),
        ("score", ">i2"),
    ]
)
_COPY_HEADER = 19  # signature (11) + flags (4) + header extension length (4)


def candidate_talk_ids(*, conference: Conference) -> np.ndarray:
    ids = Talk.objects.filter(conference=conference).exclude(status=Talk.Status.WITHDRAWN).values_list("pk", flat=True)
    return np.fromiter(ids, dtype=np.int64)


def vote_arrays(*, conference: Conference) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(voter ids, talk ids, scores) of every current vote on the conference's candidate talks."""
    if connection.vendor == "postgresql":
        return _vote_arrays_copy(conference_id=conference.pk)
    rows = Vote.objects.filter(talk__conference=conference).exclude(talk__status=Talk.Status.WITHDRAWN)
    flat = np.fromiter(
        (value for row in rows.values_list("user_id", "talk_id", "score") for value in row), dtype=np.int64
    ).reshape(-1, 3)
    return flat[:, 0].copy(), flat[:, 1].copy(), flat[:, 2].astype(np.int16)


def _vote_arrays_copy(*, conference_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    query = (
        "COPY (SELECT v.user_id::int8, v.talk_id::int8, v.score::int2 FROM ballots_vote v "
        "JOIN talks_talk t ON t.id = v.talk_id "
        "WHERE t.conference_id = %s AND t.status <> 'withdrawn') TO STDOUT (FORMAT BINARY)"
    )
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(query, (int(conference_id),)) as copy:
        data = b"".join(bytes(block) for block in copy)
    body = np.frombuffer(data, dtype=_COPY_ROW, offset=_COPY_HEADER, count=(len(data) - _COPY_HEADER - 2) // 32)
    return body["voter"].astype(np.int64), body["talk"].astype(np.int64), body["score"].astype(np.int16)


def voter_class_codes(*, conference: Conference, voter_ids: np.ndarray) -> np.ndarray:
    """Per-vote class code (CLASS_CODES), from attendance's voter_class_map; absent = not eligible."""
    classes = voter_class_map(conference=conference)
    codes = np.full(len(voter_ids), CLASS_CODES[VoterClass.NOT_ELIGIBLE], dtype=np.int8)
    if not classes:
        return codes
    known_ids = np.fromiter(classes.keys(), dtype=np.int64, count=len(classes))
    known_codes = np.fromiter((CLASS_CODES[c] for c in classes.values()), dtype=np.int8, count=len(classes))
    order = np.argsort(known_ids)
    known_ids, known_codes = known_ids[order], known_codes[order]
    position = np.clip(np.searchsorted(known_ids, voter_ids), 0, len(known_ids) - 1)
    hit = known_ids[position] == voter_ids
    codes[hit] = known_codes[position[hit]]
    return codes


def tally_input(*, conference: Conference, policy: WeightPolicy, discount: np.ndarray | None = None) -> TallyInput:
    voters, talks, scores = vote_arrays(conference=conference)
    return TallyInput(
        talk_ids=candidate_talk_ids(conference=conference),
        voter_ids=voters,
        vote_talk_ids=talks,
        scores=scores,
        voter_class=voter_class_codes(conference=conference, voter_ids=voters),
        scale_min=conference.scale_min,
        scale_max=conference.scale_max,
        weights=class_weights(policy),
        prior_weight=float(policy.prior_weight),
        discount=discount,
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
