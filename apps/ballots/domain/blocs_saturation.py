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

from .blocs_signals import Context


def _rates(appeal: np.ndarray, sizes: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """λ per ballot size so that sum over talks of 1 − exp(−λ·appeal) equals the size (Newton)."""
    lam = sizes / max(float(appeal.sum()), 1e-12) if start is None else start.copy()
    for _ in range(30):
        e = np.exp(-lam[:, None] * appeal[None, :])
        f = (1 - e).sum(axis=1) - sizes
        slope = (appeal[None, :] * e).sum(axis=1)
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
    for _ in range(rounds):
        lam = _rates(appeal, sizes, lam)
        predicted = (voters[:, None] * (1 - np.exp(-lam[:, None] * appeal[None, :]))).sum(axis=0)
        appeal = np.where(talk_votes > 0, appeal * talk_votes / np.maximum(predicted, 1e-12), 0.0)
    light = np.asarray(light_sizes, dtype=np.float64)
    return 1 - np.exp(-_rates(appeal, light)[:, None] * appeal[None, :])


def narrow_expected(ctx: Context) -> dict[int, np.ndarray]:
    """Per tested direction and talk: how many of the light voters (at most `narrow_max_votes`
    ratings) independent voting predicts on the talk in that direction, from the heavier voters'
    votes only (the light voters' own votes are left out of the prediction)."""
    data, limit = ctx.data, ctx.rule.narrow_max_votes
    per_voter = ctx.votes_per_voter
    heavy_vote = per_voter[data.vote_voter] > limit
    talk_votes = np.bincount(data.vote_talk[heavy_vote], minlength=data.n_talks).astype(np.float64)
    sizes = np.arange(1, limit + 1)
    chances = light_voter_chances(talk_votes, per_voter[per_voter > limit], sizes)
    light_voters = np.bincount(per_voter[(per_voter > 0) & (per_voter <= limit)], minlength=limit + 1)[1:]
    picked = light_voters.astype(np.float64) @ chances
    out = {}
    for d in ctx.tested:
        way = np.zeros(len(heavy_vote), dtype=bool)
        way[ctx.votes_in(d)] = True
        in_way = np.bincount(data.vote_talk[heavy_vote & way], minlength=data.n_talks)
        out[d] = picked * (in_way + 0.5) / (talk_votes + 1.0)
    return out
