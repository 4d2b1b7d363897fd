"""Round 32 (docs/blocs.md): `lone_votes: isolated`. Round 31's lone-vote test also flags honest groups
that rate talks one vote at a time: above all the readers of a mailing nobody recorded, who rate several
of its featured talks hours apart. Someone asked to vote for one talk casts one lone vote for it, so
under "isolated" a lone vote counts only when its voter cast no other lone vote within 24 hours."""

import random

import pytest

from apps.ballots.domain.blocs import blocs_detect, findings_collect
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_lone import ISOLATED_HOURS, LONE_MINUTES, isolated_votes, lone_votes
from tests.ballots.test_blocs import _blocs_on
from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case
from tests.ballots.test_blocs_lone import BEFORE_ROUND_38, CALLED, LIKED, _sittings

ISOLATED = {"lone_votes": "isolated", **BEFORE_ROUND_38}
FEATURED = (7, 8, 9, 10)  # the mailing's talks


def _lone_findings_on(case: Case, rule: dict, talk: int) -> list:
    data = case.build()
    _, findings = findings_collect(data, BlocRule.from_json(rule))
    return [f for f in findings if int(data.talk_ids[f.talk]) == talk and f.lone_minutes]


def _mailing():
    """Round 31's conference (1,200 background voters in sittings, 60 voting one talk at a time), and an
    unrecorded mailing on day 6 at 15:00 featuring four talks: 60 readers, each with 12 ratings of other
    talks in a sitting of their own days later, rate three of the four, each on its own a few hours
    after the mailing (three lone votes in a day each)."""
    case, _ = _sittings()
    rng = random.Random(32)
    sent = START + 6 * DAY + 15 * HOUR
    others = [t for t in range(1, case.n_talks + 1) if t not in (CALLED, LIKED, *FEATURED)]
    readers = list(range(9001, 9061))
    for v in readers:
        case.add_voter(v)
        sitting = START + 8 * DAY + rng.randrange(DAY)
        for j, t in enumerate(rng.sample(others, 12)):
            case.vote(v, t, rng.choice([1, 2, 2, 3]), sitting + 60 * j)
        when = sent + rng.randrange(HOUR)
        for t in rng.sample(FEATURED, 3):
            case.vote(v, t, 2, when)
            when += HOUR + rng.randrange(2 * HOUR)  # the next featured talk an hour or more later
    return case, readers


def test_a_call_answered_with_one_lone_vote_each_is_found_and_the_sentence_says_so():
    case, crowds = _sittings()
    data = case.build()
    report = blocs_detect(data, BlocRule.from_json(ISOLATED))
    (bloc,) = [b for b in _blocs_on(report, CALLED) if b.direction == "support"]
    # The whole call and no one else (round 31's test also takes in two background voters here).
    assert set(bloc.member_ids) == set(crowds[CALLED])
    assert bloc.signals == ("burst",)
    sentence = bloc.evidence[0].sentence
    assert (
        f"each cast with no other vote by its voter within {LONE_MINUTES} minutes and no other such vote by its "
        f"voter within {ISOLATED_HOURS} hours" in sentence
    )
    assert "expected from the talk's share of such votes and site-wide such votes at that time" in sentence


def test_a_mailing_whose_readers_rate_several_featured_talks_one_at_a_time_is_not_found():
    case, readers = _mailing()
    # Round 31's test flags the mailing's talks; the readers' lone votes are not isolated.
    assert any(_lone_findings_on(case, {**ISOLATED, "lone_votes": "tested"}, t) for t in FEATURED)
    for t in FEATURED:
        assert _lone_findings_on(case, ISOLATED, t) == []
    data = case.build()
    isolated = isolated_votes(data, lone_votes(data))
    reader_votes = [v in readers for v in data.voter_ids[data.vote_voter].tolist()]
    assert not isolated[reader_votes].any()
    # The call on talk 5 in the same conference is still found.
    assert _lone_findings_on(case, ISOLATED, CALLED)


def test_an_equally_large_crowd_rating_it_within_their_sittings_is_not_found():
    case, crowds = _sittings()
    assert _lone_findings_on(case, ISOLATED, LIKED) == []
    assert set(crowds[LIKED]) <= set(case.build().voter_ids.tolist())


def test_an_honest_crowd_voting_one_talk_at_a_time_all_day_is_not_found():
    """80 people who vote one talk at a time (each vote alone), four talks each over a day, at the same
    hours of day 6: many lone votes on every talk at once, none of them isolated, and no finding."""
    case, _ = _sittings()
    rng = random.Random(33)
    others = [t for t in range(1, case.n_talks + 1) if t not in (CALLED, LIKED)]
    for v in range(9101, 9181):
        case.add_voter(v)
        for k, t in enumerate(rng.sample(others, 4)):
            case.vote(v, t, rng.choice([1, 2, 3]), START + 6 * DAY + 4 * k * HOUR + rng.randrange(3 * HOUR))
    for t in others:
        assert _lone_findings_on(case, ISOLATED, t) == []


def test_a_lone_vote_is_isolated_when_its_voter_cast_no_other_lone_vote_within_a_day_either_side():
    case = Case(n_voters=0)
    for v in (1, 2):
        case.add_voter(v)
    # Voter 1: lone votes at 0 h and exactly 24 h (near each other), one at 49 h (isolated) and a vote
    # a minute after it on another talk (neither is lone then). Voter 2: one lone vote at 1 h.
    for t, at in ((1, 0), (2, 24 * HOUR), (3, 60 * HOUR), (4, 60 * HOUR + 60), (5, 49 * HOUR)):
        case.vote(1, t, 2, START + at)
    case.vote(2, 6, 2, START + HOUR)
    data = case.build()
    isolated = isolated_votes(data, lone_votes(data))
    got = {(int(data.voter_ids[v]), int(data.talk_ids[t])): bool(x)
           for v, t, x in zip(data.vote_voter, data.vote_talk, isolated, strict=True)}  # fmt: skip
    assert got == {(1, 1): False, (1, 2): False, (1, 5): True, (1, 3): False, (1, 4): False, (2, 6): True}


def test_the_isolated_test_is_deterministic_whatever_the_order_of_the_input():
    case, _ = _mailing()
    rule = BlocRule.from_json(ISOLATED)
    first = blocs_detect(case.build(), rule)
    assert blocs_detect(case.shuffled(3).build(), rule).blocs == first.blocs


def test_the_value_is_accepted_and_round_31_s_stays():
    assert BlocRule.from_json(ISOLATED).to_json()["lone_votes"] == "isolated"
    assert BlocRule.from_json({"lone_votes": "tested"}).lone_votes == "tested"
    with pytest.raises(ValueError, match="lone_votes must be one of"):
        BlocRule.from_json({"lone_votes": "alone"})


def test_three_voters_alone_in_an_hour_when_no_one_else_votes_alone_are_not_a_campaign():
    """Isolated votes are few, so some hours hold none but one talk's. Predicted from the site's other
    isolated votes alone, three of them there would be predicted 0 and flagged; predicted from all the
    site's isolated votes then (as for an organisation), they are what the talk's share gives."""
    case, _ = _sittings()
    quiet = START + 10 * DAY + 6 * HOUR  # after the background's ten days
    for i, v in enumerate((9201, 9202, 9203)):
        case.add_voter(v)
        for j, t in enumerate((1, 2, 3, 4)):
            case.vote(v, t, 2, START + 2 * DAY + i * HOUR + 60 * j)  # their own sitting, days before
        case.vote(v, 11, 3, quiet + 15 * 60 * i)
    data = case.build()
    at = data.vote_at[isolated_votes(data, lone_votes(data))]
    assert ((at >= quiet) & (at < quiet + HOUR)).sum() == 3
    assert _lone_findings_on(case, ISOLATED, 11) == []
