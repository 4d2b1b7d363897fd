"""Round 40 (docs/blocs.md): where a lone-vote window comes in the merge of its talk and way (`lone_order`).
A campaign whose voters mostly vote for the talk alone, and a few within a sitting of their own, is seen both
by the site-wide burst test (all its votes in the hours) and by the lone-vote test (the lone ones only). The
lone window is the more unusual of the two. Under `strongest` (the default) it is taken whole first, and the
site-wide burst's further voters must then pass the follow-up test on their own: a few campaign voters and the
window's honest votes against the whole window's prediction, which they do not, so the bloc loses the campaign's
voters who voted in a sitting. Under `after_burst` the lone window comes right after the site-wide burst that
shares its voters, as an organisation burst does (round 8): the site-wide burst is taken whole, as when no lone
test runs, and the lone window adds nothing outside it. Under `apart` the order is by p-value, but a finding over
all votes is judged against what the stronger findings over all votes brought in, as if no lone test ran: the
lone window is taken whole first and the site-wide burst whole after it."""

import random

import pytest

from apps.ballots.domain.blocs import blocs_detect, findings_collect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_merge import findings_admit, follow_up_count, in_order
from tests.ballots.test_blocs import _blocs_on
from tests.ballots.test_blocs_cases import DAY, HOUR, START
from tests.ballots.test_blocs_lone import CALLED, LIKED, _sittings
from tests.ballots.test_blocs_lone_bar import _alone

PUSHED = 20
ALONE = range(40000, 40014)  # fourteen voters rate talk 20 alone, half an hour apart
IN_SITTINGS = range(41000, 41004)  # four more in the same hours, each a minute after rating three other talks
STRONGEST = BlocRule(lone_order="strongest")  # the rule before round 40


def _campaign(*, seed: int = 40, apart: int = HOUR // 2, sitters=IN_SITTINGS, span: int = 7 * HOUR, jitter: int = 600):
    """Round 31's conference (its call on talk 5, its liked talk 6), and on day 2 from 10:00 a campaign for
    talk 20: fourteen of its voters rate it alone, `apart` seconds apart (each rates six other talks in a sitting
    of their own on day 8), and `sitters` rate it within a short sitting of their own (three other talks a minute
    apart just before), spread evenly over `span` seconds: by default four over the same seven hours."""
    case, _ = _sittings()
    rng = random.Random(seed)
    first = START + 2 * DAY + 10 * HOUR
    _alone(case, rng, PUSHED, ALONE, first, apart)
    others = [t for t in range(1, case.n_talks + 1) if t not in (CALLED, LIKED, PUSHED)]
    for i, v in enumerate(sitters):
        case.add_voter(v)
        when = first + i * span // len(sitters) + rng.randrange(jitter)
        for j, t in enumerate(rng.sample(others, 3)):
            case.vote(v, t, rng.choice([1, 2, 3]), when - 60 * (j + 1))
        case.vote(v, PUSHED, 2, when)
    return case


def _pushed(data, rule: BlocRule):
    """The findings on talk 20's upward ratings, in the merge's order."""
    _, findings = findings_collect(data, rule)
    return in_order([f for f in findings if int(data.talk_ids[f.talk]) == PUSHED], rule.lone_order)


def _members(data, findings) -> set[int]:
    return {int(v) for f in findings for v in data.voter_ids[f.members]}


def test_the_lone_window_is_the_stronger_and_the_site_wide_burst_holds_every_campaign_voter():
    data = _campaign().build()
    lone, site = _pushed(data, STRONGEST)
    assert lone.lone_minutes and not site.lone_minutes
    assert lone.log_p < site.log_p <= site.log_bar  # both pass; the lone window is the more unusual
    assert _members(data, [lone]) == set(ALONE)
    assert _members(data, [site]) >= {*ALONE, *IN_SITTINGS}


def test_under_strongest_the_bloc_loses_the_campaign_s_voters_in_sittings():
    data = _campaign().build()
    (bloc,) = [b for b in _blocs_on(blocs_detect(data, STRONGEST), PUSHED) if b.direction == "support"]
    assert set(ALONE) <= set(bloc.member_ids)
    assert not set(IN_SITTINGS) & set(bloc.member_ids)


@pytest.mark.parametrize("order", ["after_burst", "apart"])
def test_under_after_burst_or_apart_the_bloc_keeps_every_campaign_voter(order):
    data = _campaign().build()
    rule = BlocRule(lone_order=order, burst_sittings="whole")  # round 40's values
    first, then = _pushed(data, rule)
    site, lone = (first, then) if order == "after_burst" else (then, first)
    assert not site.lone_minutes and lone.lone_minutes
    (bloc,) = [b for b in _blocs_on(blocs_detect(data, rule), PUSHED) if b.direction == "support"]
    assert {*ALONE, *IN_SITTINGS} <= set(bloc.member_ids)
    # The site-wide burst comes in whole, as when no lone test runs: its window's honest voters too.
    assert set(bloc.member_ids) == _members(data, [site])
    ignored = BlocRule(lone_votes="ignored")
    (before,) = [b for b in _blocs_on(blocs_detect(data, ignored), PUSHED) if b.direction == "support"]
    assert before.member_ids == bloc.member_ids


def test_the_order_moves_a_lone_window_only_after_a_site_wide_burst_it_shares_voters_with():
    """And the follow-up family and the merge give the same answer whatever order the findings come in."""
    data = _campaign().build()
    rule = BlocRule(lone_order="after_burst", burst_sittings="whole")
    _, findings = findings_collect(data, rule)
    lone = [f for f in findings if f.lone_minutes]
    site = [f for f in findings if f.signal == "burst" and not f.lone_minutes]
    for f in lone:
        on_target = [g for g in findings if (g.talk, g.direction) == (f.talk, f.direction)]
        shares = any(set(f.members.tolist()) & set(g.members.tolist()) for g in site if g in on_target)
        old, new = in_order(on_target, "strongest"), in_order(on_target, "after_burst")
        if not shares:  # a campaign the site-wide test does not see keeps its place
            assert [id(g) for g in old] == [id(g) for g in new]
    # The follow-up family counts the questions in the order the merge asks them.
    targets = {}
    for f in findings:
        targets.setdefault((f.talk, f.direction), []).append(f)
    for order in ("after_burst", "apart"):
        rule = BlocRule(lone_order=order, burst_sittings="whole")
        ordered = [in_order(fs, order) for fs in targets.values()]
        count = follow_up_count(ordered, ordered=True, lone=order)
        assert count == follow_up_count(list(targets.values()), lone=order)
        for fs in ordered:
            admitted = [f.members.tolist() for f in findings_admit(fs, rule, count, ordered=True)]
            assert admitted == [f.members.tolist() for f in findings_admit(fs[::-1], rule, count)]


def test_under_apart_a_finding_over_all_votes_is_asked_only_against_the_findings_over_all_votes():
    """The site-wide burst shares voters with the stronger lone window only: under `apart` it is no question of
    the follow-up family (it comes in whole, `burst_sittings: whole`), under `strongest` it is one (and fails)."""
    data = _campaign().build()
    for order, asked in (("strongest", 1), ("apart", 0)):
        findings = _pushed(data, BlocRule(lone_order=order, burst_sittings="whole"))
        assert follow_up_count([findings], ordered=True, lone=order) == asked


def test_the_key_is_validated_and_is_apart_by_default():
    assert BlocRule().lone_order == "apart"  # since round 41, with burst_sittings: tested
    for order in ("after_burst", "strongest"):
        assert BlocRule.from_json({"lone_order": order}).to_json()["lone_order"] == order
    with pytest.raises(ValueError, match="lone_order must be one of"):
        BlocRule.from_json({"lone_order": "first"})


@pytest.mark.parametrize("order", ["after_burst", "apart"])
def test_the_merge_is_deterministic_whatever_the_order_of_the_input(order):
    case = _campaign()
    rule = BlocRule(lone_order=order)
    assert blocs_detect(case.shuffled(5).build(), rule).blocs == blocs_detect(case.build(), rule).blocs
