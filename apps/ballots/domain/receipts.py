"""Receipts: a commitment to a whole ballot that only its voter can open.

After every change to a ballot the voter gets a receipt code, the SHA-256 of a line of text that
names the conference, the ballot's change number, every (talk, score) on the ballot in talk order,
and a random nonce. The code is public (the bulletin board lists it); the nonce is shown only to the
voter. Without the nonce nobody can test guesses of the ballot against the code, so the code reveals
nothing; with it, the voter (or anyone they show it to) can recompute the code from the ballot and
check that it is the one on the bulletin board.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

RECEIPT_SCHEME = "confvote-receipt-v1"


def receipt_nonce_new() -> str:
    return secrets.token_hex(16)


def receipt_preimage(*, conference_id: int, sequence: int, votes: Iterable[tuple[int, int]], nonce: str) -> str:
    """The exact text that is hashed, e.g. `confvote-receipt-v1|7|3|12:2,40:0|<nonce>`."""
    ballot = ",".join(f"{talk}:{score}" for talk, score in sorted(votes))
    return f"{RECEIPT_SCHEME}|{conference_id}|{sequence}|{ballot}|{nonce}"


def receipt_code(*, conference_id: int, sequence: int, votes: Iterable[tuple[int, int]], nonce: str) -> str:
    preimage = receipt_preimage(conference_id=conference_id, sequence=sequence, votes=votes, nonce=nonce)
    return hashlib.sha256(preimage.encode()).hexdigest()


def receipt_verify(*, code: str, preimage: str) -> bool:
    return secrets.compare_digest(hashlib.sha256(preimage.encode()).hexdigest(), code.strip().lower())
