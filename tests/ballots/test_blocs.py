"""Each bloc signal on small hand-made conferences: the bloc is found, and an honest look-alike is not."""

import random

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts, VoterFacts, bloc_input_build
from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case


def _blocs_on(report, talk_id):
    return [b for b in report.blocs if b.talk_id == talk_id]


def _normal_ballot(case: Case, v: int, rng: random.Random, skip: int, n: int = 8) -> None:
    for t in rng.sample([t for t in range(1, case.n_talks + 1) if t != skip], n):
        case.vote(v, t, rng.choice([0, 1, 1, 2, 2, 3]), START + rng.randrange(10 * DAY))


def test_shared_order_ring_is_found_and_an_honest_group_order_is_not():
    case, rng = Case(), random.Random(1)
    for v in range(1001, 1013):  # 12 people on one order push talk 5, spread over the vote
        case.add_voter(v, order="RING1")
        _normal_ballot(case, v, rng, skip=5)
        case.vote(v, 5, 3, START + rng.randrange(10 * DAY))
    for v in range(2001, 2013):  # 12 people on another order vote like everyone else
        case.add_voter(v, order="GROUP2")
        _normal_ballot(case, v, rng, skip=-1)
    report = blocs_detect(case.build())
    (bloc,) = _blocs_on(report, 5)
    assert "order" in bloc.signals and bloc.direction == "support"
    assert set(bloc.member_ids) == set(range(1001, 1013))
    order_evidence = next(e for e in bloc.evidence if e.signal == "order")
    assert order_evidence.sentence.startswith("12 of the 12 voters on ticket order RING1 give this talk the top score")
    assert order_evidence.observed == 12 and order_evidence.expected < 2.0
    assert not any(set(b.member_ids) & set(range(2001, 2013)) for b in report.blocs)


def test_colleagues_of_the_speaker_are_found_by_domain_or_company():
    case, rng = Case(), random.Random(2)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("initech.example",), speaker_companies=("Initech",))
    for v in range(1001, 1006):  # known by their work email
        case.add_voter(v, domain="initech.example")
    for v in range(1006, 1011):  # private email, but the company field says it
        case.add_voter(v, company="  INITECH ")
    for v in range(1001, 1011):
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    for v in range(2001, 2021):  # colleagues at another company who do not push anything
        case.add_voter(v, domain="globex.example")
        _normal_ballot(case, v, rng, skip=-1)
    report = blocs_detect(case.build())
    (bloc,) = _blocs_on(report, 7)
    assert bloc.colleagues_of_speaker
    assert set(bloc.member_ids) == set(range(1001, 1011))
    sentences = " ".join(e.sentence for e in bloc.evidence)
    assert "the speaker's organisation" in sentences and "initech" in sentences
    assert not any(set(b.member_ids) & set(range(2001, 2021)) for b in report.blocs)


def test_free_mail_domains_are_not_companies():
    case, rng = Case(), random.Random(3)
    case.talks[8] = TalkFacts(talk_id=8, speaker_email_domains=("freemail.example",))
    for v in range(1001, 1011):  # ten free-mail users like talk 8 a bit more than most, spread out
        case.add_voter(v)
        _normal_ballot(case, v, rng, skip=8)
        case.vote(v, 8, 3, START + rng.randrange(10 * DAY))
    data = case.build()
    assert (data.voter_domain == -1).all() and data.domain_labels == ()
    report = blocs_detect(data)
    assert not any({"colleagues", "affiliation"} & set(b.signals) for b in report.blocs)


def test_a_burst_is_found_and_an_equally_large_crowd_spread_over_the_vote_is_not():
    def conference(burst: bool):
        case, rng = Case(), random.Random(4)
        for v in range(1001, 1016):
            case.add_voter(v)
            _normal_ballot(case, v, rng, skip=9)
            at = START + 3 * DAY + rng.randrange(2 * HOUR) if burst else START + rng.randrange(10 * DAY)
            case.vote(v, 9, 3, at)
        return blocs_detect(case.build())

    (bloc,) = _blocs_on(conference(burst=True), 9)
    assert bloc.signals == ("burst",)
    assert set(range(1001, 1016)) <= set(bloc.member_ids)
    # Fifteen top scores within two hours: the 2-hour window, top-score test, is the most convincing.
    assert bloc.evidence[0].sentence.startswith("15 votes giving it the top score in 2 hours from")
    assert "expected from the talk's share of all votes and site-wide activity" in bloc.evidence[0].sentence
    assert _blocs_on(conference(burst=False), 9) == []


def test_a_reminder_email_spike_creates_no_false_burst():
    """Half of everyone's votes arrive in the two hours after a reminder: busy, but not a bloc."""
    case, rng = Case(n_voters=400, seed=5), random.Random(5)
    reminder = START + 5 * DAY
    for (v, t), (score, _) in list(case.votes.items()):
        if v % 2 == 0:
            case.vote(v, t, score, reminder + rng.randrange(2 * HOUR))
    data = case.build()
    spike = (data.vote_at >= reminder) & (data.vote_at < reminder + 2 * HOUR)
    per_talk = np.bincount(data.vote_talk[spike & (data.vote_score >= 2)])
    assert per_talk.max() >= 15  # a flat-rate model would call this a burst
    assert blocs_detect(data).blocs == ()


def test_narrow_ballots_rating_only_one_talk_are_found():
    case, rng = Case(), random.Random(6)
    for v in range(1001, 1016):  # new accounts, each rating talk 11 only, spread over the vote
        case.add_voter(v, weight=0.5)
        case.vote(v, 11, 3, START + rng.randrange(10 * DAY))
    (bloc,) = _blocs_on(blocs_detect(case.build()), 11)
    assert "narrow" in bloc.signals
    assert set(bloc.member_ids) == set(range(1001, 1016))
    assert bloc.weight == 7.5
    assert any(e.sentence.startswith("15 voters who rated no more than 2 talks in all") for e in bloc.evidence)


def test_nearly_identical_ballots_are_found_on_every_talk_they_share():
    case, rng = Case(), random.Random(7)
    ballot = {12: 3, 13: 0, 14: 3, 15: 1, 16: 2, 17: 0, 18: 3, 19: 1}
    for i, v in enumerate(range(1001, 1007)):
        case.add_voter(v, weight=0.0)
        mine = dict(ballot)
        if i % 2:
            mine.pop(13 + i)  # each odd puppet leaves one talk out
        when = START + rng.randrange(10 * DAY)
        for t, s in mine.items():
            case.vote(v, t, s, when + 30 * t)
    report = blocs_detect(case.build())
    similar = [b for b in report.blocs if "similar" in b.signals]
    assert {b.talk_id for b in similar} == set(ballot)
    assert {b.direction for b in similar if b.talk_id == 12} == {"support"}
    assert {b.direction for b in similar if b.talk_id == 13} == {"oppose"}
    assert {b.direction for b in similar if b.talk_id == 15} == {"alike"}
    assert all(set(b.member_ids) <= set(range(1001, 1007)) for b in similar)
    assert set(next(b for b in similar if b.talk_id == 12).member_ids) == set(range(1001, 1007))


def test_organised_down_voting_is_an_opposition_bloc():
    case, rng = Case(), random.Random(8)
    for v in range(1001, 1013):
        case.add_voter(v, order="RIVALS")
        _normal_ballot(case, v, rng, skip=3)
        case.vote(v, 3, 0, START + rng.randrange(10 * DAY))
    (bloc,) = _blocs_on(blocs_detect(case.build()), 3)
    assert bloc.direction == "oppose" and "order" in bloc.signals
    assert set(bloc.member_ids) == set(range(1001, 1013))
    assert "rate this talk down" in bloc.evidence[0].sentence


def test_signals_can_be_switched_off_by_the_rule():
    case, rng = Case(), random.Random(1)
    for v in range(1001, 1013):
        case.add_voter(v, order="RING1")
        _normal_ballot(case, v, rng, skip=5)
        case.vote(v, 5, 3, START + rng.randrange(10 * DAY))
    data = case.build()
    assert _blocs_on(blocs_detect(data), 5)
    assert _blocs_on(blocs_detect(data, BlocRule(signals=("burst", "narrow"))), 5) == []


def test_detection_is_deterministic_whatever_the_input_order():
    case, rng = Case(), random.Random(9)
    for v in range(1001, 1013):
        case.add_voter(v, order="RING1")
        _normal_ballot(case, v, rng, skip=5)
        case.vote(v, 5, 3, START + 2 * DAY + rng.randrange(HOUR))
    first = blocs_detect(case.build())
    shuffled = Case()
    keys = list(case.votes)
    random.Random(10).shuffle(keys)
    shuffled.votes = {k: case.votes[k] for k in keys}
    voters = list(case.voters.values())
    random.Random(11).shuffle(voters)
    shuffled.voters = {v.voter_id: v for v in voters}
    shuffled.talks = dict(reversed(list(case.talks.items())))
    second = blocs_detect(shuffled.build())
    assert first.blocs and repr(first) == repr(second)


def test_votes_must_refer_to_described_voters():
    case = Case(n_voters=5, n_talks=5, ratings=2)
    case.votes[(99, 1)] = (3, START)
    try:
        case.build()
    except ValueError as exc:
        assert "described voter" in str(exc)
    else:
        raise AssertionError("a vote by an unknown voter was accepted")
    assert VoterFacts(voter_id=1, weight=1.0).email_domain == ""


def test_one_vote_per_voter_and_talk():
    case = Case(n_voters=5, n_talks=5, ratings=2)
    data = case.build()
    with pytest.raises(ValueError, match="at most one vote per talk"):
        bloc_input_build(
            voter_ids=[1, 1],
            talk_ids=[2, 2],
            scores=[3, 0],
            at_seconds=[START, START + 5],
            voters=list(case.voters.values()),
            talks=list(case.talks.values()),
            scale=data.scale,
        )
