"""Accounts' creation times reach the detection input (User.date_joined → BlocInput.voter_joined)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from apps.ballots.domain.blocs_input import TalkFacts, VoterFacts, VoteScale, bloc_input_build


def test_joined_times_are_per_voter_and_unknown_is_minus_one():
    data = bloc_input_build(
        voter_ids=[3, 1],
        talk_ids=[10, 10],
        scores=[3, 2],
        at_seconds=[1_000.0, 2_000.0],
        voters=[VoterFacts(voter_id=3, weight=1.0, joined_at=500.7), VoterFacts(voter_id=1, weight=1.0)],
        talks=[TalkFacts(talk_id=10)],
        scale=VoteScale(),
    )
    assert data.voter_ids.tolist() == [1, 3]
    assert data.voter_joined.tolist() == [-1, 500]  # sorted with the voters; whole seconds
    assert data.voter_joined.dtype == np.int64


@pytest.mark.django_db
def test_the_selector_reads_when_each_voter_joined():
    from apps.ballots.selectors.blocs import bloc_input
    from apps.ballots.selectors.policies import weight_policy_current
    from tests.factories import ConferenceFactory, TalkFactory, UserFactory, VoteFactory

    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    when = dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC)
    early, late = UserFactory(date_joined=when), UserFactory(date_joined=when + dt.timedelta(days=2))
    VoteFactory(user=early, talk=talk, score=3)
    VoteFactory(user=late, talk=talk, score=1)
    data = bloc_input(conference=conference, policy=weight_policy_current(conference=conference))
    joined = dict(zip(data.voter_ids.tolist(), data.voter_joined.tolist(), strict=True))
    assert joined == {early.pk: int(when.timestamp()), late.pk: int(when.timestamp()) + 2 * 86400}
