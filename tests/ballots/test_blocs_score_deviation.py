"""Round 25 (docs/blocs.md): `score_deviation: required`. A group test finds groups that rated a talk
more often than independent voting predicts; part of that can be selection (a class or a household
that chose its talks together). Under `required`, a fixed group's finding also needs the group's own
votes on the talk to lean the finding's way more than the talk's other votes do; a group that scored
the talk as everyone else did is dropped. `ignored` (the default) is the rule before; `required` is an
option (out of sample, on fresh4, it lost planted members)."""

import random

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect, findings_collect
from apps.ballots.domain.blocs_direction import direction_in_line, direction_log_p, raters_build
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_organisations import organisations_build
from tests.ballots.test_blocs import _blocs_on
from tests.ballots.test_blocs_cases import DAY, START, Case

ONLY_ORDERS = {"signals": ["order"]}
LOVED, WEAK = 5, 6


def _ballot(case: Case, v: int, rng: random.Random) -> None:
    """Eight ordinary ratings of talks other than the two the test is about."""
    for t in rng.sample([t for t in range(1, case.n_talks + 1) if t not in (LOVED, WEAK)], 8):
        case.vote(v, t, rng.choice([0, 1, 1, 2, 2, 3]), START + rng.randrange(10 * DAY))


def _class_and_ring():
    """Talk 5 is loved: the 12 background voters who rate it all rate it up, half of them with the
    top score. A class of ten on order CLASS was assigned it and rates it the same way (five top
    scores, five "want to see"). Talk 6 is weak: the background rates it 0 or 1 but for one vote;
    ten friends on order RING give it the top score. Every ballot is otherwise an ordinary one."""
    case, rng = Case(), random.Random(25)
    for (v, t), (_, at) in list(case.votes.items()):
        if t == LOVED:
            case.votes[(v, t)] = (2 + v % 2, at)
        elif t == WEAK:
            case.votes[(v, t)] = (v % 2, at)
    # Thin the background on both talks to twelve voters each, so that ten rating it is a selection.
    for t in (LOVED, WEAK):
        for key in [k for k in case.votes if k[1] == t][12:]:
            del case.votes[key]
    weak_up = next(k for k in case.votes if k[1] == WEAK)
    case.votes[weak_up] = (2, case.votes[weak_up][1])
    for i in range(10):
        case.add_voter(2001 + i, order="CLASS")
        _ballot(case, 2001 + i, rng)
        case.vote(2001 + i, LOVED, 2 + i % 2, START + rng.randrange(10 * DAY))
        case.add_voter(3001 + i, order="RING")
        _ballot(case, 3001 + i, rng)
        case.vote(3001 + i, WEAK, 3, START + rng.randrange(10 * DAY))
    return case.build()


def test_an_order_that_scores_its_talk_as_everyone_else_is_dropped_and_a_push_is_kept():
    data = _class_and_ring()
    before = blocs_detect(data, BlocRule.from_json({**ONLY_ORDERS, "score_deviation": "ignored"}))
    (cls,) = _blocs_on(before, LOVED)
    (ring,) = _blocs_on(before, WEAK)
    assert cls.signals == ("order",) and cls.size == 10
    assert ring.signals == ("order",) and ring.size == 10
    after = blocs_detect(data, BlocRule.from_json({**ONLY_ORDERS, "score_deviation": "required"}))
    assert _blocs_on(after, LOVED) == []
    (kept,) = _blocs_on(after, WEAK)
    assert kept.member_ids == ring.member_ids and kept.fair_share == ring.fair_share


def test_the_direction_test_compares_the_groups_votes_with_the_talks_other_votes():
    data = _class_and_ring()
    rule = BlocRule.from_json({**ONLY_ORDERS, "score_deviation": "ignored"})
    ctx, findings = findings_collect(data, rule)
    orgs = organisations_build(data)
    raters = raters_build(ctx, orgs.voter_org, orgs.labels)
    by_talk = {}
    for f in findings:
        by_talk.setdefault(int(data.talk_ids[f.talk]), []).append(f)
    # The class: 10 of 10 rating talk 5 up against 12 of 12 others (share 12.5 / 13), so
    # P(10 of 10) = (12.5 / 13) ** 10 = 0.68; its top-score finding, if any, is 5 of 10 against 6 of 12.
    for f in by_talk[LOVED]:
        assert direction_in_line(ctx, raters, f)
    up = next(f for f in by_talk[LOVED] if not f.top_score)
    assert np.exp(direction_log_p(ctx, raters, up)) == pytest.approx((12.5 / 13) ** 10)
    # The ring: 10 top scores of 10 against none of the 12 others: (0.5 / 13) ** 10.
    top = next(f for f in by_talk[WEAK] if f.top_score)
    assert direction_log_p(ctx, raters, top) == pytest.approx(10 * np.log(0.5 / 13))
    assert not any(direction_in_line(ctx, raters, f) for f in by_talk[WEAK])


def test_the_score_deviation_key_is_validated_and_kept_in_the_rule():
    assert BlocRule().score_deviation == "ignored"
    assert BlocRule.from_json({"score_deviation": "ignored"}).to_json()["score_deviation"] == "ignored"
    with pytest.raises(ValueError, match="score_deviation must be one of"):
        BlocRule.from_json({"score_deviation": "sometimes"})
