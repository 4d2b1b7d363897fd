"""Round 10 (docs/blocs.md): light voters of the speaker's organisation voting on that speaker's talk
are left out of the narrow test on that talk (rule key `narrow_colleagues`), in its count and in its
prediction. Colleagues favour a colleague's talk out of loyalty, which the narrow test's model of
independent light voters does not allow for; the colleague test judges them instead."""

import random

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts
from apps.ballots.domain.blocs_organisations import organisations_build
from apps.ballots.domain.blocs_saturation import light_colleague_votes, narrow_expected
from apps.ballots.domain.blocs_signals import context_build
from tests.ballots.test_blocs import _blocs_on
from tests.ballots.test_blocs_cases import DAY, START, Case

TALK = 11  # Initech's speaker's talk
OTHER = 17  # a talk by nobody's colleague
COLLEAGUES = tuple(range(1001, 1011))  # 5 known by their work address, 5 by the company field
STRANGERS = tuple(range(2001, 2011))  # free mail, no company

NARROW_ONLY = {"signals": ["narrow"]}
OLD_NARROW = {**NARROW_ONLY, "narrow_colleagues": False}


def _conference(*, colleagues_on: int | None = TALK, strangers_on: int | None = None):
    """The honest background (300 voters rating 8 of 40 talks each); talk 11 is given by Initech's
    speaker. Ten light Initech voters each rate one talk, `colleagues_on`, with the top score; ten light
    strangers do the same on `strangers_on` (None: they are not there)."""
    case, rng = Case(), random.Random(10)
    speaker = {"speaker_email_domains": ("initech.example",), "speaker_companies": ("Initech",)}
    case.talks[TALK] = TalkFacts(talk_id=TALK, **speaker)
    if colleagues_on is not None:
        for i, v in enumerate(COLLEAGUES):
            if i < 5:
                case.add_voter(v, domain="initech.example")
            else:
                case.add_voter(v, company="Initech")
            case.vote(v, colleagues_on, 3, START + rng.randrange(10 * DAY))
    if strangers_on is not None:
        for v in STRANGERS:
            case.add_voter(v)
            case.vote(v, strangers_on, 3, START + rng.randrange(10 * DAY))
    return case.build()


def _rule(data: dict) -> BlocRule:
    return BlocRule.from_json(data)


def test_light_colleagues_on_their_speakers_talk_are_not_a_narrow_finding():
    data = _conference()
    assert _blocs_on(blocs_detect(data, _rule(NARROW_ONLY)), TALK) == []
    (old,) = _blocs_on(blocs_detect(data, _rule(OLD_NARROW)), TALK)
    assert old.signals == ("narrow",) and old.member_ids == COLLEAGUES
    assert old.evidence[0].sentence.startswith("10 voters who rated no more than 2 talks in all give this talk the top")


def test_with_every_signal_the_light_colleagues_are_a_colleague_bloc_and_no_longer_narrow():
    data = _conference()
    (bloc,) = _blocs_on(blocs_detect(data), TALK)
    assert bloc.signals == ("colleagues",) and bloc.member_ids == COLLEAGUES
    (old,) = _blocs_on(blocs_detect(data, _rule({"narrow_colleagues": False})), TALK)
    assert set(old.signals) == {"colleagues", "narrow"} and old.member_ids == COLLEAGUES


def test_the_colleague_test_still_sees_the_light_colleagues():
    data = _conference()
    for rule in ({"signals": ["affiliation"]}, {"signals": ["affiliation"], "narrow_colleagues": False}):
        (bloc,) = _blocs_on(blocs_detect(data, _rule(rule)), TALK)
        assert bloc.colleagues_of_speaker and bloc.member_ids == COLLEAGUES
        assert {e.signal for e in bloc.evidence} == {"colleagues"}


def test_light_strangers_on_the_same_talk_are_still_a_narrow_finding():
    data = _conference(strangers_on=TALK)
    (bloc,) = _blocs_on(blocs_detect(data, _rule(NARROW_ONLY)), TALK)
    assert bloc.signals == ("narrow",) and bloc.member_ids == STRANGERS
    assert bloc.evidence[0].observed == 10
    (old,) = _blocs_on(blocs_detect(data, _rule(OLD_NARROW)), TALK)
    assert old.member_ids == COLLEAGUES + STRANGERS and old.evidence[0].observed == 20
    # The prediction is the strangers' alone: half of the twenty light voters' before.
    assert bloc.evidence[0].expected == pytest.approx(old.evidence[0].expected / 2, abs=1e-6)  # stored to 6 places


def test_light_colleagues_on_another_talk_are_still_a_narrow_finding():
    data = _conference(colleagues_on=OTHER)
    for rule in (NARROW_ONLY, OLD_NARROW):
        (bloc,) = _blocs_on(blocs_detect(data, _rule(rule)), OTHER)
        assert bloc.signals == ("narrow",) and bloc.member_ids == COLLEAGUES


def test_only_the_light_colleagues_votes_on_their_speakers_talk_are_left_out():
    data = _conference(strangers_on=TALK)
    ctx = context_build(data, BlocRule())
    orgs = organisations_build(data)
    left_out = light_colleague_votes(ctx, orgs.voter_org, orgs.speaker_pairs)
    voters = data.voter_ids[data.vote_voter[left_out]]
    talks = data.talk_ids[data.vote_talk[left_out]]
    assert sorted(voters.tolist()) == list(COLLEAGUES) and set(talks.tolist()) == {TALK}
    # The prediction loses the colleagues' chance of picking talk 11 and nothing else.
    new = narrow_expected(ctx, orgs.voter_org, orgs.speaker_pairs)
    old = narrow_expected(ctx)
    t = int(np.searchsorted(data.talk_ids, TALK))
    for d in ctx.tested:
        assert new[d][t] == pytest.approx(old[d][t] / 2, rel=1e-9) and new[d][t] > 0
        rest = np.arange(data.n_talks) != t
        assert np.array_equal(new[d][rest], old[d][rest])


def test_without_light_colleagues_the_narrow_test_is_unchanged():
    data = _conference(colleagues_on=None, strangers_on=TALK)
    new, old = blocs_detect(data), blocs_detect(data, _rule({"narrow_colleagues": False}))

    def seen(report):
        return [(b.key, b.evidence, b.fair_share, b.strength) for b in report.blocs]

    assert seen(new) == seen(old)
    assert any("narrow" in b.signals for b in new.blocs)


def test_narrow_colleagues_is_validated_and_kept_in_the_rule():
    assert BlocRule().narrow_colleagues is True
    assert BlocRule().to_json()["narrow_colleagues"] is True
    rule = BlocRule.from_json({"narrow_colleagues": False})
    assert rule.narrow_colleagues is False and rule.to_json()["narrow_colleagues"] is False
    assert BlocRule.from_json(rule.to_json()) == rule
    with pytest.raises(ValueError, match="narrow_colleagues must be true or false"):
        BlocRule.from_json({"narrow_colleagues": "yes"})


def test_light_colleagues_are_known_through_organisations_whatever_the_organisations_key_says():
    """As for bookings (round 9), who is a colleague of the speaker here comes from the organisations of
    round 4 also under `organisations: false` (where the colleague test takes companies and domains
    apart and still sees the five with the work address and the five with the company field)."""
    data = _conference()
    apart = {"organisations": False}
    assert _blocs_on(blocs_detect(data, _rule({**NARROW_ONLY, **apart})), TALK) == []
    (bloc,) = _blocs_on(blocs_detect(data, _rule(apart)), TALK)
    assert bloc.signals == ("colleagues",) and bloc.member_ids == COLLEAGUES
