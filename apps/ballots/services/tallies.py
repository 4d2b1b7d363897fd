"""Writes of tallies: snapshots (same inputs → the same snapshot) and the published bulletin board."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.talks.models import Conference

from ..domain.bulletin import BoardEntry, ChainedEntry, bulletin_chain, bulletin_genesis, bulletin_head
from ..domain.tally import CLASS_CODES, TallyInput, TallyResult, tally_compute, tally_input_digest
from ..models import Ballot, BallotReceipt, BulletinEntry, TallyRow, TallySnapshot, WeightPolicy
from ..selectors.tally import tally_input
from .policies import weight_policy_ensure

NOT_ELIGIBLE = CLASS_CODES["not_eligible"]


def tally_snapshot_compute(
    *,
    conference: Conference,
    discounts: Mapping[tuple[int, int], float] | None = None,
    discount_reasons: Mapping[tuple[int, int], str] | None = None,
) -> TallySnapshot:
    """The tally of the conference's current votes under its newest weight policy.

    `discounts` are bloc multipliers by (voter id, talk id) (1.0 = none; see docs/voting.md), with
    an optional reason per pair that the organizer's breakdown shows next to the talk.
    When a snapshot of exactly these inputs exists already it is returned unchanged, so running
    this every few minutes costs one read of the votes and no writes while nothing changes."""
    policy = weight_policy_ensure(conference=conference)
    data = tally_input(conference=conference, policy=policy, discounts=discounts)
    reasons = _reasons_by_talk(discounts or {}, discount_reasons or {})
    return _snapshot_for(conference=conference, policy=policy, data=data, reasons=reasons)[0]


def _reasons_by_talk(
    discounts: Mapping[tuple[int, int], float], reasons: Mapping[tuple[int, int], str]
) -> dict[str, list[str]]:
    by_talk: dict[str, set[str]] = {}
    for pair, multiplier in discounts.items():
        if multiplier < 1.0:
            reason = reasons.get(pair, "Discounted as part of a bloc of correlated voters.")
            by_talk.setdefault(str(pair[1]), set()).add(reason)
    return {talk: sorted(texts) for talk, texts in sorted(by_talk.items())}


def _snapshot_for(
    *, conference: Conference, policy: WeightPolicy, data: TallyInput, reasons: dict | None = None
) -> tuple[TallySnapshot, bool]:
    digest = tally_input_digest(data, policy_version=policy.version)
    existing = TallySnapshot.objects.filter(conference=conference, policy=policy, input_digest=digest).first()
    if existing is not None:
        return existing, False
    result = tally_compute(data)
    try:
        with transaction.atomic():
            snapshot = TallySnapshot.objects.create(
                conference=conference,
                policy=policy,
                input_digest=digest,
                computed_at=timezone.now(),
                vote_count=result.vote_count,
                voter_count=result.voter_count,
                prior_mean=result.prior_mean,
                summary={**result.summary, "discount_reasons": reasons or {}},
            )
            _rows_store(snapshot, result)
    except IntegrityError:  # another worker stored the same inputs a moment ago
        return TallySnapshot.objects.get(conference=conference, policy=policy, input_digest=digest), False
    return snapshot, True


_ROW_COLUMNS = (
    "talk_id",
    "rank",
    "rank_best",
    "rank_worst",
    "ticket_holders",
    "pledgers",
    "not_eligible",
    "raw_mean",
    "weighted_mean",
    "bayes_average",
    "spread",
    "weight_ticket_holders",
    "weight_pledgers",
    "weight_discounted",
    "score_counts",
)


def _rows_store(snapshot: TallySnapshot, result: TallyResult) -> None:
    """One row per talk. On PostgreSQL through COPY straight from the result's arrays (5,000 rows in
    a few tens of milliseconds; bulk_create spends most of a second building model instances)."""
    if connection.vendor != "postgresql":
        TallyRow.objects.bulk_create(_rows(snapshot, result), batch_size=2000)
        return
    columns = ", ".join(("snapshot_id", *_ROW_COLUMNS))
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ballots_tallyrow ({columns}) FROM STDIN") as copy:
        for row in zip(*_row_columns(result), strict=True):
            copy.write_row((snapshot.pk, *row))


def _row_columns(result: TallyResult) -> list[list]:
    """The row columns in _ROW_COLUMNS order, as plain Python values (NaN → NULL)."""

    def nullable(values) -> list:
        return [None if math.isnan(v) else v for v in values.tolist()]

    return [
        result.talk_ids.tolist(),
        result.rank.tolist(),
        result.rank_best.tolist(),
        result.rank_worst.tolist(),
        *(result.voters_by_class[:, c].tolist() for c in range(3)),
        nullable(result.raw_mean),
        nullable(result.weighted_mean),
        result.bayes_average.tolist(),
        nullable(result.spread),
        result.weight_by_class[:, 0].tolist(),
        result.weight_by_class[:, 1].tolist(),
        result.weight_discounted.tolist(),
        [json.dumps(counts) for counts in result.score_counts.tolist()],
    ]


def _rows(snapshot: TallySnapshot, result: TallyResult) -> list[TallyRow]:
    rows = []
    for values in zip(*_row_columns(result), strict=True):
        fields = dict(zip(_ROW_COLUMNS, values, strict=True))
        fields["score_counts"] = json.loads(fields["score_counts"])
        rows.append(TallyRow(snapshot=snapshot, **fields))
    return rows


def tally_publish(
    *,
    conference: Conference,
    discounts: Mapping[tuple[int, int], float] | None = None,
    discount_reasons: Mapping[tuple[int, int], str] | None = None,
) -> TallySnapshot:
    """Publishes the tally of the current votes and fills its bulletin board: every receipt with the
    weight its ballot counted at and its status (counted / not eligible / reduced by a bloc
    discount / superseded by a later change), chained in receipt order; the snapshot keeps the
    chain's head and the number of entries (docs/voting.md, "The bulletin board's hash chain")."""
    policy = weight_policy_ensure(conference=conference)
    data = tally_input(conference=conference, policy=policy, discounts=discounts)
    reasons = _reasons_by_talk(discounts or {}, discount_reasons or {})
    snapshot, _ = _snapshot_for(conference=conference, policy=policy, data=data, reasons=reasons)
    with transaction.atomic():
        snapshot = TallySnapshot.objects.select_for_update(no_key=True).get(pk=snapshot.pk)
        if snapshot.published_at is not None:
            return snapshot
        genesis = bulletin_genesis(conference_id=conference.pk, input_digest=snapshot.input_digest)
        receipt_ids, board = _bulletin(snapshot, data)
        chained = bulletin_chain(board, genesis=genesis)
        snapshot.published_at = timezone.now()
        snapshot.bulletin_head = bulletin_head(chained, genesis=genesis)
        snapshot.bulletin_size = len(chained)
        snapshot.save(update_fields=["published_at", "bulletin_head", "bulletin_size"])
        _bulletin_store(snapshot, chained, receipt_ids)
    return snapshot


def _bulletin(snapshot: TallySnapshot, data: TallyInput) -> tuple[dict[str, int], list[BoardEntry]]:
    """Every receipt of the conference with the weight its ballot counted at and its status, and
    the receipt ids by code."""
    weights = data.weights
    per_class = {CLASS_CODES["ticket_holder"]: weights.ticket_holder, CLASS_CODES["pledger"]: weights.pledger}
    voter_class: dict[int, int] = dict(zip(data.voter_ids.tolist(), data.voter_class.tolist(), strict=True))
    smallest_discount: dict[int, float] = {}
    if data.discount is not None:
        for voter, multiplier in zip(data.voter_ids.tolist(), data.discount.tolist(), strict=True):
            if multiplier < 1.0:
                smallest_discount[voter] = min(multiplier, smallest_discount.get(voter, 1.0))
    latest = dict(Ballot.objects.filter(conference=snapshot.conference_id).values_list("id", "changes"))
    receipt_ids: dict[str, int] = {}
    board = []
    receipts = BallotReceipt.objects.filter(ballot__conference=snapshot.conference_id).values_list(
        "id", "code", "ballot_id", "ballot__user_id", "sequence"
    )
    for receipt_id, code, ballot_id, user_id, sequence in receipts.iterator(chunk_size=5000):
        voter = voter_class.get(user_id, NOT_ELIGIBLE)
        weight = per_class.get(voter, 0.0) * smallest_discount.get(user_id, 1.0)
        if sequence < latest[ballot_id]:
            status, weight = BulletinEntry.Status.SUPERSEDED, 0.0
        elif weight == 0.0 and voter == NOT_ELIGIBLE:
            status = BulletinEntry.Status.NOT_ELIGIBLE
        elif user_id in smallest_discount:
            status = BulletinEntry.Status.DISCOUNTED
        else:
            status = BulletinEntry.Status.COUNTED
        receipt_ids[code] = receipt_id
        board.append(BoardEntry(receipt=code, weight=weight, status=str(status)))
    return receipt_ids, board


def _bulletin_store(snapshot: TallySnapshot, chained: list[ChainedEntry], receipt_ids: dict[str, int]) -> None:
    """The chained board, in one go: COPY on PostgreSQL (bulk_create of 100,000 model instances
    costs seconds of Python), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        BulletinEntry.objects.bulk_create(
            (
                BulletinEntry(
                    snapshot=snapshot,
                    receipt_id=receipt_ids[e.receipt],
                    weight=e.weight,
                    status=e.status,
                    position=e.position,
                    chain=e.chain,
                )
                for e in chained
            ),
            batch_size=5000,
        )
        return
    columns = "snapshot_id, receipt_id, weight, status, position, chain"
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ballots_bulletinentry ({columns}) FROM STDIN") as copy,
    ):
        for e in chained:
            copy.write_row((snapshot.pk, receipt_ids[e.receipt], e.weight, e.status, e.position, e.chain))
