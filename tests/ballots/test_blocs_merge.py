"""Round 6 (docs/blocs.md): who a bloc takes in. A finding that shares voters with a stronger one on the
same talk and way brings in its other voters only when they are themselves more than chance, so an
honest "want to see" cast inside a colleague bloc's burst, or an honest friend on the ticket order of
some of its members, stays out, while a bloc whose members split over scores or orders stays whole.
And under false-discovery control a signal's findings on one talk count once: a bloc booked in three
orders does not lower the bar for a weaker finding elsewhere by three steps."""

import random

import pytest

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts
from tests.ballots.test_blocs import _blocs_on, _normal_ballot
from tests.ballots.test_blocs_cases import DAY, START, Case

COLLEAGUES = tuple(range(1001, 1011))


def _colleague_burst(n_top: int, honest: int):
    """`n_top` colleagues of talk 7's speaker give it the top score one every 10 minutes on day 6;
    `honest` other people (free mail, no order) rate it 'want to see' inside that hour and a half."""
    case, rng = Case(), random.Random(3)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("initech.example",))
    for v in range(1001, 1001 + n_top):
        case.add_voter(v, domain="initech.example")
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + 6 * DAY + (v - 1001) * 600)
    for v in range(2001, 2001 + honest):
        case.add_voter(v)
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 2, START + 6 * DAY + 1500 + (v - 2001) * 1200)
    return case.build()


@pytest.mark.parametrize("honest", [1, 2])
def test_an_honest_want_to_see_inside_a_colleague_burst_is_not_swept_in(honest):
    data = _colleague_burst(10, honest)
    (bloc,) = _blocs_on(blocs_detect(data), 7)
    assert bloc.member_ids == COLLEAGUES
    # Ten colleagues within an hour and a half while their company casts no other vote: also a burst
    # of one organisation (round 8).
    assert set(bloc.signals) == {"burst", "colleagues", "organisation_burst"}
    # The burst of any upward rating (12 votes) is still evidence; it just brings nobody in.
    (whole,) = _blocs_on(blocs_detect(data, BlocRule(merge="whole")), 7)
    assert set(whole.member_ids) == set(COLLEAGUES) | set(range(2001, 2001 + honest))


def test_a_bloc_whose_members_split_over_top_score_and_want_to_see_stays_whole():
    """Six colleagues give the top score and four friends 'want to see' within the same hour: four
    lower up-votes in that hour against 0.07 expected are a group of their own."""
    (bloc,) = _blocs_on(blocs_detect(_colleague_burst(6, 4)), 7)
    assert bloc.member_ids == (*range(1001, 1007), *range(2001, 2005))


def _order_beside_colleagues(on_order: int, friends: int, friends_top: int):
    """Ten colleagues of talk 7's speaker give it the top score over the whole vote; `on_order` of them
    share ticket order FRIENDS with `friends` people from their own (non-free-mail) domains, of whom
    the first `friends_top` give talk 7 the top score too."""
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("initech.example",))
    for v in COLLEAGUES:
        case.add_voter(v, domain="initech.example", order="FRIENDS" if v < 1001 + on_order else None)
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    for i, v in enumerate(range(2001, 2001 + friends)):
        case.add_voter(v, order="FRIENDS", domain=f"home{v}.example")
        _normal_ballot(case, v, rng, skip=7)
        if i < friends_top:
            case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    return case.build()


def test_an_honest_friend_on_a_bloc_members_order_is_not_merged_into_the_bloc():
    """Five of the colleagues and two friends bought together; one friend also gives talk 7 the top
    score. The order's finding (6 of its 7 voters) is the colleagues' doing: one more voter against
    0.4 expected is no evidence about the friend."""
    data = _order_beside_colleagues(on_order=5, friends=2, friends_top=1)
    (bloc,) = _blocs_on(blocs_detect(data, BlocRule(order_colleagues=False)), 7)
    assert bloc.member_ids == COLLEAGUES
    assert set(bloc.signals) == {"colleagues", "order"}
    order = next(e for e in bloc.evidence if e.signal == "order")
    assert order.sentence.startswith("6 of the 7 voters on ticket order FRIENDS give this talk the top score")
    (whole,) = _blocs_on(blocs_detect(data, BlocRule(merge="whole", order_colleagues=False)), 7)
    assert whole.member_ids == (*COLLEAGUES, 2001)
    # Round 9: the order is a booking of the speaker's organisation (five of its seven voters), so its
    # finding is a colleague finding; the friend on it is still judged as an order's extra voter.
    (bloc,) = _blocs_on(blocs_detect(data), 7)
    assert bloc.member_ids == COLLEAGUES and bloc.signals == ("colleagues",)
    assert any(
        e.sentence.startswith("6 of the 7 voters on ticket order FRIENDS, a booking of initech.example, the speaker's")
        for e in bloc.evidence
    )


def test_a_real_mixed_bloc_of_colleagues_and_their_friends_is_still_merged():
    """Four colleagues and five friends on one order all give talk 7 the top score: five more voters
    against 0.6 expected are a finding of their own, and the bloc takes them in."""
    (bloc,) = _blocs_on(blocs_detect(_order_beside_colleagues(on_order=4, friends=5, friends_top=5)), 7)
    assert bloc.member_ids == (*COLLEAGUES, *range(2001, 2006))


def test_a_bloc_booked_in_three_orders_counts_as_one_discovery():
    """Three orders of six push talk 5 (three findings, one talk); four of the seven people on order
    CLUB give talk 9 the top score (p = 1.7e-4 against about 144 order tests). Counted once per talk,
    the push is one discovery and CLUB would need the second step (1.4e-4); counted per order it
    meets the fourth (2.8e-4). The tests counted are the pairs voted on (`test_count: voted`, the
    count before round 16; Tarone's count is larger here and CLUB would miss either way)."""
    case, rng = Case(), random.Random(1)
    v = 1000
    for code in ("NORTH", "SOUTH", "WEST"):
        for _ in range(6):
            v += 1
            case.add_voter(v, order=code)
            _normal_ballot(case, v, rng, skip=5)
            case.vote(v, 5, 3, START + rng.randrange(10 * DAY))
    for i in range(7):
        v += 1
        case.add_voter(v, order="CLUB")
        _normal_ballot(case, v, rng, skip=9)
        if i < 4:
            case.vote(v, 9, 3, START + rng.randrange(10 * DAY))
    data = case.build()
    only_orders = {"signals": ["order"], "test_count": "voted"}
    per_talk = blocs_detect(data, BlocRule.from_json(only_orders)).blocs
    assert [(b.talk_id, b.size) for b in per_talk] == [(5, 6), (5, 6), (5, 6)]
    per_group = blocs_detect(data, BlocRule.from_json({**only_orders, "discovery_unit": "group"})).blocs
    assert [(b.talk_id, b.size) for b in per_group] == [(5, 6), (5, 6), (5, 6), (9, 4)]
    (club,) = _blocs_on(blocs_detect(data, BlocRule.from_json({**only_orders, "discovery_unit": "group"})), 9)
    assert 1.4e-4 < club.p_value < 2.8e-4


def test_merge_and_discovery_unit_are_part_of_the_stored_rule():
    assert (BlocRule().merge, BlocRule().discovery_unit) == ("evidenced", "talk")
    stored = BlocRule.from_json({"merge": "whole", "discovery_unit": "group"}).to_json()
    assert (stored["merge"], stored["discovery_unit"]) == ("whole", "group")
    with pytest.raises(ValueError, match="merge must be one of"):
        BlocRule.from_json({"merge": "union"})
    with pytest.raises(ValueError, match="discovery_unit must be one of"):
        BlocRule.from_json({"discovery_unit": "order"})
