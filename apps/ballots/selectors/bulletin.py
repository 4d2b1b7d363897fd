"""Reads of the published bulletin board as its hash chain, and its check against the snapshot's head."""

from __future__ import annotations

from collections.abc import Iterator

from ..domain.bulletin import BoardCheck, ChainedEntry, bulletin_genesis, bulletin_verify
from ..models import BulletinEntry, TallySnapshot


def bulletin_chained_entries(*, snapshot: TallySnapshot) -> Iterator[ChainedEntry]:
    """The board's entries in the order of their positions, as stored (nothing recomputed)."""
    rows = (
        BulletinEntry.objects.filter(snapshot=snapshot)
        .order_by("position", "id")
        .values_list("position", "receipt__code", "weight", "status", "chain")
    )
    for position, code, weight, status, chain in rows.iterator(chunk_size=10000):
        yield ChainedEntry(position=position, receipt=code, weight=weight, status=status, chain=chain)


def bulletin_chained(snapshot: TallySnapshot) -> bool:
    """False for a board published before the chain existed (nothing to check it against)."""
    return bool(snapshot.bulletin_head)


def bulletin_check(*, snapshot: TallySnapshot, head: str | None = None) -> BoardCheck:
    """Recomputes the chain of a chained board from the stored entries and compares it with the
    size the snapshot recorded at publication and with `head` (by default the recorded head; give
    the one written down at publication to catch a rewritten snapshot too)."""
    if not bulletin_chained(snapshot):
        raise ValueError("This tally was published before the bulletin board was chained: there is no head to check.")
    genesis = bulletin_genesis(conference_id=snapshot.conference_id, input_digest=snapshot.input_digest)
    return bulletin_verify(
        bulletin_chained_entries(snapshot=snapshot),
        genesis=genesis,
        head=(head or snapshot.bulletin_head).strip().lower(),
        size=snapshot.bulletin_size,
    )
