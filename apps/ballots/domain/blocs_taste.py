"""Is a puppet ring's common ballot a shared taste for a topic? (`taste: rings`, docs/blocs.md)

The puppet-ring test (`similar`) finds accounts whose ballots are nearly the same. Honest people with
one strong taste do that too: fans of a niche track who rate most of its talks, the staff of an
employer strong in one topic who all add that topic's best talks. Their rings are flagged on each of
those talks in turn. A ring pushing a talk is flagged on that talk, and its common ballot beside it
(its members' cover votes, or the other talks it pushes) is not the talk's topic.

The talk's topic is data-derived: its `NEIGHBOURS` talks most often rated (any score) by the same
voters, counted over the voters outside the ring (cosine of co-rating counts), each kept only when
they rated it with the talk more often than independent choices predict (Poisson upper tail at most
`LEVEL`; in a conference without topics nothing is a neighbour). The ring *lifts* a
neighbour when the group test of the fixed groups would flag it there: its members rated the
neighbour the finding's way at least `min_members` times and `min_ratio` times the prediction (the
ring's votes that way times the neighbour's share of everyone else's), with a Poisson upper tail at
most `LEVEL`, uncorrected. A ring finding rating a talk up is dropped before the merge when the ring
lifts at least `MIN_LIFTED` of its neighbours: the talk is one of three or more of one topic that
the ring rates up, which is what a taste looks like.

Only rings and only findings rating a talk up are asked. Ticket orders, organisations and their
bursts were measured under the same control and lose planted coworkers (an employer's loyal staff
lift its other speakers' talks as a taste would); organised down-voting of a talk's rivals lifts the
rivals as a taste would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.stats import poisson

from .blocs_signals import SUPPORT, TOP, Context, Finding

NEIGHBOURS = 10  # the talks that make a talk's topic
LEVEL = 0.01  # the uncorrected bar a neighbour and a lifted neighbour pass
MIN_LIFTED = 2  # neighbours a ring must lift for its finding to be a taste


@dataclass(frozen=True)
class Taste:
    """Who rated which talk (any score, and in each tested way), once per detection."""

    rated: sparse.csr_matrix  # voter x talk, 1 where the voter rated the talk
    rated_by_talk: sparse.csc_matrix
    degree: np.ndarray  # voters per talk
    active: int  # voters who rated any talk
    _co: dict[int, np.ndarray] = field(default_factory=dict, compare=False, repr=False)  # per talk
    _ways: dict[int, sparse.csr_matrix] = field(default_factory=dict, compare=False, repr=False)  # per way

    def co_rated(self, talk: int) -> np.ndarray:
        """Per talk, how many of `talk`'s raters also rated it (worked out once per talk asked)."""
        if talk not in self._co:
            self._co[talk] = np.asarray(self.rated[self.rated_by_talk[:, talk].indices].sum(axis=0)).ravel()
        return self._co[talk]

    def way(self, ctx: Context, d: int) -> sparse.csr_matrix:
        """Voter x talk, 1 where the voter rated the talk in tested way d (worked out once per way)."""
        if d not in self._ways:
            data, sel = ctx.data, ctx.votes_in(d)
            shape = (data.n_voters, data.n_talks)
            self._ways[d] = sparse.csr_matrix((np.ones(len(sel)), (data.vote_voter[sel], data.vote_talk[sel])), shape)
        return self._ways[d]


def taste_build(ctx: Context) -> Taste:
    data = ctx.data
    ones = np.ones(len(data.vote_talk))
    rated = sparse.csr_matrix((ones, (data.vote_voter, data.vote_talk)), shape=(data.n_voters, data.n_talks))
    active = int((np.diff(rated.indptr) > 0).sum())
    return Taste(rated, rated.tocsc(), np.asarray(rated.sum(axis=0)).ravel(), active)


def neighbours(taste: Taste, talk: int, members: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """The k talks most co-rated with `talk` by its raters outside `members` (cosine of co-rating
    counts), best first (ties by position), each kept only when those raters rated it more often than
    independent choices predict (Poisson upper tail at most `LEVEL`): in a conference without topics a
    talk has no neighbours, and nothing is a taste."""
    raters = taste.rated_by_talk[:, talk].indices
    inside = raters[np.isin(raters, members)]
    n_outside = len(raters) - len(inside)
    if not n_outside:
        return np.empty(0, dtype=np.int64)
    co = taste.co_rated(talk) - np.asarray(taste.rated[inside].sum(axis=0)).ravel()
    degree = taste.degree - np.asarray(taste.rated[members].sum(axis=0)).ravel()
    cosine = co / np.sqrt(np.maximum(degree, 1) * n_outside)
    cosine[talk] = -1
    cosine[degree <= 0] = -1
    top = np.argsort(-cosine, kind="stable")[:k]
    top = top[cosine[top] > 0]
    voters = max(1, taste.active - len(members))
    expected = np.maximum(n_outside * degree[top] / voters, 1e-9)
    return top[poisson.logsf(co[top] - 1, expected) <= np.log(LEVEL)]


def lifted_neighbours(ctx: Context, taste: Taste, f: Finding) -> int:
    """How many of f's talk's neighbours f's members rate f's way as a group test would flag (see the
    module's docstring)."""
    data, rule = ctx.data, ctx.rule
    members = f.members
    d = TOP if f.top_score else f.direction
    x = np.asarray(taste.way(ctx, d)[members].sum(axis=0)).ravel()
    group_votes = float(ctx.votes_per_voter[members].sum())
    n_talks = max(1, data.n_talks)
    nb = neighbours(taste, f.talk, members)
    rest_rate = (ctx.talk_count[d][nb] - x[nb] + 0.5) / (ctx.n_votes - group_votes + 0.5 * n_talks)
    x_nb, e_nb = x[nb], np.maximum(group_votes * rest_rate, 1e-9)
    big = (x_nb >= rule.min_members) & (x_nb >= rule.min_ratio * e_nb)
    return int((big & (poisson.logsf(x_nb - 1, e_nb) <= np.log(LEVEL))).sum())


def taste_explained(ctx: Context, taste: Taste, f: Finding) -> bool:
    """True for a puppet ring's finding rating its talk up whose members lift at least `MIN_LIFTED`
    of the talk's neighbours (`taste: rings` drops such findings)."""
    if f.signal != "similar" or f.direction != SUPPORT or not len(f.members):
        return False
    return lifted_neighbours(ctx, taste, f) >= MIN_LIFTED
