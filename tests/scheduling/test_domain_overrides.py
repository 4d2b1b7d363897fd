"""Committee overrides and quotas are always honoured and always explained; impossible ones are
reported in words before any solver runs."""

import dataclasses
import datetime as dt

from apps.scheduling.domain.model import (
    Availability,
    Outcome,
    Override,
    OverrideKind,
    Quotas,
    Status,
)
from tests.scheduling.test_domain_engine import ballots, checked, conference, period_start, talk

TALKS = [talk(i, track="web" if i <= 5 else "security") for i in range(1, 8)]
VOTES = ballots([1, 2, 3, 4], [2, 3, 5], [6, 7], [1, 7])


def run(overrides=(), quotas=None, talks=TALKS, **extra):
    inp = conference([100, 50], 2, talks, VOTES, overrides=tuple(overrides), quotas=quotas or Quotas(), **extra)
    return inp, checked(inp)


def decision(result, talk_id):
    return {d.talk_id: d for d in result.decisions}[talk_id]


def test_pin_accepts_a_low_ranked_talk_and_publishes_the_reason():
    _, result = run([Override(7, OverrideKind.PIN, "Keynote speaker invited by the committee")])
    assert 7 in result.accepted_talk_ids and 4 not in result.accepted_talk_ids
    pinned = decision(result, 7)
    assert pinned.override_reason == "Keynote speaker invited by the committee"
    assert pinned.departs_from_vote
    assert "pinned as accepted by the committee: Keynote speaker invited" in " ".join(pinned.why)


def test_exclude_rejects_even_the_top_talk_and_says_why():
    _, result = run([Override(1, OverrideKind.EXCLUDE, "Too similar to talk 2", similar_to=2)])
    excluded = decision(result, 1)
    assert excluded.status == Status.REJECTED
    assert "excluded by the committee: Too similar to talk 2" in excluded.why
    assert result.accepted_talk_ids == [2, 3, 4, 5]


def test_fix_to_a_slot_and_fix_to_a_room_are_honoured():
    _, result = run(
        [
            Override(6, OverrideKind.FIX, "Sponsor slot", slot_id=2),
            Override(3, OverrideKind.FIX, "Needs the projector in room 2", room_id=2),
        ]
    )
    slots = {p.talk_id: p.slot_id for p in result.placements}
    assert slots[6] == 2
    assert slots[3] in (2, 4) and slots[3] != 2  # room 2's slots are 2 and 4; 2 is taken by talk 6
    assert "time/room fixed by the committee: Sponsor slot" in decision(result, 6).where


def test_committee_slots_stay_open_for_the_committee():
    _, result = run([Override(7, OverrideKind.PIN, "Chosen by the committee")], quotas=Quotas(committee_slots=2))
    assert result.accepted_talk_ids == [1, 2, 7]
    assert "1 of the slots reserved for the committee are still unassigned." in result.problems


def test_track_minimum_promotes_a_talk_and_explains_the_departure():
    _, result = run(quotas=Quotas(track_minimums=(("security", 2),)))
    assert result.accepted_talk_ids == [1, 2, 6, 7]
    assert "accepted to meet the minimum of 2 talks for track “security”" in decision(result, 7).why
    assert decision(result, 3).departs_from_vote


def test_impossible_committee_decisions_are_reported_in_words():
    window = Availability(106, period_start(0), period_start(0) + dt.timedelta(hours=1))
    _, result = run(
        [
            Override(6, OverrideKind.FIX, "Sponsor slot", slot_id=3),  # period 2; its speaker leaves after period 1
            Override(1, OverrideKind.PIN, "Invited"),
            Override(1, OverrideKind.EXCLUDE, "Duplicate"),
        ],
        availabilities=(window,),
    )
    assert result.outcome == Outcome.INFEASIBLE
    assert result.placements == ()
    assert "Talk 1 is both excluded and pinned or fixed; the committee must choose." in result.problems


def test_more_pinned_talks_than_slots_and_overloaded_speakers_are_reported():
    talks = [dataclasses.replace(t, speaker_ids=(9,)) if t.id in (1, 2, 3) else t for t in TALKS]
    _, result = run([Override(i, OverrideKind.PIN, "Invited") for i in range(1, 6)], talks=talks)
    assert result.outcome == Outcome.INFEASIBLE
    assert "The committee put 5 talks in the program but there are only 4 slots." in result.problems
    assert any(p.startswith("Speaker 9 gives 3 talks the committee put in the program") for p in result.problems)


def test_a_fix_outside_the_speakers_availability_is_reported():
    window = Availability(106, period_start(0), period_start(0) + dt.timedelta(hours=1))
    _, result = run([Override(6, OverrideKind.FIX, "Sponsor slot", slot_id=3)], availabilities=(window,))
    assert result.outcome == Outcome.INFEASIBLE
    assert any("Talk 6 is fixed to slot 3" in p and "speaker 106 is not available then" in p for p in result.problems)


def _problems(overrides=(), quotas=None, talks=TALKS):
    from apps.scheduling.domain.feasibility import feasibility_problems
    from apps.scheduling.domain.grid import grid_build

    inp = conference([100, 50], 2, talks, VOTES, overrides=tuple(overrides), quotas=quotas or Quotas())
    return feasibility_problems(inp, grid_build(inp))


def test_overrides_that_name_nothing_are_reported_before_anything_else():
    """Slots 1 and 3 are in room 1, slots 2 and 4 in room 2 (two rooms, two periods)."""
    assert _problems(
        [
            Override(99, OverrideKind.PIN, "Invited"),
            Override(1, OverrideKind.PIN, "  "),
            Override(2, OverrideKind.FIX, "Sponsor"),
            Override(3, OverrideKind.FIX, "Sponsor", slot_id=42),
            Override(4, OverrideKind.FIX, "Sponsor", room_id=42),
            Override(5, OverrideKind.FIX, "Sponsor", slot_id=1, room_id=2),
            Override(6, OverrideKind.FIX, "Sponsor", slot_id=1),
            Override(7, OverrideKind.FIX, "Sponsor", slot_id=1),  # would be reported next, not yet
        ]
    ) == [
        "An override (pin) names talk 99, which is not among the talks.",
        "The override (pin) of talk 1 has no reason; every override needs one.",
        "Talk 2 is fixed, but to no slot or room.",
        "Talk 3 is fixed to slot 42, which does not exist.",
        "Talk 4 is fixed to room 42, which does not exist.",
        "Talk 5 is fixed to slot 1 and to room 2, but that slot is in another room.",
    ]


def test_decisions_and_quotas_the_slots_cannot_hold_are_reported():
    talks = [dataclasses.replace(t, speaker_ids=(9,)) if t.id in (6, 7) else t for t in TALKS]
    problems = _problems(
        [Override(6, OverrideKind.FIX, "Sponsor", slot_id=1), Override(7, OverrideKind.FIX, "Sponsor", slot_id=1)],
        quotas=Quotas(committee_slots=5, track_minimums=(("web", 3), ("security", 2), ("design", 1))),
        talks=talks,
    )
    assert "2 talks are fixed to the same slot 1 (Tue 09:00–09:45, room 1); a slot holds one talk." in problems
    assert "The quota reserves 5 slots for the committee but there are only 4 slots." in problems
    assert "Talks 6, 7 are fixed to the same time, and speaker 9 gives both." in problems
    assert "The quota asks for at least 1 talks of track “design” but only 0 of its talks can be scheduled at all." in (
        problems
    )
    assert "The track minimums add up to 6 talks but there are only 4 slots." in problems


def test_a_pinned_talk_that_fits_no_slot_is_reported_with_the_reason():
    talks = [dataclasses.replace(t, duration_minutes=90) if t.id == 2 else t for t in TALKS]
    problems = _problems([Override(2, OverrideKind.PIN, "Invited")], talks=talks)
    assert problems[0] == (
        "Talk 2 is in the program by committee decision, but it lasts 90 minutes and the longest slot 45."
    )
