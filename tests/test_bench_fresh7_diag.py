"""The what-if of bench/blocs_fresh7_diag.py --record-mailing: the mailing it records is the world's own
(each batch's six featured talks, at the batch's pre-registered sending time, 15:00 UTC on days 1 to 5),
and detection then leaves the mailing's readers their weight. Pure numpy, no database."""

from __future__ import annotations

import numpy as np
import pytest

from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_fresh4_diag import with_promotions
from bench.blocs_fresh7 import DAY, HOUR, OPENS, fresh7_conference
from bench.blocs_fresh7_diag import mailing_picks
from bench.blocs_quality import detect_with_discounts


@pytest.mark.parametrize("size", ["small", "medium"])
def test_the_mailing_recorded_is_the_worlds(size):
    conf = fresh7_conference(size, 1)
    batches = [g for g in conf.honest_groups if g.kind == "unrecorded_mailing"]
    picks = mailing_picks(conf)
    assert [t for t, _ in picks] == [int(t) for g in batches for t in g.talk_ids]
    assert len(picks) == 6 * len(batches)
    times = sorted({at for _, at in picks})
    assert all((at - (OPENS - OPENS % DAY)) % DAY == 15 * HOUR for at in times)
    assert times[0] > OPENS and times[-1] < OPENS + 7 * DAY
    # Every batch's readers rate its talks after it: the first of their votes since the sending time is
    # within the hours a promotion explains.
    data = conf.data
    voters, talks = data.voter_ids[data.vote_voter], data.talk_ids[data.vote_talk]
    for group in batches:
        sent = next(at for t, at in picks if t == int(group.talk_ids[0]))
        on = np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids) & (data.vote_at >= sent)
        assert on.any() and (data.vote_at[on] - sent).min() < BlocRule().promotion_hours * HOUR


def test_recording_the_mailing_clears_its_readers():
    conf = fresh7_conference("small", 1)
    data = conf.data
    voters, talks = data.voter_ids[data.vote_voter], data.talk_ids[data.vote_talk]
    (group,) = [g for g in conf.honest_groups if g.kind == "unrecorded_mailing"]
    readers = conf.honest & np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids)
    _, before, _ = detect_with_discounts(data, BlocRule())
    _, after, _ = detect_with_discounts(with_promotions(data, mailing_picks(conf)), BlocRule())
    assert (before & readers).sum() > 0
    assert (after & readers).sum() < (before & readers).sum() / 4
