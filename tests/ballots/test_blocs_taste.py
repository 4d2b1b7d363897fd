"""`taste: rings` (docs/blocs.md, round 30): a puppet ring whose members also rate up, as a group
test would flag, at least two of the talk's neighbours (of the ten talks most co-rated with it by
everyone else, those co-rated beyond chance) shares a taste for the talk's topic, and its finding rating
that talk up is dropped. A ring pushing
one talk, with its cover votes spread over other topics, is kept. `rings` is an option; `ignored` (the
default) keeps every ring finding."""

import random

import numpy as np
import pytest

from apps.ballots.domain.blocs import bloc_discounts, blocs_detect, findings_collect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_taste import MIN_LIFTED, lifted_neighbours, neighbours, taste_build
from tests.ballots.test_blocs_cases import DAY, START, Case

TRACKS, PER_TRACK = 4, 10  # talks 1-10 are track 0, 11-20 track 1, ...
FANS_TALKS = (1, 2, 3, 4, 5)  # five talks of track 0 that a niche club all rate up
PUSHED = 25  # a talk of track 2
COVER = (8, 18, 33, 38)  # the push's cover votes: one or two talks of every other track
FANS = range(5001, 5013)
PUSH = range(6001, 6013)
# The ring test alone, without round 29's score check (which already clears these fans, who score their
# topic by their own judgement): this file tests what `taste` adds.
RINGS = {"signals": ["similar"], "ring_score_null": "none"}


def _track(t: int) -> int:
    return (t - 1) // PER_TRACK


def _case() -> Case:
    """300 honest voters each with a favourite track: six ratings there and two elsewhere (so a talk's
    neighbours are its track's talks). Twelve fans of track 0 rate the same five of its talks up, with
    two honest ratings of their own elsewhere. Twelve accounts push talk 25 with the top score and add
    the same cover votes on four talks of the other tracks."""
    case, rng = Case(n_talks=TRACKS * PER_TRACK), random.Random(31)
    case.votes.clear()
    for v in range(1, case.n_voters + 1):
        k = rng.randrange(TRACKS)
        mine = rng.sample([t for t in range(1, case.n_talks + 1) if _track(t) == k], 6)
        mine += rng.sample([t for t in range(1, case.n_talks + 1) if _track(t) != k], 2)
        for t in mine:
            case.vote(v, t, rng.choice([0, 1, 1, 2, 2, 3]), START + rng.randrange(10 * DAY))
    for v in FANS:
        case.add_voter(v)
        when = START + rng.randrange(10 * DAY)
        for t in FANS_TALKS:
            case.vote(v, t, rng.choice([2, 3]), when + 600 * t)
        for t in rng.sample(range(11, 41), 2):
            case.vote(v, t, rng.choice([0, 1, 2]), START + rng.randrange(10 * DAY))
    for v in PUSH:
        case.add_voter(v)
        when = START + rng.randrange(10 * DAY)
        case.vote(v, PUSHED, 3, when)
        for t in COVER:
            case.vote(v, t, 2, when + 60 * t)
    return case


def _conference():
    return _case().build()


def _members_on(report, talk_id: int) -> set[int]:
    return {v for b in report.blocs if b.talk_id == talk_id and b.direction == "support" for v in b.member_ids}


def test_a_ring_of_fans_rating_a_topic_is_left_alone_and_a_one_talk_push_is_found():
    data = _conference()
    before = blocs_detect(data, BlocRule.from_json({**RINGS, "taste": "ignored"}))
    after = blocs_detect(data, BlocRule.from_json({**RINGS, "taste": "rings"}))
    # Without the control the fans are a puppet ring on each of their five talks.
    for t in FANS_TALKS:
        assert set(FANS) <= _members_on(before, t)
        assert not set(FANS) & _members_on(after, t)
    # The push is found on its talk either way, with the same members and bound.
    assert set(PUSH) <= _members_on(before, PUSHED)
    assert _members_on(after, PUSHED) == _members_on(before, PUSHED)
    pushed_before = [b for b in before.blocs if b.talk_id == PUSHED]
    pushed_after = [b for b in after.blocs if b.talk_id == PUSHED]
    assert [(b.key, b.fair_share) for b in pushed_after] == [(b.key, b.fair_share) for b in pushed_before]
    # The fans' votes keep their weight; the push's lose it.
    discounts = bloc_discounts(after.blocs, after.rule)
    discounted = {int(v) for v, m in zip(discounts.voter_ids, discounts.multipliers, strict=True) if m < 1}
    assert not set(FANS) & discounted
    assert set(PUSH) <= discounted


def test_the_fans_lift_their_topic_and_the_push_lifts_nothing_around_its_talk():
    data = _conference()
    ctx, findings = findings_collect(data, BlocRule.from_json({**RINGS, "taste": "ignored"}))
    taste = taste_build(ctx)
    pos = {int(t): i for i, t in enumerate(data.talk_ids)}
    # A talk's neighbours are talks of its own track (co-rated by the background voters' favourites
    # beyond chance); no talk of another track is co-rated with it beyond chance.
    nb = neighbours(taste, pos[1], np.array([], dtype=np.int64))
    assert len(nb) >= 5
    assert {_track(int(data.talk_ids[i])) for i in nb} == {0}
    fans = [f for f in findings if f.signal == "similar" and int(data.talk_ids[f.talk]) in FANS_TALKS]
    push = [f for f in findings if f.signal == "similar" and int(data.talk_ids[f.talk]) == PUSHED]
    assert fans and push
    # Each fans' finding: at least MIN_LIFTED (two) of the club's other four talks are lifted
    # neighbours; the push's findings lift fewer, on its talk none of its track's talks.
    assert all(lifted_neighbours(ctx, taste, f) >= MIN_LIFTED for f in fans)
    cover = [f for f in findings if f.signal == "similar" and int(data.talk_ids[f.talk]) in COVER]
    assert cover and all(lifted_neighbours(ctx, taste, f) < MIN_LIFTED for f in cover)
    assert all(lifted_neighbours(ctx, taste, f) == 0 for f in push)


def test_in_a_conference_without_topics_a_ring_pushing_several_talks_is_not_a_taste():
    """Background voters rating talks at random: no talk is co-rated with another beyond chance, so a
    ring rating four talks up keeps its findings on all four."""
    case, rng = Case(), random.Random(12)
    ballot = {12: 3, 14: 3, 16: 2, 18: 3}
    for v in range(7001, 7009):
        case.add_voter(v)
        when = START + rng.randrange(10 * DAY)
        for t, score in ballot.items():
            case.vote(v, t, score, when + 30 * t)
    data = case.build()
    ctx, _ = findings_collect(data, BlocRule.from_json({**RINGS, "taste": "ignored"}))
    taste = taste_build(ctx)
    assert all(len(neighbours(taste, t, np.array([], dtype=np.int64))) <= 1 for t in range(data.n_talks))
    before = blocs_detect(data, BlocRule.from_json({**RINGS, "taste": "ignored"}))
    after = blocs_detect(data, BlocRule.from_json({**RINGS, "taste": "rings"}))
    for t in ballot:
        assert set(range(7001, 7009)) <= _members_on(before, t)
    assert after.blocs == before.blocs


def test_taste_is_deterministic_whatever_order_the_votes_come_in():
    rule = BlocRule.from_json({"taste": "rings"})
    first = blocs_detect(_conference(), rule)
    assert not set(FANS) & _members_on(first, FANS_TALKS[0])
    for seed in (1, 2):
        assert blocs_detect(_case().shuffled(seed).build(), rule) == first


def test_the_taste_key_is_validated_and_kept_in_the_rule():
    assert BlocRule().taste == "ignored"  # an option (fresh2 large: a speaker cartel)
    assert BlocRule.from_json({"taste": "rings"}).to_json()["taste"] == "rings"
    assert BlocRule.from_json({"taste": "ignored"}).taste == "ignored"
    with pytest.raises(ValueError, match="taste must be one of"):
        BlocRule.from_json({"taste": "groups"})
