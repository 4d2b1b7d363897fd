"""Speakers who support each other's talks (signal `speakers`, round 12 in docs/blocs.md).

A speaker who votes is a voter whose own talk is on the ballot: rating another speaker's talk up while
that speaker rates theirs up in return is a conflict of interest, like colleagues voting on their
colleague's talk, and a ring of speakers who agree to do it for each other ("I vote for yours, you
vote for mine") moves every ring talk by the ring's size less one.

For a talk t with speakers S_t, the reciprocating supporters are the speakers a of other talks who
rate t up and whose own talk is rated up by a speaker of t (a speaker's vote on a talk they speak on
never counts). Under independent voting — the model of the other group tests — a rates t up with
probability P(a→t) = min(1, a's votes × t's share of all votes in that way), and a speaker s of t
rates a talk u of a up with P(s→u), independently of a, so a reciprocates on t with probability
P(a→t) × (1 − Π over s in S_t, u in T_a of (1 − P(s→u))). The count on t is compared with the sum of
those probabilities over every speaker who votes (Poisson tail: for a sum of independent rare events
it is at least the Poisson-binomial tail, so the test errs towards finding nothing). One test per
talk and way, for any rating from "want to see" up and for the top score alone (both in the count),
with the rule's error control over the talks where anyone reciprocated. A ring of k speakers shows as
k − 1 reciprocating supporters on each ring talk.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.stats import poisson

from .blocs_signals import (
    OPPOSE,
    SUPPORT,
    TOP,
    Context,
    Finding,
    _large_enough,
    _sorted_member,
    _threshold,
    _unit_minimum,
)

_CHUNK = 256  # talks per block of the expectation's dense (talks × speakers) arrays


def speaker_findings(ctx: Context) -> list[Finding]:
    data, rule = ctx.data, ctx.rule
    pairs = np.unique(data.talk_speaker.astype(np.int64), axis=0) if len(data.talk_speaker) else np.empty((0, 2))
    if len(pairs) < rule.min_members + 1:
        return []
    n_talks, n_voters = data.n_talks, data.n_voters
    pairs = pairs.astype(np.int64)
    spk, spk_pos = np.unique(pairs[:, 1], return_inverse=True)  # speakers who vote; their positions in spk
    n_spk = len(spk)
    # Incidence: talk × speaker (S_t by rows; T_a by columns).
    speaks = csr_matrix((np.ones(len(pairs)), (pairs[:, 0], spk_pos)), shape=(n_talks, n_spk))
    speaks.sum_duplicates()
    pair_keys = np.sort(pairs[:, 1] * n_talks + pairs[:, 0])  # voter × talk: "voter speaks on talk"
    is_speaker = np.zeros(n_voters, dtype=bool)
    is_speaker[spk] = True
    n_speakers_of = np.bincount(pairs[:, 0], minlength=n_talks)
    votes = ctx.votes_per_voter.astype(np.float64)

    candidates = []
    examined = 0
    for d in ctx.tested:
        if d == OPPOSE:
            continue
        sel = ctx.votes_in(d)
        sel = sel[is_speaker[data.vote_voter[sel]]]
        a = data.vote_voter[sel].astype(np.int64)
        t = data.vote_talk[sel].astype(np.int64)
        own = _sorted_member(pair_keys, a * n_talks + t)
        a, t = a[~own], t[~own]  # support edges a → t: a speaker rates another speaker's talk up
        if not len(a):
            continue
        ai = np.searchsorted(spk, a)
        edge = csr_matrix((np.ones(len(a)), (ai, t)), shape=(n_spk, n_talks))
        edge.data[:] = 1.0
        # back[t, b] > 0: a speaker of t rates a talk of b up (talk × speakers-of-talk × edges × talks).
        back = ((speaks @ edge) @ speaks).tocsr()
        back.data[:] = 1.0
        returned = np.asarray(back[t, ai]).ravel() > 0
        ra, rt = a[returned], t[returned]
        observed = np.bincount(rt, minlength=n_talks)
        examined += int((observed > 0).sum())
        hit = np.nonzero((observed >= rule.min_members) & (n_speakers_of > 0))[0]
        if not len(hit):
            continue
        rate = (ctx.talk_count[d].astype(np.float64) + 0.5) / (ctx.n_votes + 0.5 * n_talks)
        expected = _expected(hit, rate, votes, spk, speaks, pair_keys, n_talks)
        candidates.append((d, hit, observed[hit], expected, ra, rt))

    findings: list[Finding] = []
    if not candidates:
        return findings
    tested = []
    for _, _, observed, expected, _, _ in candidates:
        log_p = poisson.logsf(observed - 1, np.maximum(expected, 1e-12))
        big = _large_enough(observed, expected, rule)
        tested.append((big, log_p))
    units = np.concatenate([c[1][big] for c, (big, _) in zip(candidates, tested, strict=True)])
    unit_log_p = _unit_minimum(units, np.concatenate([lp[big] for big, lp in tested]))
    threshold = _threshold(unit_log_p, rule, examined)
    for (d, hit, observed, expected, ra, rt), (big, log_p) in zip(candidates, tested, strict=True):
        for j in np.nonzero(big & (log_p <= threshold))[0]:
            talk = int(hit[j])
            findings.append(
                Finding(
                    signal="speakers",
                    talk=talk,
                    direction=SUPPORT,
                    members=np.sort(ra[rt == talk]),
                    observed=int(observed[j]),
                    expected=float(expected[j]),
                    log_p=float(log_p[j]),
                    log_bar=float(threshold),
                    group_voters=int(n_speakers_of[talk]),
                    top_score=d == TOP,
                )
            )
    return findings


def _expected(talks, rate, votes, spk, speaks, pair_keys, n_talks) -> np.ndarray:
    """Σ over speakers a not speaking on t of P(a→t) × P(a speaker of t rates a talk of a up), per talk
    in `talks`, with P(v→u) = min(1, v's votes × u's rate) and no speaker's vote on their own talk."""
    spk_votes = votes[spk]
    by_speaker = speaks.T.tocsr()  # speaker → their talks
    out = np.zeros(len(talks))
    for lo in range(0, len(talks), _CHUNK):
        block = talks[lo : lo + _CHUNK]
        sub = speaks[block].tocoo()  # (block talk, speaker) rows
        # log(1 - P(s → u)) for each speaker s of the block's talks and every talk u, own talks excluded.
        rows_s = sub.col
        log_miss = np.log1p(-np.minimum(1.0, spk_votes[rows_s][:, None] * rate[None, :]).clip(max=1 - 1e-12))
        for i, s in enumerate(rows_s):
            own = by_speaker.indices[by_speaker.indptr[s] : by_speaker.indptr[s + 1]]
            log_miss[i, own] = 0.0
        n_rows = len(rows_s)
        per_talk = csr_matrix((np.ones(n_rows), (sub.row, np.arange(n_rows))), shape=(len(block), n_rows))
        to_talks = per_talk @ log_miss  # (block, talks): Σ_s log(1 - P(s → u))
        log_none = np.asarray((speaks.T @ to_talks.T).T)  # (block, speakers): Σ over s in S_t, u in T_a
        back = -np.expm1(log_none)  # P(some speaker of t rates some talk of a up)
        p_in = np.minimum(1.0, spk_votes[None, :] * rate[block][:, None])
        # A speaker of t is not a supporter of t.
        p_in[np.asarray(speaks[block].toarray()) > 0] = 0.0
        out[lo : lo + _CHUNK] = (p_in * back).sum(axis=1)
    return out
