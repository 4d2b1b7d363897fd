"""Suggested promotions (apps/ballots/domain/promotion_suggestions.py) on hand-made conferences in memory:
the rule that a moment holding more of the site's votes than all other times is not suggested, since
the prediction of how many voters rate its talks together comes from those other times."""

from __future__ import annotations

import random

from apps.ballots.domain.blocs_input import BlocInput
from apps.ballots.domain.promotion_suggestions import promotion_suggestions
from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case

SENT = START + 5 * DAY + 16 * HOUR  # the mailing or newsletter goes out on day 5, 16:00 UTC
PICKS = (1, 2, 3, 4, 5, 6)  # the talks it features


def _with_readers(n_honest: int, readers: str, seed: int = 3) -> BlocInput:
    """30 talks; `n_honest` honest voters rating 8 talks each at random times over ten days; 40 readers
    who each rate 3 of the picks the top score: "mailing" (each when they get to it, Exp(4 h) after
    SENT, so hours apart: the slow pass's) or "newsletter" (a minute apart, Exp(2 h) after SENT)."""
    case = Case(n_talks=30, n_voters=n_honest, seed=seed)
    rng = random.Random(seed)
    for r in range(40):
        reader = 10_000 + r
        case.add_voter(reader)
        picks = rng.sample(PICKS, 3)
        first = SENT + int(rng.expovariate(1 / (2 * HOUR)))
        for k, t in enumerate(picks):
            at = SENT + min(int(rng.expovariate(1 / (4 * HOUR))), DAY) if readers == "mailing" else first + 60 * k
            case.vote(reader, t, 3, at)
    return case.build()


def _launch_day(seed: int) -> BlocInput:
    """An honest conference whose vote is mostly one day: 300 voters, nine in ten of them on the launch
    day (day 5, in the first twelve hours), the rest over the ten days. Each rates 8 talks, popular talks
    more often (weights 1/rank), in one sitting: a minute apart, or, for half the votes, up to three
    hours later. Nobody promoted anything."""
    case = Case(n_talks=30, n_voters=0, seed=seed)
    rng = random.Random(seed)
    weights = [1 / (k + 1) for k in range(30)]
    for v in range(1, 301):
        case.add_voter(v)
        sitting = START + 5 * DAY + rng.randrange(12 * HOUR) if rng.random() < 0.9 else START + rng.randrange(10 * DAY)
        talks: set[int] = set()
        while len(talks) < 8:
            talks.add(rng.choices(range(1, 31), weights)[0])
        for k, t in enumerate(sorted(talks, key=lambda _: rng.random())):
            later = rng.randrange(3 * HOUR) if rng.random() < 0.5 else 0
            case.vote(v, t, rng.choice([1, 2, 2, 3, 3]), sitting + 60 * k + later)
    return case.build()


def test_honest_voting_crowded_into_one_launch_day_is_not_suggested():
    """The launch day holds nine tenths of the vote: popular talks rise together and their voters rate
    several of them hours apart, and the other days are too few to predict how many would. Without the
    rule, seeds 0 and 3 each suggest a promotion nobody sent (37 and 46 co-raters, 0.0 predicted)."""
    for seed in (0, 3):
        assert promotion_suggestions(_launch_day(seed)) == []


def test_a_mailing_is_suggested_while_the_other_times_hold_more_of_the_vote_and_not_once_they_hold_less():
    """The same 40 readers of a mailing (120 votes within the day after it) beside 30 honest voters
    (240 votes over ten days: the rest of the vote outweighs the moment) and beside 20 (160 votes: the
    moment holds more of the vote than all other times, so nothing is predicted from them)."""
    (suggestion,) = promotion_suggestions(_with_readers(30, "mailing"))
    assert suggestion.talk_ids == PICKS
    assert "between 15 minutes and 24 hours apart" in suggestion.evidence  # the slow pass's
    assert suggestion.co_raters == 40 and 0 < suggestion.expected < 5
    assert promotion_suggestions(_with_readers(20, "mailing")) == []


def test_a_newsletter_holding_most_of_the_vote_is_not_suggested_either():
    """The first pass (readers rating the picks minutes apart) applies the same rule."""
    (suggestion,) = promotion_suggestions(_with_readers(30, "newsletter"))
    assert suggestion.talk_ids == PICKS
    assert "within 15 minutes of each other" in suggestion.evidence
    assert promotion_suggestions(_with_readers(20, "newsletter")) == []
