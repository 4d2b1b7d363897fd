"""The bulletin board as a hash chain: once its last link (the head) is written down, no entry can
be changed, removed, added or moved without it showing.

The board lists every receipt of a published tally in receipt-code order; the first entry has
position 0. Each entry's chain value is the SHA-256 of one line of text that holds the chain value
before it, its position, its receipt code, its weight written with exactly six decimals, and its
status. The value before the first entry (the genesis) is the SHA-256 of a line naming the
conference and the tally's input digest, so a board cannot be passed off as another tally's.
The last chain value is the head: the tally page, the API and the transparency report show it, and
anyone who noted it can later recompute the chain from the public entries and compare.

Weights are rounded to six decimals when the board is made, so the number stored and the text
hashed say the same thing.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

BULLETIN_SCHEME = "confvote-bulletin-v1"
WEIGHT_DECIMALS = 6
STATUSES = frozenset({"counted", "not_eligible", "discounted", "superseded"})
_HEX = frozenset("0123456789abcdef")


# Named tuples rather than frozen dataclasses: a large board has a million entries, and building a
# frozen dataclass costs several times more than the hash itself.
class BoardEntry(NamedTuple):
    """One receipt on the board before chaining: its code, the weight its ballot counted at, its status."""

    receipt: str
    weight: float
    status: str


class ChainedEntry(NamedTuple):
    """An entry as published: its place on the board and its chain value."""

    position: int
    receipt: str
    weight: float
    status: str
    chain: str


@dataclass(frozen=True)
class ChainBreak:
    """Where a published board stops matching its chain, and why, in words."""

    position: int
    reason: str

    def __str__(self) -> str:
        return f"position {self.position}: {self.reason}"


@dataclass(frozen=True)
class BoardCheck:
    checked: int  # entries whose chain value was recomputed and matched
    head: str  # the chain value recomputed over the whole board as given
    problem: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def bulletin_weight_canonical(weight: float) -> float:
    """The weight as the board stores it: rounded to six decimals."""
    return float(bulletin_weight_text(weight))


def bulletin_weight_text(weight: float) -> str:
    """Exactly six decimals, e.g. 1 → "1.000000", 0.25 → "0.250000" (C and Python: "%.6f")."""
    return f"{weight:.{WEIGHT_DECIMALS}f}"


def bulletin_genesis_preimage(*, conference_id: int, input_digest: str) -> str:
    """e.g. `confvote-bulletin-v1|genesis|7|<input digest>`."""
    return f"{BULLETIN_SCHEME}|genesis|{conference_id}|{input_digest}"


def bulletin_genesis(*, conference_id: int, input_digest: str) -> str:
    preimage = bulletin_genesis_preimage(conference_id=conference_id, input_digest=input_digest)
    return hashlib.sha256(preimage.encode()).hexdigest()


def bulletin_link_preimage(*, previous: str, position: int, receipt: str, weight: float, status: str) -> str:
    """e.g. `confvote-bulletin-v1|<previous chain value>|0|<receipt code>|1.000000|counted`."""
    return f"{BULLETIN_SCHEME}|{previous}|{position}|{receipt}|{bulletin_weight_text(weight)}|{status}"


def bulletin_link(*, previous: str, position: int, receipt: str, weight: float, status: str) -> str:
    preimage = bulletin_link_preimage(
        previous=previous, position=position, receipt=receipt, weight=weight, status=status
    )
    return hashlib.sha256(preimage.encode()).hexdigest()


def bulletin_chain(
    entries: Iterable[BoardEntry],
    *,
    genesis: str,
    progress: Callable[[int, int], None] | None = None,
    every: int = 50_000,
) -> list[ChainedEntry]:
    """The board in canonical order (by receipt code), each entry with its position and chain value.
    Weights are rounded to six decimals. Raises ValueError for a receipt listed twice.
    `progress(done, total)` is told when it starts and after every `every` entries (a publication shows it)."""
    ordered = sorted(entries, key=lambda e: e.receipt)
    if progress is not None:
        progress(0, len(ordered))
    chained: list[ChainedEntry] = []
    previous = genesis
    sha256 = hashlib.sha256
    prefix = BULLETIN_SCHEME + "|"
    weights: dict[float, tuple[str, float]] = {}  # a board has few distinct weights
    for start in range(0, len(ordered), every):
        for position, (receipt, weight, status) in enumerate(ordered[start : start + every], start):
            if chained and chained[-1].receipt == receipt:
                raise ValueError(f"Receipt {receipt} is listed twice.")
            if weight not in weights:
                text = bulletin_weight_text(weight)
                weights[weight] = text, float(text)
            weight_text, canonical = weights[weight]
            # The same text as bulletin_link_preimage, inlined: a board can hold a million entries.
            line = f"{prefix}{previous}|{position}|{receipt}|{weight_text}|{status}"
            previous = sha256(line.encode()).hexdigest()
            chained.append(ChainedEntry(position, receipt, canonical, status, previous))
        if progress is not None:
            progress(len(chained), len(ordered))
    return chained


def bulletin_head(chained: Sequence[ChainedEntry], *, genesis: str) -> str:
    """The last chain value; the genesis itself for an empty board."""
    return chained[-1].chain if chained else genesis


def bulletin_verify(
    entries: Iterable[ChainedEntry],
    *,
    genesis: str,
    head: str | None = None,
    size: int | None = None,
) -> BoardCheck:
    """Recomputes the chain over a published board, entries in the order they are listed, and
    reports the first position where it breaks: an entry out of place or out of order, a weight,
    status or receipt that does not match its chain value, or a board that ends before or after the
    published head (`head` and `size`, when given, are the values written down at publication)."""
    previous, checked, last_receipt = genesis, 0, ""
    for index, entry in enumerate(entries):
        problem = _entry_problem(entry, index=index, last_receipt=last_receipt)
        if problem is None:
            expected = bulletin_link(
                previous=previous,
                position=index,
                receipt=entry.receipt,
                weight=entry.weight,
                status=entry.status,
            )
            if expected != entry.chain:
                problem = (
                    "the chain value does not follow from the entry and the one before it "
                    f"(listed {entry.chain[:16]}…, recomputed {expected[:16]}…)"
                )
        if problem is not None:
            return BoardCheck(checked, previous, ChainBreak(index, problem))
        previous, last_receipt, checked = entry.chain, entry.receipt, checked + 1
    if size is not None and checked != size:
        missing = "entries are missing at the end" if checked < size else "there are entries beyond the last one"
        return BoardCheck(
            checked, previous, ChainBreak(min(checked, size), f"{missing}: {checked} listed, {size} published")
        )
    if head is not None and previous != head:
        return BoardCheck(
            checked,
            previous,
            ChainBreak(
                checked,
                f"the chain ends in {previous[:16]}…, not in the published head {head[:16]}…: "
                "the board was rewritten from some entry on",
            ),
        )
    return BoardCheck(checked, previous, None)


def _entry_problem(entry: ChainedEntry, *, index: int, last_receipt: str) -> str | None:
    if entry.position != index:
        return f"the entry says position {entry.position}, it is listed at {index} (an entry removed, added or moved)"
    if len(entry.receipt) != 64 or not set(entry.receipt) <= _HEX:
        return f"the receipt {entry.receipt[:16]}… is not 64 lowercase hexadecimal characters"
    if entry.receipt <= last_receipt:
        return f"the receipt {entry.receipt[:16]}… is out of order (the board is sorted by receipt code)"
    if entry.status not in STATUSES:
        return f"the status {entry.status!r} is not one of {', '.join(sorted(STATUSES))}"
    if not (math.isfinite(entry.weight) and 0.0 <= entry.weight <= 1.0):
        return f"the weight {entry.weight!r} is not between 0 and 1"
    if bulletin_weight_canonical(entry.weight) != entry.weight:
        return f"the weight {entry.weight!r} has more than {WEIGHT_DECIMALS} decimals (the chain hashes six)"
    return None
