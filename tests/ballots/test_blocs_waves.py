"""Round 8 (docs/blocs.md): a campaign in waves. Every burst on a talk that shares no vote with a more
unusual one is reported; once one burst on a talk and way passed the signal's bar, its other windows
are asked again against alpha / (the windows on those talks), and the waves of one talk are one bloc.
Under `bursts: strongest` (policies stored before round 8) only the most unusual window counts."""

import random

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_bursts import burst_findings
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import context_build
from tests.ballots.test_blocs import _blocs_on, _normal_ballot
from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case

TALK = 9


def _waves(waves: list[tuple[int, int]], spread: int = 0):
    """The honest background plus, per (day, n), n new voters who give talk 9 the top score within 30
    minutes from 10:00 that day (ballots otherwise normal), and `spread` more who give it the top
    score at random times over the vote."""
    case, rng = Case(), random.Random(8)
    v = 1000
    for day, n in waves:
        for j in range(n):
            v += 1
            case.add_voter(v)
            _normal_ballot(case, v, rng, skip=TALK)
            case.vote(v, TALK, 3, START + day * DAY + 10 * HOUR + j * 1800 // n)
    for _ in range(spread):
        v += 1
        case.add_voter(v)
        _normal_ballot(case, v, rng, skip=TALK)
        case.vote(v, TALK, 3, START + rng.randrange(10 * DAY))
    return case.build()


def test_a_campaign_in_two_waves_is_one_bloc_with_both_waves():
    data = _waves([(2, 6), (6, 5)])
    (bloc,) = _blocs_on(blocs_detect(data), TALK)
    assert bloc.member_ids == tuple(range(1001, 1012))
    assert bloc.signals == ("burst",)
    # One sentence per wave (the top-score window of each; its upward window is the same votes), the
    # stronger first.
    first, second = (e.sentence for e in bloc.evidence)
    assert first.startswith("6 votes giving it the top score in 1 hours from 2026-03-04 18:00 UTC")
    assert second.startswith("5 votes giving it the top score in 1 hours from 2026-03-08 18:00 UTC")
    # As before round 8: only the first wave.
    (strongest,) = _blocs_on(blocs_detect(data, BlocRule(bursts="strongest")), TALK)
    assert strongest.member_ids == tuple(range(1001, 1007))


def test_the_second_wave_passes_only_because_the_first_is_established():
    """Alone, the wave of five misses the signal's bar; beside the wave of six it is asked again among
    the windows of talk 9 only, against alpha / (those windows), counted here by hand."""
    assert _blocs_on(blocs_detect(_waves([(6, 5)])), TALK) == []
    data = _waves([(2, 6), (6, 5)])
    findings = [f for f in burst_findings(context_build(data, BlocRule())) if data.talk_ids[f.talk] == TALK]
    first, *again = sorted(findings, key=lambda f: f.log_p)
    signal_bar = first.log_bar
    on_talk = data.vote_talk == np.searchsorted(data.talk_ids, TALK)
    windows = 5 * (int((on_talk & (data.vote_score >= 2)).sum()) + int((on_talk & (data.vote_score == 3)).sum()))
    second = [f for f in again if f.observed == 5]
    assert second and all(f.log_bar == pytest.approx(np.log(0.01 / windows)) for f in second)
    assert all(signal_bar < f.log_p <= f.log_bar for f in second)


def test_honest_votes_spread_over_the_vote_do_not_join_a_burst_as_further_waves():
    data = _waves([(2, 6)], spread=6)
    (bloc,) = _blocs_on(blocs_detect(data), TALK)
    assert bloc.member_ids == tuple(range(1001, 1007))


def test_the_bursts_key_is_validated_and_kept_in_the_rule():
    assert BlocRule().bursts == "every"
    assert BlocRule.from_json({"bursts": "strongest"}).to_json()["bursts"] == "strongest"
    with pytest.raises(ValueError, match="bursts must be one of"):
        BlocRule.from_json({"bursts": "some"})
