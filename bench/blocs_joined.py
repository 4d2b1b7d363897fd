"""When each account was created, for the bloc benchmarks' generators (round 18 in docs/blocs.md).

The model, written down before detection was run on it and applied the same way by every generator
(bench/blocs_synthetic.py, bench/blocs_unseen.py, bench/blocs_fresh.py; the demo has its own copy in
apps/talks/demo/plan.py, which may not import bench code):

- An account that votes as itself — every honest voter, and an existing voter who joins a bloc
  (coworkers, friends on existing accounts): 30% are returning accounts, created uniformly over the
  730 days before voting opens; 20% were created in the 60 days before voting opens (a ticket
  purchase, the call for papers); 50% were created when their owner first came to vote: their first
  vote's time minus Exp(mean 3 minutes), floored, so never after that vote.
- An account made for a bloc by people who had none (mobilised: a community's new members, a viral
  post's readers, friends asked to vote): created when its owner first came to vote, as the 50% above.
- An account one operator made (sockpuppets, puppet rings, random-cover accounts, account farms): made
  in batches — the generator's own batches when it has them, else consecutive runs of 3–8 of the
  bloc's accounts — each batch at a time uniform in the 7 days before the batch's first vote, its
  accounts within 5 minutes of each other (uniform), and never after the account's own first vote.

The draws come from their own random stream (`np.random.default_rng([seed, voters, talks, 18])` from
the caller), so every vote, plant and figure of a generator stays what it was.
"""

from __future__ import annotations

import numpy as np

DAY = 86_400
HONEST, MOBILISED, OPERATED = 0, 1, 2


def first_vote_times(vote_voter: np.ndarray, vote_at: np.ndarray, n_voters: int, default: int) -> np.ndarray:
    """Each voter's first vote time (positions 0..n_voters-1); `default` for a voter with no vote."""
    first = np.full(n_voters, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, np.asarray(vote_voter, dtype=np.int64), np.asarray(vote_at, dtype=np.int64))
    first[first == np.iinfo(np.int64).max] = default
    return first


def join_times(
    rng: np.random.Generator,
    first_vote: np.ndarray,
    opens: int,
    story: np.ndarray,
    batches: list[list[int]] | None = None,
) -> np.ndarray:
    """Seconds since the epoch per voter. `story` per voter: HONEST, MOBILISED or OPERATED; `batches`
    lists operator batches (voter positions); OPERATED voters in none of them are cut into consecutive
    batches of 3–8 in position order. Draws for every voter whatever their story, so the stream does
    not depend on it."""
    n = len(first_vote)
    first_vote = np.asarray(first_vote, dtype=np.int64)
    pick = rng.random(n)
    long_ago = opens - rng.integers(1, 730 * DAY, size=n, endpoint=True)
    recent = opens - rng.integers(1, 60 * DAY, size=n, endpoint=True)
    at_vote = np.floor(first_vote - rng.exponential(180.0, size=n)).astype(np.int64)
    joined = np.where(pick < 0.3, long_ago, np.where(pick < 0.5, recent, at_vote))
    joined = np.where(story == MOBILISED, at_vote, joined)
    operated = np.nonzero(story == OPERATED)[0]
    given = [list(b) for b in (batches or [])]
    placed = {v for b in given for v in b}
    rest = [int(v) for v in operated if int(v) not in placed]
    i = 0
    while i < len(rest):
        size = int(rng.integers(3, 9))
        given.append(rest[i : i + size])
        i += size
    for batch in given:
        members = np.asarray(batch, dtype=np.int64)
        made = int(first_vote[members].min()) - int(rng.integers(0, 7 * DAY, endpoint=True))
        joined[members] = np.minimum(made + rng.integers(0, 300, size=len(members), endpoint=True), first_vote[members])
    return joined
