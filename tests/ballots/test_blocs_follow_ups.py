"""Round 21 (docs/blocs.md): the follow-up family of the merge. A finding that shares voters with a
stronger one on its talk and way is asked whether the voters it adds are more than chance, at
alpha / follow-ups; the family counts the findings that can be asked, so a finding whose voters are
all surely in already (a `joined` window inside a burst) asks nothing and does not raise the bar of
the findings that do."""

import random

import numpy as np
import pytest

from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_merge import findings_admit, follow_up_count
from apps.ballots.domain.blocs_signals import Finding


def _finding(signal: str, members, log_p: float, expected: float = 0.3, talk: int = 7, label: str = "") -> Finding:
    members = np.array(sorted(members), dtype=np.int64)
    return Finding(signal, talk, 1, members, len(members), expected, log_p, label=label or signal)


BURST = _finding("burst", range(10), -30.0)  # the strongest finding on talk 7: ten voters
INSIDE = _finding("joined", range(2, 7), -12.0)  # five of the burst's voters, nobody new
FOLLOW_UP = _finding("order", [8, 9, 10, 11, 12], -9.0)  # two of the burst's voters and three new ones


def test_a_finding_whose_voters_are_all_in_already_is_not_a_follow_up():
    assert follow_up_count([[BURST, INSIDE]]) == 0
    # Nor are findings alone on their talk, or colleagues of the speaker (taken whole).
    colleagues = _finding("colleagues", [9, 20, 21], -20.0)
    assert follow_up_count([[BURST, INSIDE, colleagues], [_finding("order", [1, 2], -8.0, talk=9)]]) == 0


def test_a_finding_that_adds_voters_is_a_follow_up():
    assert follow_up_count([[BURST, FOLLOW_UP]]) == 1
    assert follow_up_count([[BURST, INSIDE, FOLLOW_UP]]) == 1
    # One inside the follow-up's new voters can be asked too: if the follow-up keeps only the two
    # voters already in, voters 10 and 11 are new to it.
    behind = _finding("narrow", [10, 11], -6.0)
    assert follow_up_count([[BURST, FOLLOW_UP, behind]]) == 2


def test_findings_inside_others_no_longer_raise_the_bar_for_a_real_follow_up():
    """Three new voters against 0.3 expected (p = 0.0036) pass alpha / 2 = 0.005 but not alpha / 3.
    Two `joined` windows lying inside bursts on other talks used to make the family three."""
    rule = BlocRule()
    elsewhere = [
        [_finding("burst", range(100, 110), -30.0, talk=t), _finding("joined", range(101, 105), -12.0, talk=t)]
        for t in (8, 9)
    ]
    follow_ups = follow_up_count([[BURST, INSIDE, FOLLOW_UP], *elsewhere])
    assert follow_ups == 1
    admitted = findings_admit([BURST, INSIDE, FOLLOW_UP], rule, follow_ups)
    assert admitted[-1].members.tolist() == [8, 9, 10, 11, 12]
    # At the old family size the three new voters stay out and the finding keeps the two already in.
    assert findings_admit([BURST, INSIDE, FOLLOW_UP], rule, 3)[-1].members.tolist() == [8, 9]


def _asked(findings: list[Finding], rule: BlocRule, follow_ups: int) -> int:
    """Questions findings_admit asks: a finding (not a colleague or ring finding) with some voters
    already admitted and some not (its docstring)."""
    admitted = findings_admit(findings, rule, follow_ups)
    known, asked = np.empty(0, dtype=np.int64), 0
    for before, after in zip(sorted(findings, key=lambda f: f.log_p), admitted, strict=True):
        inside = np.isin(before.members, known)
        asked += bool(inside.any() and not inside.all())
        known = np.union1d(known, after.members)
    return asked


def test_the_family_holds_every_question_asked_whatever_the_bar():
    """Random overlapping findings on a few talks: at any family size the bar is set from, the merge
    asks no more questions than the family counts (Bonferroni's condition)."""
    rng = random.Random(21)
    for _ in range(100):
        targets = []
        for talk in range(3):
            findings = []
            for i in range(rng.randint(1, 6)):
                members = rng.sample(range(30), rng.randint(1, 12))
                signal = rng.choice(["burst", "joined", "order", "narrow", "organisation_burst"])
                # Distinct strengths and labels: the merge's order is then by strength alone.
                findings.append(
                    _finding(signal, members, -5.0 - 3 * i - talk / 10, rng.uniform(0.05, 2.0), talk, str(i))
                )
            targets.append(findings)
        count = follow_up_count(targets)
        for follow_ups in (1, count, 10**6):
            for alpha in (0.999, 0.01, 1e-12):
                rule = BlocRule(alpha=alpha, min_ratio=1.0)
                assert sum(_asked(findings, rule, follow_ups) for findings in targets) <= count


def test_the_shared_count_of_stored_policies_counts_every_finding_that_shares_a_voter():
    """`follow_ups: shared` is the family before round 21: the finding lying inside the burst counts."""
    assert follow_up_count([[BURST, INSIDE, FOLLOW_UP]], "shared") == 2
    assert follow_up_count([[BURST, INSIDE, FOLLOW_UP]], "asked") == 1


def test_the_follow_ups_key_is_validated_and_kept_in_the_rule():
    assert BlocRule().follow_ups == "asked"
    assert BlocRule(follow_ups="shared").to_json()["follow_ups"] == "shared"
    assert BlocRule.from_json({"follow_ups": "shared"}) == BlocRule(follow_ups="shared")
    with pytest.raises(ValueError, match="follow_ups must be one of"):
        BlocRule.from_json({"follow_ups": "every"})
