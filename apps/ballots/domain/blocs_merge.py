"""How the findings on one talk and way become blocs.

Findings on one talk and way that share a voter describe one group acting together, so they become
one bloc; so do all the speaker's colleagues (found through the company field or the email domain).
What a finding adds to a bloc must be evidence too (rule key `merge`, round 6 in docs/blocs.md):
taken strongest first, a finding that shares voters with a stronger one adds its other voters only
when they are themselves more than chance puts there — so an honest "want to see" cast inside a
colleague bloc's burst, or an honest friend on a bloc member's ticket order, is not swept in with
the bloc. Colleagues of the speaker (the relationship is the rule) and puppet rings (membership is
decided over the whole ballot) are taken whole.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.special import pdtrc

from .blocs_input import BlocRule
from .blocs_signals import Finding, _sorted_member

# Findings whose members are decided by what they are, not by how many of them voted this way.
TAKEN_WHOLE = ("colleagues", "similar")


def _taken_whole(f: Finding) -> bool:
    """Colleagues found through a company booking (round 9) are a booking's voters, not all of them of
    the organisation: what they add is judged like any other order's. Colleagues found by the test that
    judged them before a wider link (`linked_groups`, round 39) are admitted as that test's findings."""
    return f.signal in TAKEN_WHOLE and not f.organisation and not f.judged_as


def in_order(findings: list[Finding], lone: str = "strongest") -> list[Finding]:
    """Strongest first, except that a group's (or burst's) test of any upward rating comes right after
    its top-score test when both flagged: "they gave it the top score together" is the narrower claim,
    and the lower upward ratings beside it must then show up as unusual on their own. A burst of one
    organisation that shares voters with a site-wide burst comes right after it (round 8): the
    organisation test is there for the coworker bursts the site-wide test misses, and where both
    see the window it must not change whom the site-wide burst takes in. Under `lone: "after_burst"`
    (rule key `lone_order`, round 40) a lone-vote window that shares voters with a site-wide burst over
    all votes comes right after it too, for the same reason (before: by its own p-value, as any
    finding); an organisation burst then follows the place of the site-wide or lone burst it shares
    voters with. Under "after_burst" and "apart" a lone window's two tests are paired with each other,
    not with the site-wide burst's (under "strongest", the last of the two top-score bursts of a wave
    stands for both). The remaining keys only make the order the same for any input order."""
    site = [f for f in findings if f.signal == "burst"]
    after_burst = lone == "after_burst" and any(f.lone_minutes for f in site)
    own_pairs = lone != "strongest"

    def pair(f: Finding) -> tuple:
        return (f.signal, f.label, f.lone_minutes) if own_pairs else (f.signal, f.label)

    top_p = {pair(f): f.log_p for f in findings if f.top_score}

    def paired(f: Finding) -> float:
        return f.log_p if f.top_score else top_p.get(pair(f), f.log_p)

    def shares(members: np.ndarray, burst: Finding) -> bool:
        # A burst's members are sorted (np.unique of its votes' voters): whether an organisation burst (or
        # a lone window) shares one is a binary search, not an np.isin per pair nor a mask over every
        # voter per site-wide burst.
        return bool(_sorted_member(burst.members, members).any())

    # Where each site-wide burst stands: its own (paired) p-value, or under "after_burst" a lone window's
    # place right after the strongest burst over all votes it shares voters with.
    place = [(paired(b), False) for b in site]
    if after_burst:
        over_all = [i for i, b in enumerate(site) if not b.lone_minutes]
        for i, b in enumerate(site):
            if b.lone_minutes:
                over = [place[j][0] for j in over_all if shares(b.members, site[j])]
                place[i] = (min(over), True) if over else place[i]
    at = {id(b): p for b, p in zip(site, place, strict=True)}

    def key(f: Finding) -> tuple:
        anchor, after = at.get(id(f), (paired(f), False))
        if f.signal == "organisation_burst":
            over = [place[i][0] for i, b in enumerate(site) if shares(f.members, b)]
            anchor, after = (min(over), True) if over else (anchor, False)
        first = int(f.members[0]) if len(f.members) else -1
        return (anchor, after, not f.top_score, f.log_p, f.signal, f.label, f.window or (0, 0), f.shared_talks, first)

    return sorted(findings, key=key)


def _voter_mask(findings: Iterable[Finding]) -> np.ndarray:
    """All False, one place per voter position up to the largest member of `findings`: a set of voters
    as a mask (np.isin and np.union1d per finding took seconds on the large fresh worlds)."""
    # One maximum over all the members together (one call per finding took a fifth of the merge's setup).
    every = np.concatenate([f.members for f in findings] or [np.empty(0, dtype=np.int64)])
    return np.zeros(1 + (int(every.max()) if len(every) else -1), dtype=bool)


def follow_up_count(
    targets: list[list[Finding]], how: str = "asked", ordered: bool = False, lone: str = "strongest"
) -> int:
    """How many follow-up questions `findings_admit` can ask over the whole report: the size of the
    Bonferroni family its bar divides alpha by. A question is asked of a finding (not taken whole)
    when some of its voters are already in from the stronger findings on its talk and way and some
    are not. The bar has to be set before any question is answered, and what is "already in" depends
    on the answers (a finding that fails keeps only the voters already in), so this counts every
    finding that could be asked under any answers, and no other:

    - it shares a voter with the stronger findings' full member sets (what is in can never be more);
    - it has a voter outside what is in whatever the answers are: the members of stronger findings
      that are sure to come in whole — taken whole by kind, sharing no voter with any stronger
      finding, or lying wholly inside what is sure to be in already.

    Every question actually asked is among these, so dividing alpha by this number bounds the chance
    that any chance excess is let in by alpha (Bonferroni needs the family to hold every question
    asked, not only the ones that pass). A finding whose voters are all sure to be in already asks
    nothing and is not counted: before round 21 every finding sharing any voter was, and the `joined`
    test's findings lying inside bursts raised everyone's bar (docs/blocs.md, round 21). Rule key
    `follow_ups`: "asked" is this count, "shared" the count before round 21, kept for stored policies.
    `ordered`: each target's findings are already in `in_order`'s order (blocs_detect orders them once);
    else they are put in it with `lone` (rule key `lone_order`). Under `lone: "apart"` a finding over all
    votes is asked against the stronger findings over all votes only (`findings_admit`), so it is counted
    against those. Voter sets are masks (`_voter_mask`), cleared after each target."""
    seen = _voter_mask(f for findings in targets for f in findings)  # every voter of a stronger finding
    sure = seen.copy()  # voters of stronger findings sure to come in whole
    apart = lone == "apart"
    seen_all, sure_all = (seen.copy(), seen.copy()) if apart else (seen, sure)  # of the findings over all votes
    # Voters of the lone windows before, where a site-wide burst may ask about its voters in sittings (round 41).
    marked = apart and any(f.sitting_members is not None for findings in targets for f in findings)
    seen_lone = seen.copy() if marked else seen
    count = 0
    for findings in targets:
        for f in findings if ordered else in_order(findings, lone):
            over_all = apart and not f.lone_minutes
            before, whole = (seen_all, sure_all) if over_all else (seen, sure)
            asks = not _taken_whole(f) and bool(before[f.members].any())
            # A site-wide burst after a lone window it may share voters with (`burst_sittings: tested`, round 41):
            # its voters in sittings are asked, and are not sure to come in.
            sittings = over_all and f.sitting_members is not None and bool(seen_lone[f.members].any())
            if how == "asked":
                asks = asks and not whole[f.members].all()
                if not asks:
                    kept = _without(f.members, f.sitting_members) if sittings else f.members
                    sure[kept] = True
                    if over_all:
                        sure_all[kept] = True
            count += asks + sittings
            seen[f.members] = True
            if over_all:
                seen_all[f.members] = True
            elif marked and f.lone_minutes:
                seen_lone[f.members] = True
        if findings:  # the next talk and way start empty (every member at once, not finding by finding)
            members = np.concatenate([f.members for f in findings])
            seen[members] = False
            sure[members] = False
            if apart:
                seen_all[members] = False
                sure_all[members] = False
            if marked:
                seen_lone[members] = False
    return count


def _poisson_logsf(k: int, mu: float) -> float:
    """`scipy.stats.poisson.logsf(k, mu)` for k >= 0 and mu > 0, without its argument checks: the same
    ufunc on the same values (log of `pdtrc(floor(k), mu)`), so the same float, at a hundredth of the
    cost of a call that the merge makes once per question asked (thousands on the large worlds)."""
    with np.errstate(divide="ignore"):
        return float(np.log(pdtrc(np.floor(k), mu)))


def findings_admit(
    findings: list[Finding], rule: BlocRule, follow_ups: int, ordered: bool = False, scratch: np.ndarray | None = None
) -> list[Finding]:
    """The findings on one talk and way with the members each may bring into a bloc. Strongest first:
    a finding that shares no voter with the stronger ones stands on its own test and is taken whole;
    one that does keeps its new voters only if their number, against the finding's own prediction,
    is at least `min_ratio` times it and has a Poisson tail of at most alpha / follow_ups (Bonferroni
    over every such question in the report). Otherwise it keeps only the voters already in, and
    stays as evidence. `ordered`: the findings are already in `in_order`'s order. `scratch`: a mask of
    False covering every member, reused from call to call (blocs_detect makes thousands) and left all
    False again; without it one is made. Under `lone_order: apart` (round 40) a finding over all votes is
    judged against the voters the stronger findings over all votes brought in, as if no lone-vote test
    ran: a lone window in the same hours does not change whom a site-wide burst takes in; a lone window
    is judged against every stronger finding, as before."""
    if rule.merge == "whole":
        return findings
    bar = np.log(rule.alpha / max(1, follow_ups))
    admitted: list[Finding] = []
    known = _voter_mask(findings) if scratch is None else scratch  # the voters already in, by position
    apart = rule.lone_order == "apart" and any(f.lone_minutes for f in findings)
    known_all = _voter_mask(findings) if apart else known  # ... brought in by findings over all votes
    # ... and by the lone windows, where a site-wide burst after one asks about its voters in sittings (round 41)
    marked = apart and any(f.sitting_members is not None for f in findings)
    known_lone = _voter_mask(findings) if marked else known
    for f in findings if ordered else in_order(findings, rule.lone_order):
        judged = 0.0  # the part of the finding's prediction its voters in sittings were judged against and left
        if marked and not f.lone_minutes and f.sitting_members is not None and known_lone[f.members].any():
            f, judged = _sittings_judged(f, rule, bar)
        inside = (known if f.lone_minutes else known_all)[f.members]
        if not _taken_whole(f) and inside.any() and not inside.all():
            new = int((~inside).sum())
            expected = max(f.expected - judged, 1e-9)
            if new < rule.min_ratio * expected or _poisson_logsf(new - 1, expected) > bar:
                f = f.with_members(f.members[inside])
        admitted.append(f)
        known[f.members] = True
        if not f.lone_minutes:
            known_all[f.members] = True
        elif marked:
            known_lone[f.members] = True
    if scratch is not None and findings:
        scratch[np.concatenate([f.members for f in findings])] = False
    return admitted


def _without(members: np.ndarray, some: np.ndarray) -> np.ndarray:
    """`members` (sorted) without `some` (sorted): positions of a burst's voters who did not vote in a sitting."""
    return members[~_sorted_member(some, members)]


def _sittings_judged(f: Finding, rule: BlocRule, bar: float) -> tuple[Finding, float]:
    """A site-wide burst after a lone window that brought in some of its voters, under `lone_order: apart` and
    `burst_sittings: tested` (round 41), keeps its members whose vote the lone test does not count (cast within a
    sitting) only when such votes in its window are at least `min_ratio` times their prediction among the site's
    such votes, with a Poisson tail of at most the follow-up bar (a question of the follow-up family). Also returns
    the prediction of the votes left out (0 when they come in): a further follow-up question about the burst's
    other new voters is asked against the rest of its prediction."""
    observed, expected = f.sitting_observed, max(f.sitting_expected, 1e-9)
    if observed >= rule.min_ratio * expected and _poisson_logsf(observed - 1, expected) <= bar:
        return f, 0.0
    return f.with_members(_without(f.members, f.sitting_members)), f.sitting_expected


def findings_merge(findings: list[Finding], together: tuple[str, ...] = ("colleagues",)) -> list[list[Finding]]:
    """Findings on one talk and direction that share a voter become one bloc, and so do all the
    findings of each signal in `together`: the speaker's colleagues (found through the company field
    or the email domain) and, under `bursts: every`, the bursts of one campaign's waves. A colleague
    finding made by the test that judged its group before a wider link (`Finding.judged_as`, round 39)
    joins as that test's findings do: through a shared voter."""
    parent = list(range(len(findings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}
    for signal in together:
        alike = [i for i, f in enumerate(findings) if f.signal == signal and not f.judged_as]
        for i in alike[1:]:
            parent[root(i)] = root(alike[0])
    for i, f in enumerate(findings):
        for v in f.members.tolist():
            j = owner.setdefault(v, i)
            if j != i:  # a voter seen first in an earlier finding (a new voter joins nothing)
                a, b = root(i), root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Finding]] = {}
    for i, f in enumerate(findings):
        groups.setdefault(root(i), []).append(f)
    return [groups[k] for k in sorted(groups)]
