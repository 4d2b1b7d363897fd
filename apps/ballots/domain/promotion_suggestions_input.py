"""What "Suggested promotions" reads, and how to tell that it has not changed.

The suggestions (promotion_suggestions.py) read the votes (who, which talk, what score, when first cast),
the conference's talks, when the organizers promoted them and the conference's scale: nothing of who
the voters are. `promotion_input` builds detection's input from those alone, each voter known by their
id only, so that a request does not read every voter's account and ticket as detection does.

`votes_fingerprint` sums the votes in ways that a vote cast, changed or withdrawn (or a talk withdrawn,
which takes its votes out) always changes: how many there are, and sums of their voters, talks, scores
and times, and of products of those, so that two changes cancel only by design. Suggestions stored with
the fingerprint of the votes they were computed from are served until it changes; the database computes
the same sums (`VOTE_TERMS`) without sending the votes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .blocs_input import BlocInput, VoteScale, vote_columns

# The sums of the fingerprint, as products of a vote's voter id, talk id, score and first-cast time
# (whole seconds since 1970): each term is the sum over the votes of the product of its factors.
VOTE_TERMS: tuple[tuple[str, ...], ...] = (
    ("voter",),
    ("talk",),
    ("score",),
    ("at",),
    ("voter", "talk"),
    ("score", "voter"),
    ("score", "talk"),
)
# Sums are kept modulo 2**64, as a 64-bit integer sum wraps; the database's exact sums are reduced alike.
MODULUS = 2**64


def votes_fingerprint(
    voter_ids: np.ndarray, talk_ids: np.ndarray, scores: np.ndarray, at_seconds: np.ndarray
) -> tuple[int, ...]:
    """(number of votes, then each of VOTE_TERMS summed modulo MODULUS) of the votes given as columns."""
    columns = {
        "voter": np.asarray(voter_ids, dtype=np.int64),
        "talk": np.asarray(talk_ids, dtype=np.int64),
        "score": np.asarray(scores, dtype=np.int64),
        "at": np.asarray(at_seconds, dtype=np.int64),
    }
    sums = []
    for factors in VOTE_TERMS:
        product = columns[factors[0]]
        for factor in factors[1:]:
            product = product * columns[factor]
        # NumPy's 64-bit integers wrap silently: the products and the sum are exact modulo 2**64.
        sums.append(int(product.sum(dtype=np.int64)) % MODULUS)
    return (len(columns["voter"]), *sums)


def promotion_input(
    *,
    voter_ids: np.ndarray,
    talk_ids: np.ndarray,
    scores: np.ndarray,
    at_seconds: np.ndarray,
    talks: Sequence[int],
    promoted: Iterable[tuple[int, float]],
    scale: VoteScale,
) -> BlocInput:
    """Detection's input (blocs_input.BlocInput) of the votes given as columns, on `talks` (every talk of
    the conference), with `promoted` ((talk id, when it was promoted, seconds since 1970) of the recorded
    promotions): the same votes, talks and promotions at the same positions as `bloc_input_build` makes
    them, but voters described by their id only (weight 1, no ticket order, company, domain or account
    time), which neither the burst test nor the suggestions read."""
    vv, vt, vs, va = vote_columns(voter_ids, talk_ids, scores, at_seconds)
    v_ids = np.unique(vv)
    t_ids = np.asarray(sorted(talks), dtype=np.int64)
    if len(np.unique(t_ids)) != len(t_ids):
        raise ValueError("Each talk must be described once.")
    ti = np.searchsorted(t_ids, vt)
    if len(vt) and (ti.max() >= len(t_ids) or not np.array_equal(t_ids[np.minimum(ti, len(t_ids) - 1)], vt)):
        raise ValueError("Every vote must refer to a described talk.")
    position = {t: i for i, t in enumerate(t_ids.tolist())}
    marked = sorted({(position[t], int(at)) for t, at in promoted if t in position})
    n = len(v_ids)
    return BlocInput(
        voter_ids=v_ids,
        voter_weight=np.ones(n, dtype=np.float64),
        voter_order=np.full(n, -1, dtype=np.int32),
        voter_company=np.full(n, -1, dtype=np.int32),
        voter_domain=np.full(n, -1, dtype=np.int32),
        order_labels=(),
        company_labels=(),
        domain_labels=(),
        talk_ids=t_ids,
        talk_company=np.empty((0, 2), dtype=np.int32),
        talk_domain=np.empty((0, 2), dtype=np.int32),
        vote_voter=np.searchsorted(v_ids, vv).astype(np.int32),
        vote_talk=ti.astype(np.int32),
        vote_score=vs,
        vote_at=va,
        scale=scale,
        voter_joined=np.full(n, -1, dtype=np.int64),
        talk_promoted=np.array(marked, dtype=np.int64).reshape(-1, 2),
    )
