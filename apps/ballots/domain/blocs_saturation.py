"""How often a light voter picks a talk, when heavy voters cannot pick it twice.

A talk's share of all votes understates how often someone who rates only one or two talks picks it
when the talk is popular: a heavy voter rates each talk at most once, so on a talk that almost
every heavy voter rates their interest is capped and the talk's share of the votes is held down.
The model: every voter picks their n talks one after another without repeating, each with
probability proportional to the talk's appeal w. Then a voter with n ratings holds talk t with
probability about 1 − exp(−λₙ·w_t), where λₙ makes the n probabilities add up to n. The appeal is
fitted so that the heavier voters' predicted votes on each talk equal their actual votes; the light
voters' chances follow from the same appeal.
"""

from __future__ import annotations

import numpy as np

from .blocs_signals import Context, _sorted_member


def _exp_outer(lam: np.ndarray, appeal: np.ndarray, out: np.ndarray | None = None, distinct=None) -> np.ndarray:
    """np.exp(-lam[:, None] * appeal[None, :]), each distinct appeal's column worked out once: talks of
    equal appeal are many (a tenth as many distinct values on a large conference), and the
    exponential is most of the fit's time. `out`: an array of the result's shape to fill. `distinct`:
    np.unique(appeal, return_inverse=True) when the caller has it (Newton's steps share one appeal)."""
    values, inverse = np.unique(appeal, return_inverse=True) if distinct is None else distinct
    # np.take keeps rows contiguous, as the full product is: the row sums then add in the same order.
    return np.take(np.exp(-lam[:, None] * values[None, :]), inverse, axis=1, out=out, mode="clip")


def _rates(appeal: np.ndarray, sizes: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """λ per ballot size so that sum over talks of 1 − exp(−λ·appeal) equals the size (Newton)."""
    lam = sizes / max(float(appeal.sum()), 1e-12) if start is None else start.copy()
    e, work = np.empty((len(lam), len(appeal))), np.empty((len(lam), len(appeal)))  # filled in place: they are large
    distinct = np.unique(appeal, return_inverse=True)
    for _ in range(30):
        _exp_outer(lam, appeal, out=e, distinct=distinct)
        slope = np.multiply(appeal[None, :], e, out=work).sum(axis=1)
        f = np.subtract(1, e, out=work).sum(axis=1) - sizes
        step = f / np.maximum(slope, 1e-12)
        lam = np.maximum(lam - step, lam / 10)
        if np.all(np.abs(f) <= 1e-6 * np.maximum(sizes, 1)):
            break
    return lam


def light_voter_chances(
    talk_votes: np.ndarray, heavy_sizes: np.ndarray, light_sizes: np.ndarray, rounds: int = 25
) -> np.ndarray:
    """Rows: the light ballot sizes; columns: talks; values: the chance that an independent voter with
    that many ratings rated the talk. `talk_votes` are the heavy voters' votes per talk and
    `heavy_sizes` the heavy voters' ballot sizes (one entry per voter)."""
    n_talks = len(talk_votes)
    sizes, voters = np.unique(heavy_sizes[heavy_sizes > 0], return_counts=True)
    sizes = np.minimum(sizes, n_talks - 0.5).astype(np.float64)  # nobody can rate every talk with certainty
    total = float(talk_votes.sum())
    appeal = talk_votes / max(total, 1.0)
    if not len(sizes) or total <= 0:
        return np.tile(appeal, (len(light_sizes), 1)) * np.asarray(light_sizes, dtype=np.float64)[:, None]
    lam = None
    held = np.empty((len(sizes), n_talks))  # filled in place: it is large
    for _ in range(rounds):
        lam = _rates(appeal, sizes, lam)
        np.subtract(1, _exp_outer(lam, appeal, out=held), out=held)
        predicted = np.multiply(voters[:, None], held, out=held).sum(axis=0)
        appeal = np.where(talk_votes > 0, appeal * talk_votes / np.maximum(predicted, 1e-12), 0.0)
    light = np.asarray(light_sizes, dtype=np.float64)
    return 1 - _exp_outer(_rates(appeal, light), appeal)


def light_colleague_votes(ctx: Context, voter_org: np.ndarray, speaker_pairs: np.ndarray) -> np.ndarray:
    """Bool per vote: cast by a light voter (at most `narrow_max_votes` ratings) of one of the talk's
    speakers' organisations (`speaker_pairs`: talk, organisation rows). The narrow test leaves these
    votes out (`narrow_colleagues`, round 10): the colleague test judges them."""
    data = ctx.data
    light = ctx.votes_per_voter[data.vote_voter] <= ctx.rule.narrow_max_votes
    org = voter_org[data.vote_voter].astype(np.int64)
    out = np.zeros(len(data.vote_voter), dtype=bool)
    if not len(speaker_pairs) or not (light & (org >= 0)).any():
        return out
    n_talks = max(1, data.n_talks)
    keys = np.unique(speaker_pairs[:, 1].astype(np.int64) * n_talks + speaker_pairs[:, 0])
    rows = np.nonzero(light & (org >= 0))[0]
    out[rows] = _sorted_member(keys, org[rows] * n_talks + data.vote_talk[rows])
    return out


def narrow_expected(
    ctx: Context, voter_org: np.ndarray | None = None, speaker_pairs: np.ndarray | None = None
) -> dict[int, np.ndarray]:
    """Per tested direction and talk: how many of the light voters (at most `narrow_max_votes`
    ratings) independent voting predicts on the talk in that direction, from the heavier voters'
    votes only (the light voters' own votes are left out of the prediction).

    With `voter_org` and `speaker_pairs` (talk, organisation rows), the light voters of a talk's
    speakers' organisations are not among those predicted on that talk: the narrow test leaves their
    votes on it out (`light_colleague_votes`)."""
    data, limit = ctx.data, ctx.rule.narrow_max_votes
    per_voter = ctx.votes_per_voter
    heavy_vote = per_voter[data.vote_voter] > limit
    talk_votes = np.bincount(data.vote_talk[heavy_vote], minlength=data.n_talks).astype(np.float64)
    sizes = np.arange(1, limit + 1)
    chances = light_voter_chances(talk_votes, per_voter[per_voter > limit], sizes)
    is_light = (per_voter > 0) & (per_voter <= limit)
    light_voters = np.bincount(per_voter[is_light], minlength=limit + 1)[1:]
    picked = light_voters.astype(np.float64) @ chances
    if voter_org is not None and speaker_pairs is not None and len(speaker_pairs):
        # Per organisation and ballot size, its light voters; each (talk, organisation of a speaker)
        # row takes their chances of picking that talk off the talk's prediction.
        n_orgs = int(max(voter_org.max(initial=-1), speaker_pairs[:, 1].max(initial=-1))) + 1
        known = is_light & (voter_org >= 0)
        by_org = np.zeros((max(1, n_orgs), limit), dtype=np.float64)
        np.add.at(by_org, (voter_org[known].astype(np.int64), per_voter[known] - 1), 1.0)
        pairs = np.unique(speaker_pairs.astype(np.int64), axis=0)
        colleagues = (by_org[pairs[:, 1]] * chances[:, pairs[:, 0]].T).sum(axis=1)
        picked = picked - np.bincount(pairs[:, 0], weights=colleagues, minlength=data.n_talks)
        picked = np.maximum(picked, 0.0)
    out = {}
    for d in ctx.tested:
        way = np.zeros(len(heavy_vote), dtype=bool)
        way[ctx.votes_in(d)] = True
        in_way = np.bincount(data.vote_talk[heavy_vote & way], minlength=data.n_talks)
        out[d] = picked * (in_way + 0.5) / (talk_votes + 1.0)
    return out
