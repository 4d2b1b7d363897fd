"""Round 12 (docs/blocs.md): speakers who support each other. A speaker who votes and rates another
speaker's talk up while that speaker rates theirs up in return is a conflict of interest; a ring of
speakers doing it for each other is found on every ring talk, while speakers who vote like everyone
else — including one-way support of a popular talk — are not."""

import random

import numpy as np
import pytest

from apps.ballots.domain.blocs import bloc_explanation, blocs_detect
from apps.ballots.domain.blocs_input import SIGNALS, BlocRule, TalkFacts
from tests.ballots.test_blocs import _blocs_on, _normal_ballot
from tests.ballots.test_blocs_cases import DAY, START, Case

RING = (1, 2, 3, 4)
POPULAR = 10


def speaker_of(t: int) -> int:
    return 500 + t


def _conference(*, ring: tuple[int, ...] = (), popular: bool = False, seed: int = 7) -> Case:
    """The honest background of 300 voters on 40 talks; each talk's speaker (voter 500 + t) is a voter
    with an ordinary ballot of 8 other talks. `ring`: the speakers of these talks give each other's
    talks the top score, in their own time. `popular`: 150 of the background voters give talk 10 the
    top score, and so does every other speaker, but its speaker rates as everyone does."""
    case, rng = Case(seed=seed), random.Random(seed + 100)
    if popular:
        for v in range(1, 151):
            case.vote(v, POPULAR, 3, START + rng.randrange(10 * DAY))
    for t in range(1, case.n_talks + 1):
        v = speaker_of(t)
        case.add_voter(v)
        _normal_ballot(case, v, rng, skip=t)
        case.talks[t] = TalkFacts(talk_id=t, speaker_email_domains=(f"speaker{t}.example",), speaker_voter_ids=(v,))
        if popular and t != POPULAR:
            case.vote(v, POPULAR, 3, START + rng.randrange(10 * DAY))
    for t in ring:
        for u in ring:
            if u != t:
                case.vote(speaker_of(u), t, 3, START + rng.randrange(10 * DAY))
    return case


def test_a_ring_of_four_speakers_is_found_on_each_ring_talk():
    report = blocs_detect(_conference(ring=RING).build())
    for t in RING:
        (bloc,) = _blocs_on(report, t)
        # The ring's other three, and on talk 1 also talk 29's speaker: in their ordinary ballots, 529
        # gave talk 1 the top score and 501 gave talk 29 the top score (0.06 such speakers expected).
        ring = tuple(speaker_of(u) for u in RING if u != t)
        assert bloc.member_ids == ((*ring, 529) if t == 1 else ring)
        assert bloc.signals == ("speakers",) and bloc.direction == "support"
        sentence = bloc.evidence[0].sentence
        assert sentence.startswith(
            f"{bloc.size} speakers of other talks give this talk the top score, 'must see', and its speaker "
            "gives a talk of each of them the top score in return; "
        )
        assert "expected under independent voting (p = " in sentence
        assert bloc.evidence[0].expected < 0.3 and bloc.fair_share < 1
        receipt = bloc_explanation(bloc, 0.3)
        assert f"part of a group of {bloc.size} speakers of other talks who rated it up together" in receipt
        assert not any(str(m) in receipt for m in bloc.member_ids)
    assert {b.talk_id for b in report.blocs} == set(RING)


@pytest.mark.parametrize("seed", [1, 2, 3, 7])
def test_speakers_who_vote_like_everyone_else_form_no_bloc(seed):
    assert blocs_detect(_conference(seed=seed).build()).blocs == ()


def test_a_popular_talk_that_speakers_rate_up_without_return_is_not_a_bloc():
    """Every other speaker gives talk 10 the top score, as half of the conference does; its speaker rates
    a few of their talks up as anyone would. The reciprocators on talk 10 are as many as independent
    voting puts there."""
    report = blocs_detect(_conference(popular=True).build())
    assert not any("speakers" in b.signals for b in report.blocs)


def test_the_ring_is_found_beside_one_way_support_of_a_popular_talk():
    report = blocs_detect(_conference(ring=RING, popular=True).build())
    assert {b.talk_id for b in report.blocs if "speakers" in b.signals} == set(RING)


def test_speaker_accounts_reach_the_input_only_when_they_vote():
    case = _conference()
    case.talks[5] = TalkFacts(talk_id=5, speaker_voter_ids=(speaker_of(5), 9999))  # 9999 is no voter
    case.add_voter(9998)  # described, but casts no vote
    case.talks[6] = TalkFacts(talk_id=6, speaker_voter_ids=(9998,))
    data = case.build()
    pairs = {(int(data.talk_ids[t]), int(data.voter_ids[v])) for t, v in data.talk_speaker}
    assert (5, speaker_of(5)) in pairs and all(v not in (9998, 9999) for _, v in pairs)
    assert len(pairs) == case.n_talks - 1


def test_detection_is_deterministic_whatever_the_input_order():
    case = _conference(ring=RING)
    first = blocs_detect(case.build())
    keys = list(case.votes)
    random.Random(3).shuffle(keys)
    case.votes = {k: case.votes[k] for k in keys}
    voters = list(case.voters.values())
    random.Random(4).shuffle(voters)
    case.voters = {v.voter_id: v for v in voters}
    case.talks = dict(reversed(list(case.talks.items())))
    assert blocs_detect(case.build()).blocs == first.blocs


def test_the_signal_is_one_of_the_rule_and_can_be_switched_off():
    assert "speakers" in SIGNALS and "speakers" in BlocRule().signals
    assert BlocRule.from_json({"signals": ["speakers"]}).signals == ("speakers",)
    data = _conference(ring=RING).build()
    off = BlocRule(signals=tuple(s for s in SIGNALS if s != "speakers"))
    assert blocs_detect(data, off).blocs == ()
    # Without speaker accounts (the input of other generators, or a conference whose speakers do not
    # vote) the signal has nothing to look at.
    case = _conference(ring=RING)
    case.talks = {t: TalkFacts(talk_id=t, speaker_email_domains=f.speaker_email_domains) for t, f in case.talks.items()}
    assert len(case.build().talk_speaker) == 0
    assert blocs_detect(case.build()).blocs == ()


@pytest.mark.django_db
def test_the_selector_links_speakers_to_their_voter_accounts(django_assert_max_num_queries):
    from apps.ballots.selectors.blocs import bloc_input
    from apps.ballots.selectors.policies import weight_policy_current
    from tests.factories import ConferenceFactory, SpeakerFactory, TalkFactory, UserFactory, VoteFactory

    conference = ConferenceFactory()
    policy = weight_policy_current(conference=conference)
    voting, silent, voter = UserFactory(), UserFactory(), UserFactory()
    talks = [
        TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference, user=voting)]),
        TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference, user=silent)]),
        TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference)]),  # no account
    ]
    VoteFactory(user=voting, talk=talks[1], score=3)
    VoteFactory(user=voter, talk=talks[0], score=3)
    with django_assert_max_num_queries(10):  # a fixed number, whatever the talks: none per talk
        data = bloc_input(conference=conference, policy=policy)
    pairs = [(int(data.talk_ids[t]), int(data.voter_ids[v])) for t, v in data.talk_speaker]
    assert pairs == [(talks[0].pk, voting.pk)]  # `silent` casts no vote, the third speaker has no account
    assert data.talk_speaker.dtype == np.int32 and data.talk_speaker.shape == (1, 2)


@pytest.mark.parametrize(
    "keys",
    [{"error_control": "familywise"}, {"discovery_unit": "group"}, {"merge": "whole"}, {"bound_by_evidence": False}],
)
def test_the_ring_is_found_under_the_rules_older_settings(keys):
    report = blocs_detect(_conference(ring=RING).build(), BlocRule.from_json(keys))
    assert {b.talk_id for b in report.blocs if "speakers" in b.signals} == set(RING)
