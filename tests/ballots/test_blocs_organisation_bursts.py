"""Round 8 (docs/blocs.md): bursts of one organisation. Coworkers who vote for a talk within an hour of
each other while the rest of their company is not voting are found even when the site is busy (a
reminder email) and their company is large and likes the talk anyway; the same company's fans spread
over the vote, and a company-wide voting session, are not."""

import random

from apps.ballots.domain.blocs import bloc_explanation, blocs_detect
from apps.ballots.domain.blocs_input import SIGNALS, BlocRule
from tests.ballots.test_blocs import _blocs_on, _normal_ballot
from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case

BEFORE_ROUND_8 = BlocRule(signals=("order", "affiliation", "narrow", "burst", "similar"))
REMINDER = START + 5 * DAY
TALK = 9


def _company(ring: int, *, session: bool = False):
    """400 honest voters, half of whose votes arrive within two hours of a reminder on day 5; a quarter
    of them also give talk 9 the top score at some time. 100 employees of Initech (work addresses)
    with ordinary ballots, a quarter of whom like talk 9 as much, at their own times; `ring` more
    give it the top score within the hour after the reminder. With `session`, every Initech vote is
    cast within that hour (a company-wide call to vote)."""
    case, rng = Case(n_voters=400, seed=5), random.Random(11)
    for (v, t), (s, _) in list(case.votes.items()):
        if v % 2 == 0:
            case.vote(v, t, s, REMINDER + rng.randrange(2 * HOUR))
    for v in range(1, 401):
        if rng.random() < 0.25:
            case.vote(v, TALK, 3, START + rng.randrange(10 * DAY))
    for i in range(100):
        v = 1001 + i
        case.add_voter(v, domain="initech.example")
        _normal_ballot(case, v, rng, skip=TALK)
        if i < ring:
            case.vote(v, TALK, 3, REMINDER + rng.randrange(HOUR))
        elif rng.random() < 0.25:
            case.vote(v, TALK, 3, START + rng.randrange(10 * DAY))
    if session:
        for (v, t), (s, _) in list(case.votes.items()):
            if v > 1000:
                case.vote(v, t, s, REMINDER + rng.randrange(HOUR))
    return case.build()


def test_coworkers_voting_together_in_a_busy_hour_are_found_by_their_organisation():
    data = _company(8)
    (bloc,) = _blocs_on(blocs_detect(data), TALK)
    assert bloc.member_ids == tuple(range(1001, 1009))
    assert bloc.signals == ("organisation_burst",)
    (evidence,) = bloc.evidence
    assert evidence.sentence.startswith("8 votes giving it the top score from initech.example in 1 hours from")
    assert "expected from the talk's share of all votes and that organisation's activity at that time" in (
        evidence.sentence
    )
    assert "people from one organisation who voted on it within a short time" in bloc_explanation(bloc, 0.2)
    # Site-wide the hour is busy, and the company's 8 among its ~30 top scores are no excess: the
    # rule before round 8 finds nothing.
    assert _blocs_on(blocs_detect(data, BEFORE_ROUND_8), TALK) == []


def test_the_companys_fans_spread_over_the_vote_are_not_a_bloc():
    assert blocs_detect(_company(0)).blocs == ()


def test_a_company_wide_voting_session_is_no_organisation_burst():
    """The same eight give talk 9 the top score in that hour, but so does every Initech voter cast the
    whole ballot then: the organisation's activity explains it."""
    report = blocs_detect(_company(8, session=True))
    assert not any("organisation_burst" in b.signals for b in report.blocs)


def test_the_signal_is_one_of_the_rule_and_can_be_switched_off():
    assert "organisation_burst" in SIGNALS and "organisation_burst" in BlocRule().signals
    assert BlocRule.from_json({"signals": ["burst", "organisation_burst"]}).signals == ("burst", "organisation_burst")
    off = BlocRule(signals=tuple(s for s in SIGNALS if s != "organisation_burst"))
    assert _blocs_on(blocs_detect(_company(8), off), TALK) == []
