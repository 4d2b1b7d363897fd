"""Does a group rate the talk the way it was flagged more often than everyone else who rated it?

A group test asks whether a group rated a talk up (or down) more often than independent voting
predicts. Part of that is *selection*: the group rated the talk at all, often because it chose its
talks together (a class assigned a session, a household on one order, a meetup's shortlist). An
organised push has a second trace: it moves the talk away from what everyone else thinks of it,
because its members give the score they were asked for. Honest people who chose their talks
together still score by their own taste, so among the talk's raters their scores look like
everyone else's.

`direction_log_p` measures that second trace for one finding: of the group's votes on the talk (every
score, not only the flagged way), how many are in the finding's way, against the share of the talk's
other votes in that way (binomial tail). It needs the group's votes in every way, which only the
tests over a fixed group have: a ticket order, an organisation, the light voters, a burst window (its
votes on the talk), one organisation's burst window. For puppet rings, speakers, account-creation
times and colleagues of the speaker it returns None: those groups are defined by their flagged votes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import binom

from .blocs_input import votes_by_talk
from .blocs_signals import Context, Finding

# The signals whose group is fixed before its votes on the talk are looked at (see above).
DIRECTION_SIGNALS = ("order", "affiliation", "narrow", "burst", "organisation_burst")


@dataclass(frozen=True)
class Raters:
    """Votes by talk, and the groups' codes, to find a finding's group's votes on its talk."""

    by_talk: np.ndarray  # vote positions ordered by talk
    starts: np.ndarray  # per talk position, where its votes start in by_talk (n_talks + 1)
    order_code: dict[str, int]
    org_code: dict[str, int]
    voter_org: np.ndarray | None


def raters_build(ctx: Context, voter_org: np.ndarray | None, org_labels: tuple[str, ...]) -> Raters:
    data = ctx.data
    by_talk, starts = votes_by_talk(data)
    return Raters(
        by_talk=by_talk,
        starts=starts,
        order_code={label: i for i, label in enumerate(data.order_labels)},
        org_code={label: i for i, label in enumerate(org_labels)},
        voter_org=voter_org,
    )


def group_votes(ctx: Context, r: Raters, f: Finding) -> np.ndarray | None:
    """Positions of the votes on f's talk cast by f's group, in every way (None: not a fixed group)."""
    if f.signal not in DIRECTION_SIGNALS:
        return None
    data = ctx.data
    votes = r.by_talk[r.starts[f.talk] : r.starts[f.talk + 1]]
    voter = data.vote_voter[votes]
    if f.signal == "order":
        code = r.order_code.get(f.label)
        return None if code is None else votes[data.voter_order[voter] == code]
    if f.signal == "narrow":
        return votes[ctx.votes_per_voter[voter] <= ctx.rule.narrow_max_votes]
    if f.signal in ("affiliation", "organisation_burst"):
        code = r.org_code.get(f.label)
        if code is None or r.voter_org is None:
            return None
        votes = votes[r.voter_org[voter] == code]
    if f.signal in ("burst", "organisation_burst"):
        if f.window is None:
            return None
        at = data.vote_at[votes]
        votes = votes[(at >= f.window[0]) & (at <= f.window[1])]
    return votes


def direction_log_p(ctx: Context, r: Raters, f: Finding) -> float | None:
    """log P(at least the group's count of votes in f's way | the group's votes on the talk, the share
    of the talk's other votes in that way). None when f's group is not a fixed group."""
    mine = group_votes(ctx, r, f)
    if mine is None or not len(mine):
        return None
    votes = r.by_talk[r.starts[f.talk] : r.starts[f.talk + 1]]
    way = ctx.top[votes] if f.top_score else ctx.direction[votes] == f.direction
    mine_way = ctx.top[mine] if f.top_score else ctx.direction[mine] == f.direction
    n, x = len(mine), int(mine_way.sum())
    others, others_way = len(votes) - n, int(way.sum()) - x
    share = (others_way + 0.5) / (others + 1.0)  # a talk nobody else rated: even odds
    return float(binom.logsf(x - 1, n, share))


def direction_in_line(ctx: Context, r: Raters, f: Finding) -> bool:
    """True when f is a fixed group's finding (`DIRECTION_SIGNALS`) whose group put no more of its
    votes on the talk in f's way than the talk's other votes' share of that way predicts: the upper
    tail of its count is above one half (`score_deviation: required` drops such findings)."""
    if f.signal not in DIRECTION_SIGNALS:
        return False
    log_p = direction_log_p(ctx, r, f)
    return log_p is not None and log_p > np.log(0.5)
