"""The independent check of a schedule (apps/scheduling/domain/validate.py): each hard rule, broken on
purpose by hand-made placements, is named in words; a valid schedule gives no violation. The solver's
schedules are always valid, so without these the checker's own rules would go untested."""

import dataclasses
import datetime as dt

from apps.scheduling.domain.model import Availability, Override, OverrideKind, Placement, Slot
from apps.scheduling.domain.validate import schedule_violations
from tests.scheduling.test_domain_engine import conference, period_start, talk

# Two rooms, two periods of 45 minutes: slots 1, 2 at 9:00 (rooms 1, 2), slots 3, 4 at 10:00.
TALKS = [talk(1, speakers=[7]), talk(2, speakers=[7]), talk(3), talk(4, minutes=60)]


def test_a_valid_schedule_has_no_violation():
    inp = conference([100, 50], 2, TALKS[:3])
    assert schedule_violations(inp, [Placement(1, 1), Placement(2, 3), Placement(3, 2)]) == []


def test_double_bookings_unknown_places_and_short_slots_are_named():
    inp = conference([100, 50], 2, TALKS)
    placements = [Placement(1, 1), Placement(3, 1), Placement(3, 4), Placement(4, 2), Placement(2, 99)]
    assert schedule_violations(inp, placements) == [
        "slot 1 holds 2 talks",
        "talk 3 is placed 2 times",
        "talk 4 lasts 60 minutes, longer than slot 2",
        "placement Placement(talk_id=2, slot_id=99) names an unknown talk or slot",
    ]
    ghost_slot = Slot(id=5, room_id=9, start=period_start(0), end=period_start(0) + dt.timedelta(minutes=45))
    ghost_room = dataclasses.replace(conference([100], 1, TALKS[:1]), slots=(ghost_slot,))
    assert schedule_violations(ghost_room, [Placement(1, 5)]) == ["slot 5 is in unknown room 9"]


def test_speakers_availability_and_overlaps_are_named():
    away = (Availability(speaker_id=7, start=period_start(1), end=period_start(2)),)  # only from 10:00
    inp = conference([100, 50], 2, TALKS[:2], availabilities=away)
    assert schedule_violations(inp, [Placement(1, 1), Placement(2, 2)]) == [
        "speaker 7 of talk 1 is not available during slot 1",
        "speaker 7 of talk 2 is not available during slot 2",
        "speaker 7 gives talks 1 and 2 at overlapping times",
    ]
    assert schedule_violations(inp, [Placement(1, 3)]) == []


def test_the_committees_pins_fixes_and_exclusions_are_checked():
    overrides = (
        Override(talk_id=1, kind=OverrideKind.PIN, reason="Keynote"),
        Override(talk_id=2, kind=OverrideKind.EXCLUDE, reason="Withdrawn by the speaker"),
        Override(talk_id=3, kind=OverrideKind.FIX, reason="Needs the big room", room_id=1),
        Override(talk_id=4, kind=OverrideKind.FIX, reason="Sponsor slot", slot_id=3),
    )
    inp = conference([100, 50], 2, [talk(1), talk(2), talk(3), talk(4)], overrides=overrides)
    assert schedule_violations(inp, [Placement(2, 1), Placement(3, 2), Placement(4, 4)]) == [
        "talk 1 is pinned by the committee but not placed",
        "talk 2 is excluded by the committee but placed",
        "talk 3 is fixed to room 1 but placed in room 2",
        "talk 4 is fixed to slot 3 but placed in slot 4",
    ]
    assert schedule_violations(inp, [Placement(1, 2), Placement(3, 1), Placement(4, 3)]) == []
