"""Does an organisation rate a talk down far more often than the talk's other raters do? (round 28)

The group tests (blocs_signals.group_findings) ask whether a group rated a talk one way more often
than its share of all votes predicts. For a campaign against a strong talk that question is weak: a
company's staff who rate a rival's talk down are few (five to fifteen), their company casts many
votes in all, and an organised down-vote uses the two lowest scores of a five-point scale, of which
the tests count only the lowest. A handful of low scores then stays above the bar even when nobody
else rated the talk low at all (docs/blocs.md, round 28; bench/blocs_oppose_diag.py).

`lean_findings` asks the other question, among the talk's raters only: of the n voters of one
organisation who rated the talk, x gave it a low score; the talk's other raters gave
a low score with share q (half a vote added, one to the total). The binomial upper tail
P(X >= x | n, q) is the finding's p-value, and x must be at least `min_ratio` times n q, the low scores
the group's raters would give if they scored like everyone else. An honest group that really dislikes
a talk is judged against the talk's other raters: on a weak talk many others rate it low too. The
prediction the finding carries into its bloc (its fair share, and what the merge asks of its extra
voters) is the group test's for the same cell, the organisation's votes in all times the talk's share
of low scores among everyone else's: n itself counts the raters a campaign brings to the talk, so n q
would grant a campaign a fair share for its own selection (measured: it raised the fair share of
campaigns already found, e.g. 0.67 to 2.80 for 25 members on a held-out talk).

Low scores are those in the lowest quarter of the scale's range, at least the lowest score and never
"want to see" (`low_max_score`): the lowest of a four-point scale (0-3), the two lowest of a five-point
scale (1-5 stars, 0-4).

Cells are (group, talk) pairs where the group cast at least `min_members` votes. The family of tests
is Tarone's count (as round 16's): a cell whose tail cannot reach the bar even if every one of its n
raters gave a low score (q^n above the bar) is no test. Findings need `min_members` low scores and
`min_ratio` times the prediction, and pass the signal's false-discovery bar (a unit is a talk), like
the group tests. Colleagues of the speaker on their speaker's talk are left out: the colleague test
judges them. Findings carry the group test's signal ("affiliation"): the group is the same, and a
reviewer reads the sentence (`Finding.raters` tells the two apart).

Detection runs it on organisations only. Ticket orders were measured and left out: a household or a
few friends on one booking share their taste, so the null (each rater scores like the talk's other
raters, independently) does not hold for them, and on fresh3's honest-only conferences three or four
people of one household rating a talk low together passed in 4 of 30 small conferences.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import binom

from .blocs_signals import (
    OPPOSE,
    Context,
    Finding,
    _large_enough,
    _sorted_member,
    _threshold,
    _unit_minimum,
    tarone_fixed_point,
)


def low_max_score(ctx: Context) -> int:
    """The highest score the lean test counts as low: the lowest quarter of the scale's range, at least
    the scores the group tests count as down, below "want to see"."""
    scale = ctx.data.scale
    oppose_max = scale.minimum if ctx.rule.oppose_max_score is None else ctx.rule.oppose_max_score
    quarter = scale.minimum + (scale.maximum - scale.minimum) // 4
    return min(max(quarter, oppose_max), scale.wanted_min - 1)


def _tarone(min_log_p: np.ndarray, alpha: float) -> int:
    """Tarone's count: the smallest K with at most K cells whose smallest achievable log p is at most
    log(alpha / K)."""
    ranked = np.sort(min_log_p)
    return tarone_fixed_point(
        lambda k: int(np.searchsorted(ranked, np.log(alpha / k), side="right")), max(1, len(ranked))
    )


def lean_findings(
    ctx: Context, column: np.ndarray, signal: str, labels: tuple[str, ...], speaker_pairs: np.ndarray | None = None
) -> list[Finding]:
    """The (group, talk) cells where the group's raters gave the talk low scores far more often than
    its other raters (see above). `column` assigns voters to groups (-1: none); `speaker_pairs` ((talk,
    group) rows) are the colleague cells, left out."""
    data, rule = ctx.data, ctx.rule
    n_talks = max(1, data.n_talks)
    if not len(data.vote_voter) or int(column.max(initial=-1)) < 0:
        return []
    low_score = low_max_score(ctx)
    low = data.vote_score <= low_score
    g = column[data.vote_voter]
    ok = np.nonzero(g >= 0)[0]
    key = g[ok].astype(np.int64) * n_talks + data.vote_talk[ok]
    keys, cell, n = np.unique(key, return_inverse=True, return_counts=True)
    x = np.bincount(cell, weights=low[ok], minlength=len(keys)).astype(np.int64)
    keep = n >= rule.min_members
    if speaker_pairs is not None and len(speaker_pairs):
        coi = np.unique(speaker_pairs[:, 1].astype(np.int64) * n_talks + speaker_pairs[:, 0])
        keep &= ~_sorted_member(coi, keys)
    cells = np.nonzero(keep)[0]
    if not len(cells):
        return []
    talk = keys[cells] % n_talks
    talk_n = np.bincount(data.vote_talk, minlength=n_talks)
    talk_low = np.bincount(data.vote_talk, weights=low, minlength=n_talks)
    nc, xc = n[cells], x[cells]
    others = talk_n[talk] - nc
    q = (talk_low[talk] - xc + 0.5) / (others + 1.0)
    # Tarone's count: a cell can reach the bar only if its tail with every rater low (q ** n) can.
    min_log_p = nc * np.log(q)
    n_tests = _tarone(min_log_p, rule.alpha)
    testable = min_log_p <= np.log(rule.alpha / n_tests)
    expected = nc * q
    log_p = binom.logsf(xc - 1, nc, q)
    big = testable & _large_enough(xc, expected, rule)
    threshold = _threshold(_unit_minimum(talk[big], log_p[big]), rule, n_tests)  # a unit is a talk
    hit = np.nonzero(big & (log_p <= threshold))[0]
    # The prediction a finding carries into its bloc (the fair share, the merge's follow-up question) is
    # the group test's for the same cell — the organisation's votes in all times the talk's share of low
    # scores among everyone else's — not n q: n counts the raters the campaign itself brought to the talk.
    group = keys[cells] // n_talks
    group_votes = np.bincount(g[ok], minlength=int(g.max()) + 1).astype(float)
    share = (talk_low[talk] - xc + 0.5) / (len(data.vote_voter) - group_votes[group] + 0.5 * n_talks)
    predicted = group_votes[group] * share
    findings = []
    for h in hit:
        c = cells[h]
        votes = ok[(cell == c) & low[ok]]
        members = np.sort(data.vote_voter[votes].astype(np.int64))
        findings.append(
            Finding(
                signal=signal,
                talk=int(talk[h]),
                direction=OPPOSE,
                members=members,
                observed=int(xc[h]),
                expected=float(predicted[h]),
                log_p=float(log_p[h]),
                log_bar=float(threshold),
                group_voters=int(nc[h]),
                label=labels[int(keys[c] // n_talks)] if labels else "",
                raters=int(others[h]),
                raters_low=int(talk_low[talk[h]] - xc[h]),
                low_score=low_score,
            )
        )
    return findings
