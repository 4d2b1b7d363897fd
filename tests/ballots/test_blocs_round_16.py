"""Round 16 (docs/blocs.md): a group test's family is Tarone's count of testable cells
(`test_count: testable`): a (group, talk, way) cell counts as a test only when its smallest achievable
p-value — every voter of the group voting that way, against the prediction from everyone else's
votes — reaches the bar alpha / count, at the fixed point (order, affiliation and narrow; the colleague
families keep the cells voted on); `voted` counts the cells a member voted on, as before."""

import random

import numpy as np
import pytest
from scipy.stats import poisson

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import _cell_margins, _Margins, context_build, tarone_count
from tests.ballots.test_blocs import _blocs_on, _normal_ballot
from tests.ballots.test_blocs_cases import DAY, START, Case
from tests.ballots.test_blocs_policy import _stored_then_migrated


def _margins(most, scale, base, voted=((), (), ()), coi=((), ())) -> _Margins:
    most = np.asarray(most)
    kept = np.nonzero(most >= 3)[0]
    values, inverse = np.unique(most[kept], return_inverse=True)
    position = np.full(len(most), -1)
    position[kept] = np.arange(len(kept))
    return _Margins(
        len(most),
        kept,
        values,
        inverse,
        np.asarray(scale, dtype=float)[kept],
        np.sort(np.asarray(base, dtype=float)),
        position[np.asarray(voted[0], dtype=np.int64)],
        np.asarray(voted[1], dtype=float),
        np.asarray(voted[2], dtype=float),
        position[np.asarray(coi[0], dtype=np.int64)],
        np.asarray(coi[1], dtype=float),
    )


def test_the_testable_count_of_a_hand_made_case():
    """Group A (3 voters who voted that way, prediction 0.1 × base), group B (2 voters: no cell of
    it can reach `min_members`); talks with base 0.5, 5.5 and 50.5. A's predictions are 0.05, 0.55 and
    5.05; the last is more than a third of 3 (`min_ratio`), so that cell can never report. The smallest
    p-values of the other two: P(X ≥ 3 | 0.05) = 2.0e-5 and P(X ≥ 3 | 0.55) = 0.0185.
    alpha 0.05: at K = 1 (bar 0.05) both cells are testable, 2 > 1; at K = 2 (bar 0.025) both still
    are, 2 ≤ 2: K = 2. alpha 0.01: at K = 1 (bar 0.01) only the first, 1 ≤ 1: K = 1."""
    assert poisson.sf(2, 0.05) == pytest.approx(2.0e-5, rel=0.02)
    assert poisson.sf(2, 0.55) == pytest.approx(0.0185, rel=0.01)
    m = _margins(most=[3, 2], scale=[0.1, 0.1], base=[0.5, 5.5, 50.5])
    k, caps = tarone_count([m], BlocRule(alpha=0.05), 3.0, False)
    assert k == 2
    assert caps[0][1] == -1  # B: no cell
    assert 0.55 <= caps[0][0] < 1.0  # A: up to a prediction of 1 (3 / min_ratio) would do at bar 0.025
    k, caps = tarone_count([m], BlocRule(alpha=0.01), 3.0, False)
    assert k == 1
    assert 0.05 <= caps[0][0] < 0.55


def test_a_voted_cell_is_judged_on_the_others_votes_and_colleague_cells_count_apart():
    """A voted twice on the talk with base 50.5, so the others' base there is 48.5: still far too
    popular for a cell of 3 (prediction 4.85). A's cell on the talk with base 5.5 is a colleague
    cell: it leaves the main family (K = 1: the first cell only) and is the colleague family's
    (at colleague_min_ratio 1.5 and alpha 0.05: P(X ≥ 3 | 0.55) = 0.0185 ≤ 0.05, K = 1)."""
    m = _margins(most=[3, 2], scale=[0.1, 0.1], base=[0.5, 5.5, 50.5], voted=([0], [50.5], [48.5]), coi=([0], [5.5]))
    assert tarone_count([m], BlocRule(alpha=0.05), 3.0, False)[0] == 1
    assert tarone_count([m], BlocRule(alpha=0.05), 1.5, True)[0] == 1


def _brute_force_count(ctx, column, rule):
    """Every (group, talk, way) cell of `column`'s order test, one by one: its largest count, its
    prediction from everyone else's votes, testable when it can reach `min_members`, `min_ratio` and
    the bar; the smallest K with at most K cells testable at alpha / K."""
    data = ctx.data
    n_groups = int(column.max()) + 1
    votes = np.bincount(column[column >= 0], weights=ctx.votes_per_voter[column >= 0], minlength=n_groups)
    voters = np.bincount(column[(column >= 0) & (ctx.votes_per_voter > 0)], minlength=n_groups)
    min_p = []
    for d in ctx.tested:
        sel = ctx.votes_in(d)
        g = column[data.vote_voter[sel]]
        for grp in range(n_groups):
            most = min(int(voters[grp]), int((g == grp).sum()))
            for t in range(data.n_talks):
                own = int(((g == grp) & (data.vote_talk[sel] == t)).sum())
                e = votes[grp] * (ctx.talk_count[d][t] - own + 0.5) / (ctx.n_votes - votes[grp] + 0.5 * data.n_talks)
                if most >= rule.min_members and most >= rule.min_ratio * e:
                    min_p.append(poisson.sf(most - 1, e))
    min_p = np.asarray(min_p)
    k = 1
    while (min_p <= rule.alpha / k).sum() > k:
        k += 1
    return k


def _with_orders(seed: int = 7) -> Case:
    case, rng = Case(seed=seed), random.Random(seed)
    for v in range(1001, 1004):  # a trio that rates like everyone else
        case.add_voter(v, order="TRIO")
        _normal_ballot(case, v, rng, skip=-1)
    for v in range(1101, 1103):  # a pair: no cell of it can reach min_members
        case.add_voter(v, order="PAIR")
        _normal_ballot(case, v, rng, skip=-1)
    for v in range(1201, 1213):  # 12 people on one order push talk 5
        case.add_voter(v, order="RING1")
        _normal_ballot(case, v, rng, skip=5)
        case.vote(v, 5, 3, START + rng.randrange(10 * DAY))
    return case


def test_the_order_tests_count_matches_a_cell_by_cell_count_and_leaves_out_what_cannot_reach_the_bar():
    data = _with_orders().build()
    rule = BlocRule()
    ctx = context_build(data, rule)
    column = data.voter_order
    n_groups = int(column.max()) + 1
    votes = np.bincount(column[column >= 0], weights=ctx.votes_per_voter[column >= 0], minlength=n_groups)
    voters = np.bincount(column[(column >= 0) & (ctx.votes_per_voter > 0)], minlength=n_groups)
    margins = []
    n_talks = data.n_talks
    for d in ctx.tested:
        sel = ctx.votes_in(d)
        g = column[data.vote_voter[sel]]
        sel, g = sel[g >= 0], g[g >= 0]
        keys, observed = np.unique(g.astype(np.int64) * n_talks + data.vote_talk[sel], return_counts=True)
        no_coi = np.empty(0, dtype=np.int64)
        margins.append(_cell_margins(ctx, d, g, keys, observed, no_coi, (votes, voters, n_groups), None))
    k, caps = tarone_count(margins, rule, rule.min_ratio, False)
    assert k == _brute_force_count(ctx, column, rule)
    pair = data.order_labels.index("PAIR")
    assert all(cap[pair] == -1 for cap in caps)  # never counted
    # Fewer than the cells a member voted on would be without the pair, more than the trio alone has.
    assert 0 < k < 3 * n_talks * 2


def test_a_planted_order_bloc_is_still_found_and_honest_orders_are_not():
    report = blocs_detect(_with_orders().build(), BlocRule(test_count="testable"))
    (bloc,) = _blocs_on(report, 5)
    assert set(range(1201, 1213)) <= set(bloc.member_ids)
    assert "order" in bloc.signals
    assert not any(set(b.member_ids) & {1001, 1002, 1003, 1101, 1102} for b in report.blocs)


def test_the_key_defaults_to_testable_and_is_validated():
    assert BlocRule().test_count == "testable"
    assert BlocRule.from_json({"test_count": "voted"}).test_count == "voted"
    with pytest.raises(ValueError, match="test_count must be one of"):
        BlocRule.from_json({"test_count": "observed"})


def test_voted_keeps_the_old_count():
    """`voted` is the rule before round 16: the same blocs as the code gave then (the planted ring)."""
    report = blocs_detect(_with_orders().build(), BlocRule(test_count="voted"))
    (bloc,) = _blocs_on(report, 5)
    assert set(range(1201, 1213)) <= set(bloc.member_ids)


@pytest.mark.django_db(transaction=True)
def test_round_16_migration_pins_stored_policies_to_the_count_they_were_stored_with():
    """0017 writes `test_count: voted` into policies stored without the key; a policy that names the key
    keeps its choice, and new policies store "testable"."""
    before = {k: v for k, v in BlocRule().to_json().items() if k != "test_count"}
    old, chosen = _stored_then_migrated("0016_bloc_rule_round_11", before)
    assert old.bloc_rule == {**before, "test_count": "voted"}
    assert BlocRule.from_json(old.bloc_rule) == BlocRule(test_count="voted")
    assert chosen.bloc_rule == BlocRule().to_json() and chosen.bloc_rule["test_count"] == "testable"
    kept = {**before, "test_count": "testable"}
    old, _ = _stored_then_migrated("0016_bloc_rule_round_11", kept)
    assert old.bloc_rule == kept


def test_colleagues_of_the_speaker_keep_the_cells_voted_on():
    """The colleague families are flagged on purpose and stay familywise on the cells voted on: the
    three loyal company bookings are the same colleague blocs under either count."""
    from tests.ballots.test_blocs_order_colleagues import _bookings_and_club

    data = _bookings_and_club()
    for rule in ({}, {"signals": ["order"]}):
        testable = blocs_detect(data, BlocRule.from_json({**rule, "test_count": "testable"})).blocs
        voted = blocs_detect(data, BlocRule.from_json({**rule, "test_count": "voted"})).blocs
        colleagues = [(b.talk_id, b.member_ids, b.p_value) for b in testable if b.colleagues_of_speaker]
        assert colleagues == [(b.talk_id, b.member_ids, b.p_value) for b in voted if b.colleagues_of_speaker]
        assert {t for t, _, _ in colleagues} >= {5, 6, 8}
