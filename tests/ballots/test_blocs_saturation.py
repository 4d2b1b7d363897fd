"""Light voters on a talk that nearly every heavy voter rates: the prediction accounts for heavy
voters rating each talk at most once, so an honest crowd of light voters there is not a bloc, while a
narrow ring of the same size on an ordinary talk still is."""

import random

import numpy as np

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_saturation import light_voter_chances
from tests.ballots.test_blocs_cases import DAY, START, Case


def test_a_one_talk_voter_picks_a_saturated_talk_more_often_than_its_share_of_votes():
    # 100 heavy voters with 10 ratings of 20 talks: every one of them rates talk 0, the rest evenly.
    talk_votes = np.array([100.0] + [900.0 / 19] * 19)
    chances = light_voter_chances(talk_votes, np.full(100, 10), np.array([1, 2]))
    share = talk_votes[0] / talk_votes.sum()  # 0.1
    assert chances[0, 0] > 2 * share
    assert np.allclose(chances.sum(axis=1), [1.0, 2.0])
    assert np.allclose(chances[:, 1:], chances[:, 1:2])  # the other talks are alike


def test_without_heavy_voters_the_chance_is_the_share_of_votes():
    talk_votes = np.array([30.0, 10.0, 0.0])
    chances = light_voter_chances(talk_votes, np.array([], dtype=np.int64), np.array([1]))
    assert np.allclose(chances, [[0.75, 0.25, 0.0]])


def _headline_conference(light_on_headline: int, ring_talk: int | None):
    """Every background voter also rates talk 1 (the keynote everyone rates); 30 light voters rate
    one talk each, `light_on_headline` of them the keynote and the rest spread over other talks."""
    case, rng = Case(), random.Random(11)
    for v in range(1, case.n_voters + 1):
        case.vote(v, 1, rng.choice([2, 3]), START + rng.randrange(10 * DAY))
    for i, v in enumerate(range(1001, 1031)):
        case.add_voter(v)
        talk = 1 if i < light_on_headline else rng.randrange(2, case.n_talks + 1)
        case.vote(v, talk, rng.choice([2, 3]), START + rng.randrange(10 * DAY))
    if ring_talk is not None:  # a narrow ring: 12 accounts that rate one ordinary talk only
        for v in range(2001, 2013):
            case.add_voter(v)
            case.vote(v, ring_talk, 3, START + rng.randrange(10 * DAY))
    return case.build()


def test_an_honest_crowd_of_light_voters_on_the_keynote_is_not_a_bloc():
    # 12 of 30 light voters pick the keynote: its share of all votes (300 of 2,700) would predict 3.3,
    # but a voter who rates one talk picks the talk that every heavy voter rates far more often.
    report = blocs_detect(_headline_conference(light_on_headline=12, ring_talk=None))
    assert not [b for b in report.blocs if b.talk_id == 1]


def test_an_equally_large_narrow_ring_on_an_ordinary_talk_is_still_found():
    report = blocs_detect(_headline_conference(light_on_headline=12, ring_talk=17))
    (bloc,) = [b for b in report.blocs if b.talk_id == 17]
    assert "narrow" in bloc.signals and set(range(2001, 2013)) <= set(bloc.member_ids)
    assert not [b for b in report.blocs if b.talk_id == 1]
