"""Writes of tallies: snapshots (same inputs → the same snapshot) and the published bulletin board."""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Mapping

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.talks.models import Conference

from ..domain.bulletin import BoardEntry, ChainedEntry, bulletin_chain, bulletin_genesis, bulletin_head
from ..domain.tally import CLASS_CODES, TallyInput, TallyResult, tally_compute, tally_input_digest
from ..models import Ballot, BallotReceipt, BulletinEntry, TallyRow, TallySnapshot, WeightPolicy
from ..selectors.tally import tally_input
from .export import anonymised_ballots_publish
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
        snapshot = tally_snapshot_store(
            conference=conference, policy=policy, digest=digest, result=result, reasons=reasons
        )
    except IntegrityError:  # another worker stored the same inputs a moment ago
        return TallySnapshot.objects.get(conference=conference, policy=policy, input_digest=digest), False
    return snapshot, True


def tally_snapshot_store(
    *, conference: Conference, policy: WeightPolicy, digest: str, result: TallyResult, reasons: dict | None = None
) -> TallySnapshot:
    """The snapshot of a computed tally with one row per talk, in one transaction."""
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
    return snapshot


def _row_arrays(result: TallyResult) -> dict[str, np.ndarray]:
    """TallyRow's columns (but score_counts) from the result, one value per talk."""
    return {
        "talk_id": result.talk_ids,
        "rank": result.rank,
        "rank_best": result.rank_best,
        "rank_worst": result.rank_worst,
        **{name: result.voters_by_class[:, c] for c, name in enumerate(("ticket_holders", "pledgers", "not_eligible"))},
        "raw_mean": result.raw_mean,
        "weighted_mean": result.weighted_mean,
        "bayes_average": result.bayes_average,
        "spread": result.spread,
        **{name: result.weight_by_class[:, c] for c, name in enumerate(("weight_ticket_holders", "weight_pledgers"))},
        "weight_discounted": result.weight_discounted,
    }


_NULLABLE = ("raw_mean", "weighted_mean", "spread")  # NaN (no counted votes) is stored as NULL


def _rows_store(snapshot: TallySnapshot, result: TallyResult) -> None:
    """One row per talk. On PostgreSQL through one binary COPY laid out by NumPy (5,000 rows in a
    few milliseconds of Python; a text COPY row by row took about 60 ms, bulk_create most of a second)."""
    if connection.vendor != "postgresql":
        TallyRow.objects.bulk_create(_rows(snapshot, result), batch_size=2000)
        return
    columns = ", ".join(("snapshot_id", *_row_arrays(result), "score_counts"))
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ballots_tallyrow ({columns}) FROM STDIN (FORMAT binary)") as copy,
    ):
        copy.write(_rows_copy_binary(snapshot.pk, result))


def _rows(snapshot: TallySnapshot, result: TallyResult) -> list[TallyRow]:
    columns = {
        name: [None if name in _NULLABLE and math.isnan(v) else v for v in values.tolist()]
        for name, values in _row_arrays(result).items()
    }
    columns["score_counts"] = result.score_counts.tolist()
    return [
        TallyRow(snapshot=snapshot, **dict(zip(columns, row, strict=True)))
        for row in zip(*columns.values(), strict=True)
    ]


# PostgreSQL's binary COPY: a signature, rows of (field count, then length and big-endian value per
# field; length -1 for NULL), a trailer. jsonb travels as a version byte (1) and the JSON text.
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_COPY_TRAILER = struct.pack(">h", -1)


def _rows_copy_binary(snapshot_id: int, result: TallyResult) -> bytes:
    """The rows as one binary COPY stream: snapshot_id, the columns of _row_arrays, score_counts.
    Every row has the same width (the score counts are padded with spaces, which jsonb ignores), so
    NumPy lays them all out at once; rows with a NULL are rewritten one by one."""
    arrays = {"snapshot_id": np.full(len(result.talk_ids), snapshot_id, dtype=np.int64), **_row_arrays(result)}
    counts = result.score_counts
    text_format = ("[" + ",".join([f"%{len(str(int(counts.max(initial=0))))}d"] * counts.shape[1]) + "]").encode()
    width = len(text_format % ((0,) * counts.shape[1]))
    layout = [("fields", ">i2")]
    for name, values in arrays.items():  # the ids are bigint, the counts and ranks integer
        binary = ">f8" if values.dtype.kind == "f" else ">i8" if name.endswith("_id") else ">i4"
        layout += [(f"{name}_length", ">i4"), (name, binary)]
    layout += [("score_counts_length", ">i4"), ("jsonb_version", "u1"), ("score_counts", f"S{width}")]
    rows = np.empty(len(result.talk_ids), dtype=np.dtype(layout))
    rows["fields"] = len(arrays) + 1
    for name, values in arrays.items():
        rows[f"{name}_length"], rows[name] = rows.dtype[name].itemsize, values
    rows["score_counts_length"], rows["jsonb_version"] = width + 1, 1
    rows["score_counts"] = [text_format % tuple(row) for row in counts.tolist()]
    with_null = np.isnan(result.raw_mean) | np.isnan(result.weighted_mean) | np.isnan(result.spread)
    return b"".join(
        (
            _COPY_SIGNATURE,
            rows[~with_null].tobytes(),
            *(_row_with_nulls(row) for row in rows[with_null]),
            _COPY_TRAILER,
        )
    )


def _row_with_nulls(row: np.void) -> bytes:
    """One fixed-width row with its NaN fields sent as NULL (length -1 and no value)."""
    data = bytearray(row.tobytes())
    for name in reversed(_NULLABLE):  # right to left, so the offsets still to use stay valid
        if math.isnan(row[name]):
            offset = row.dtype.fields[f"{name}_length"][1]
            data[offset : offset + 12] = struct.pack(">i", -1)
    return bytes(data)


def no_progress(phase: str, percent: int) -> None:
    """The `progress(phase, percent)` of work nobody watches (publishing and detection outside a run)."""
    return None


BOARD_CHUNK = 50_000  # receipts between two progress reports while the board is read, chained, stored


def tally_publish(
    *,
    conference: Conference,
    discounts: Mapping[tuple[int, int], float] | None = None,
    discount_reasons: Mapping[tuple[int, int], str] | None = None,
    progress: Callable[[str, int], None] = no_progress,
) -> TallySnapshot:
    """Publishes the tally of the current votes and fills its bulletin board: every receipt with the
    weight its ballot counted at and its status (counted / not eligible / reduced by a bloc
    discount / superseded by a later change), chained in receipt order; the snapshot keeps the
    chain's head and the number of entries (docs/voting.md, "The bulletin board's hash chain").
    All of it or nothing: the board, the head and the anonymised ballots are written in one transaction.
    `progress(phase, percent)` is told each step ("board read: 50,000 of 1,001,078 receipts", ...)."""
    progress("tally", 0)
    policy = weight_policy_ensure(conference=conference)
    data = tally_input(conference=conference, policy=policy, discounts=discounts)
    reasons = _reasons_by_talk(discounts or {}, discount_reasons or {})
    snapshot, _ = _snapshot_for(conference=conference, policy=policy, data=data, reasons=reasons)
    with transaction.atomic():
        snapshot = TallySnapshot.objects.select_for_update(no_key=True).get(pk=snapshot.pk)
        if snapshot.published_at is not None:
            return snapshot
        genesis = bulletin_genesis(conference_id=conference.pk, input_digest=snapshot.input_digest)
        receipt_ids, board = _bulletin(snapshot, data, progress=_span(progress, "board read", 10, 40))
        chained = bulletin_chain(board, genesis=genesis, progress=_span(progress, "chain", 40, 55), every=BOARD_CHUNK)
        snapshot.published_at = timezone.now()
        snapshot.bulletin_head = bulletin_head(chained, genesis=genesis)
        snapshot.bulletin_size = len(chained)
        snapshot.save(update_fields=["published_at", "bulletin_head", "bulletin_size"])
        _bulletin_store(snapshot, chained, receipt_ids, progress=_span(progress, "board store", 55, 75))
        # The public anonymised ballots of this very tally, from the inputs it was computed from.
        progress("anonymised ballots", 75)
        anonymised_ballots_publish(conference=conference, snapshot=snapshot, data=data)
        progress("commit", 99)  # the deferred foreign-key checks of a million entries take their time
    return snapshot


def _span(progress: Callable[[str, int], None], step: str, low: int, high: int) -> Callable[[int, int], None]:
    """`done, total` of a step's receipts, reported as the step's phase and a percent from low to high."""

    def report(done: int, total: int) -> None:
        progress(f"{step}: {done:,} of {total:,} receipts", low + (high - low) * done // max(total, 1))

    return report


def _bulletin(
    snapshot: TallySnapshot, data: TallyInput, progress: Callable[[int, int], None] | None = None
) -> tuple[dict[str, int], list[BoardEntry]]:
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
    # In no order: the chain puts the board in receipt-code order itself. The receipts' own order (by
    # ballot, newest first) was a sort of every receipt, which at a million spilled to disk.
    receipts = BallotReceipt.objects.filter(ballot__conference=snapshot.conference_id).order_by()
    total = 0
    if progress is not None:
        total = receipts.count()
        progress(0, total)
    rows = receipts.values_list("id", "code", "ballot_id", "ballot__user_id", "sequence").iterator(chunk_size=5000)
    for receipt_id, code, ballot_id, user_id, sequence in rows:
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
        if progress is not None and len(board) % BOARD_CHUNK == 0:
            progress(len(board), max(total, len(board)))
    if progress is not None:
        progress(len(board), len(board))
    return receipt_ids, board


def _bulletin_store(
    snapshot: TallySnapshot,
    chained: list[ChainedEntry],
    receipt_ids: dict[str, int],
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """The chained board, in one go: COPY on PostgreSQL (bulk_create of 100,000 model instances
    costs seconds of Python), bulk_create elsewhere; `progress(done, total)` after each chunk."""
    total = len(chained)
    if progress is not None:
        progress(0, total)
    if connection.vendor != "postgresql":
        for start in range(0, total, BOARD_CHUNK):
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
                    for e in chained[start : start + BOARD_CHUNK]
                ),
                batch_size=5000,
            )
            if progress is not None:
                progress(min(start + BOARD_CHUNK, total), total)
        return
    columns = "snapshot_id, receipt_id, weight, status, position, chain"
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ballots_bulletinentry ({columns}) FROM STDIN") as copy,
    ):
        for start in range(0, total, BOARD_CHUNK):
            for e in chained[start : start + BOARD_CHUNK]:
                copy.write_row((snapshot.pk, receipt_ids[e.receipt], e.weight, e.status, e.position, e.chain))
            if progress is not None:
                progress(min(start + BOARD_CHUNK, total), total)
