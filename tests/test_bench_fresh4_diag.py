"""The what-if of bench/blocs_fresh4_diag.py --record-vendor-pushes: the app vendor's trending pushes it
records are the world's own (the talks the generator picks from its seed, at the pushes' times, before
the pushed votes), adding them keeps the organizers' recorded pushes, and detection then leaves the
pushed votes their weight. Pure numpy, no database."""

from __future__ import annotations

import numpy as np
import pytest

from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_fresh4 import DAY, DAY0, HOUR, SIZES, TRENDING, _honest, fresh4_conference
from bench.blocs_fresh4_diag import vendor_pushes, with_promotions
from bench.blocs_quality import detect_with_discounts


@pytest.fixture(scope="module")
def small():
    return fresh4_conference("small", 1)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vendor_pushes_are_the_worlds(seed):
    conf = fresh4_conference("small", seed)
    pushes = vendor_pushes(conf)
    # The generator's own choice, drawn again from the seed: the talks of highest title appeal, in turn.
    world = _honest(np.random.default_rng([seed, list(SIZES).index("small"), 40]), "small")
    assert [t for t, _ in pushes] == (np.argsort(-world.appeal)[: len(TRENDING)] + 1).tolist()
    assert [at for _, at in pushes] == [DAY0 + d * DAY + h * HOUR for d, h in TRENDING]
    data = conf.data
    voters = data.voter_ids[data.vote_voter]
    talks = data.talk_ids[data.vote_talk]
    groups = [g for g in conf.honest_groups if g.kind == "trending_push"]
    for group, (talk, at) in zip(groups, pushes, strict=True):
        mine = np.isin(voters, group.member_ids)
        assert set(talks[mine & np.isin(talks, group.talk_ids)].tolist()) == {talk}
        on = mine & (talks == talk)
        assert on.sum() == len(group.member_ids)  # every member rated the pushed talk
        delay = data.vote_at[on] - at
        assert (delay > 0).all() and (delay < BlocRule().promotion_hours * HOUR).all()  # after it, within its hours


def test_with_promotions_adds_the_pushes_and_keeps_the_recorded_ones(small):
    data = small.data
    pushes = vendor_pushes(small)
    recorded = data.talk_promoted.copy()
    out = with_promotions(data, pushes)
    before = {tuple(r) for r in data.talk_promoted.tolist()}
    after = [tuple(r) for r in out.talk_promoted.tolist()]
    assert after == sorted(after) and len(set(after)) == len(after)
    added = {(int(np.searchsorted(data.talk_ids, t)), at) for t, at in pushes}
    assert set(after) == before | added and not before & added
    assert with_promotions(out, pushes).talk_promoted.tolist() == out.talk_promoted.tolist()  # each pair once
    assert np.array_equal(out.vote_at, data.vote_at) and np.array_equal(data.talk_promoted, recorded)  # a copy
    with pytest.raises(ValueError, match="not in the conference"):
        with_promotions(data, ((int(data.talk_ids.max()) + 1, pushes[0][1]),))


def test_recorded_pushes_keep_their_votes_weight(small):
    data = small.data
    voters = data.voter_ids[data.vote_voter]
    talks = data.talk_ids[data.vote_talk]
    pushed = np.zeros(len(voters), dtype=bool)
    for group in small.honest_groups:
        if group.kind == "trending_push":
            pushed |= np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids)
    rule = BlocRule()
    unrecorded, _, _ = detect_with_discounts(data, rule)
    recorded, _, _ = detect_with_discounts(with_promotions(data, vendor_pushes(small)), rule)
    assert (unrecorded[pushed] < 1.0).sum() > 0.3 * pushed.sum()  # unrecorded, a burst takes them
    assert (recorded[pushed] < 1.0).sum() == 0
