"""The order a voter sees the talks in.

Every voter sees the talks in their own shuffled order, so the first talks of a list do not collect
more votes just for being first; the order is a hash of (voter, talk), so it stays the same for that
voter on every visit and every device.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def ballot_order(*, voter_id: int, talk_ids: Iterable[int]) -> list[int]:
    def position(talk_id: int) -> tuple[bytes, int]:
        return hashlib.blake2b(f"{voter_id}:{talk_id}".encode(), digest_size=8).digest(), talk_id

    return sorted(talk_ids, key=position)
