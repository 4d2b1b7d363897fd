"""Round 20 (docs/blocs.md): promotions the organizers record. A post or newsletter of the conference's
own that features a talk explains the votes on that talk in the `promotion_hours` after it: a burst
window on the talk that overlaps that period is not tested. Other talks, and windows on the talk
after the period, are tested as before; `promotion_hours: 0` ignores promotions."""

import dataclasses

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts
from tests.ballots.test_blocs import _blocs_on
from tests.ballots.test_blocs_cases import DAY, HOUR, START
from tests.ballots.test_blocs_waves import _waves

TALK = 9  # _waves: new voters give talk 9 the top score within 30 minutes from 10:00 on the given day
WAVE = START + 2 * DAY + 10 * HOUR


def _promoted(data, talk: int, *times: int):
    """`data` with `talk` promoted at `times` (as bloc_input_build gives it from TalkFacts.promoted_at)."""
    pos = int(np.searchsorted(data.talk_ids, talk))
    rows = np.array(sorted((pos, t) for t in times), dtype=np.int64).reshape(-1, 2)
    return dataclasses.replace(data, talk_promoted=rows)


def _burst_on(data, rule=None) -> bool:
    return any("burst" in b.signals for b in _blocs_on(blocs_detect(data, rule), TALK))


def test_the_burst_alone_is_found():
    assert _burst_on(_waves([(2, 8)]))


def test_a_burst_right_after_a_promotion_of_the_talk_is_explained():
    assert not _burst_on(_promoted(_waves([(2, 8)]), TALK, WAVE - HOUR))


def test_a_promotion_of_another_talk_explains_nothing():
    assert _burst_on(_promoted(_waves([(2, 8)]), TALK + 1, WAVE - HOUR))


def test_a_burst_after_the_promotion_hours_is_tested():
    data = _promoted(_waves([(2, 8)]), TALK, WAVE - 30 * HOUR)
    assert _burst_on(data)  # 24 hours by default
    assert not _burst_on(data, BlocRule(promotion_hours=36))


def test_a_window_that_reaches_into_the_promotion_is_explained_too():
    """A window starting a few hours before the post holds the votes it brought."""
    assert not _burst_on(_promoted(_waves([(2, 8)]), TALK, WAVE + 20 * 60))


def test_a_second_wave_after_the_promotion_is_still_found():
    """A campaign post on a talk the conference promoted days earlier: the promoted wave is explained,
    the later one is a burst on its own."""
    data = _promoted(_waves([(2, 8), (6, 8)]), TALK, WAVE - HOUR)
    (bloc,) = _blocs_on(blocs_detect(data), TALK)
    assert bloc.signals == ("burst",)
    assert bloc.member_ids == tuple(range(1009, 1017))


def test_zero_promotion_hours_restores_the_rule_before_round_20():
    data = _waves([(2, 8), (6, 5)])
    promoted = _promoted(data, TALK, WAVE - HOUR)
    off = BlocRule(promotion_hours=0)
    assert blocs_detect(data).blocs == blocs_detect(data, off).blocs
    # The same blocs; their burst sentences only name the promotion.
    note = " The organizers promoted this talk on 2026-03-04 17:00 UTC."
    with_note = blocs_detect(promoted, off).blocs
    without = tuple(
        dataclasses.replace(
            b, evidence=tuple(dataclasses.replace(e, sentence=e.sentence.removesuffix(note)) for e in b.evidence)
        )
        for b in with_note
    )
    assert with_note != without and without == blocs_detect(data).blocs


def test_talk_facts_carry_promotions_into_the_input():
    from tests.ballots.test_blocs_cases import Case

    case = Case()
    case.talks[3] = TalkFacts(talk_id=3, promoted_at=(START + 5 * DAY + 0.7, START))
    case.talks[7] = TalkFacts(talk_id=7, promoted_at=(START + DAY,))
    data = case.build()
    assert data.talk_promoted.dtype == np.int64
    assert data.talk_promoted.tolist() == [[2, START], [2, START + 5 * DAY], [6, START + DAY]]
    assert Case().build().talk_promoted.shape == (0, 2)


def test_the_key_defaults_to_a_day_and_is_validated():
    assert BlocRule().promotion_hours == 24
    assert BlocRule.from_json({"promotion_hours": 0}).to_json()["promotion_hours"] == 0
    for bad in (-1, "24", True, None, 10_000, float("nan")):
        with pytest.raises(ValueError, match="promotion_hours must be"):
            BlocRule.from_json({"promotion_hours": bad})


def test_a_burst_on_a_promoted_talk_says_when_the_talk_was_promoted():
    """The reviewer sees the promotion beside the burst it did not explain (here: one days earlier)."""
    data = _promoted(_waves([(2, 8), (6, 8)]), TALK, WAVE - HOUR)
    (bloc,) = _blocs_on(blocs_detect(data), TALK)
    assert all(
        e.sentence.endswith(" The organizers promoted this talk on 2026-03-04 17:00 UTC.") for e in bloc.evidence
    )
    (plain,) = _blocs_on(blocs_detect(_waves([(2, 8)])), TALK)
    assert all("promoted" not in e.sentence for e in plain.evidence)
