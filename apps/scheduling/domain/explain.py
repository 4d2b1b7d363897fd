"""Why each talk is in or out, and why it is where it is — the words of the transparency report.

Accepted talks say whether the vote, a committee decision (with its published reason) or a track
minimum put them in. Talks left out say their rank and waitlist position; when a talk is left out
although it ranks above an accepted talk, the report names the rule that forced it (the speaker
already speaks in every period the talk could take, no free slot long enough while the speakers
are available, a track minimum, the committee's pins). Placed talks say their room against their
expected audience, and which popular talk they were kept apart from and how many voters want both.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from apps.scheduling.domain.attendance import BallotMatrix
from apps.scheduling.domain.grid import Grid
from apps.scheduling.domain.model import OverrideKind, ScheduleInput, Status, Talk, TalkDecision
from apps.scheduling.domain.selection import vote_order


def _name(talk: Talk) -> str:
    return f"“{talk.title}”" if talk.title else f"talk {talk.id}"


def _pct(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _why_out(talk: Talk, grid: Grid, inp: ScheduleInput, periods: dict[int, int], vote_places: int) -> str:
    """The hard rule that kept a better-ranked talk out, in words."""
    talks = {t.id: t for t in inp.talks}
    allowed = set(grid.allowed_periods(talk.id))
    for sp in talk.speaker_ids:
        busy = {periods[o] for o, p in periods.items() if sp in talks[o].speaker_ids}
        if busy and allowed <= busy:
            others = ", ".join(_name(talks[o]) for o in sorted(periods) if sp in talks[o].speaker_ids)
            return f"its speaker {sp} already gives {others} in every period this talk could take"
    used: dict[int, int] = defaultdict(int)
    for p in periods.values():
        used[p] += 1
    full = [p for p in allowed if used[p] >= len(grid.periods[p])]
    if len(allowed) < len(grid.periods) and len(full) == len(allowed):
        return (
            f"it fits only {len(allowed)} of {len(grid.periods)} periods (slot length, speakers' availability) "
            "and all of them are full"
        )
    if inp.quotas.track_minimums:
        return "its place went to a lower-ranked talk accepted to meet a track minimum"
    return "accepting it would have left more places empty under the speaker and period limits"


def decisions_explain(
    inp: ScheduleInput,
    grid: Grid,
    matrix: BallotMatrix,
    placements: dict[int, int],
    vote_places: int,
) -> tuple[TalkDecision, ...]:
    """One decision per talk, in vote order. `placements`: accepted talk id -> slot id."""
    talks = {t.id: t for t in inp.talks}
    overrides: dict[int, dict[OverrideKind, str]] = defaultdict(dict)
    for o in inp.overrides:
        overrides[o.talk_id][o.kind] = o.reason
    periods = {t: grid.period_of_slot[s] for t, s in placements.items()}
    ordered = vote_order(inp.talks)
    usable = [t for t in ordered if OverrideKind.EXCLUDE not in overrides[t.id] and grid.allowed_slots[t.id]]
    position = {t.id: i for i, t in enumerate(usable)}
    forced = {t for t, ks in overrides.items() if OverrideKind.PIN in ks or OverrideKind.FIX in ks}
    vote_accepted = [t for t in placements if t not in forced]
    cutoff = max((position[t] for t in vote_accepted), default=-1)
    minimums = dict(inp.quotas.track_minimums)
    per_track = defaultdict(int)
    for t in placements:
        per_track[talks[t].track] += 1
    co = _co_attendance(matrix, periods)
    rooms = {r.id: r for r in inp.rooms}
    waitlist = 0
    out: list[TalkDecision] = []
    for talk in ordered:
        ks = overrides[talk.id]
        rank_words = f"rank {talk.rank} of {len(inp.talks)} in the weighted vote (score {talk.score:g})"
        if OverrideKind.EXCLUDE in ks:
            out.append(
                TalkDecision(
                    talk.id,
                    Status.REJECTED,
                    talk.rank,
                    (rank_words, f"excluded by the committee: {ks[OverrideKind.EXCLUDE]}"),
                    override_reason=ks[OverrideKind.EXCLUDE],
                    departs_from_vote=position.get(talk.id, 0) <= cutoff or cutoff < 0,
                )
            )
            continue
        if not grid.allowed_slots[talk.id]:
            out.append(
                TalkDecision(
                    talk.id,
                    Status.REJECTED,
                    talk.rank,
                    (rank_words, f"cannot be scheduled: {grid.blocked_because[talk.id]}"),
                )
            )
            continue
        if talk.id in placements:
            slot = grid.slots[placements[talk.id]]
            why = [rank_words]
            reason = None
            departs = False
            if talk.id in forced:
                kind = OverrideKind.FIX if OverrideKind.FIX in ks else OverrideKind.PIN
                reason = ks[kind]
                words = "fixed" if kind == OverrideKind.FIX else "pinned as accepted"
                why.append(f"{words} by the committee: {reason}")
                departs = position[talk.id] >= vote_places
            elif position[talk.id] < vote_places:
                why.append(f"within the {vote_places} places the vote fills")
            elif talk.track in minimums and per_track[talk.track] <= minimums[talk.track]:
                why.append(f"accepted to meet the minimum of {minimums[talk.track]} talks for track “{talk.track}”")
                departs = True
            else:
                why.append("accepted in place of a better-ranked talk that no free slot could take")
                departs = True
            out.append(
                TalkDecision(
                    talk.id,
                    Status.ACCEPTED,
                    talk.rank,
                    tuple(why),
                    slot_id=slot.id,
                    room_id=slot.room_id,
                    where=_where(talk, slot, grid, rooms, co, periods, talks, matrix, ks),
                    override_reason=reason,
                    departs_from_vote=departs,
                )
            )
            continue
        waitlist += 1
        why = [rank_words]
        departs = position[talk.id] <= cutoff
        if departs:
            why.append(
                "left out although it ranks above an accepted talk: " + _why_out(talk, grid, inp, periods, vote_places)
            )
        else:
            why.append(f"below the {vote_places} places the vote fills")
        why.append(f"waitlist position {waitlist}")
        out.append(
            TalkDecision(
                talk.id, Status.WAITLISTED, talk.rank, tuple(why), waitlist_position=waitlist, departs_from_vote=departs
            )
        )
    return tuple(out)


def _co_attendance(
    matrix: BallotMatrix, periods: dict[int, int]
) -> dict[int, tuple[float, tuple[float, int] | None, tuple[float, int] | None]]:
    """For each accepted talk: its voters' weight, and the most co-wanted talk kept apart from it and
    the most co-wanted talk in parallel with it, as (shared weight, talk id) — ties to the lower id."""
    ids = sorted(t for t in periods if t in matrix.column)
    if not ids or matrix.voters == 0:
        return {}
    sub = matrix.wants[:, [matrix.column[t] for t in ids]]
    both = np.asarray((sub.T @ (sub.multiply(matrix.weights[:, None]))).todense())
    per = np.array([periods[t] for t in ids])
    out = {}
    for a, talk_id in enumerate(ids):
        row = both[a].copy()
        row[a] = 0.0
        same = per == per[a]
        picks = []
        for mask in (~same, same):
            masked = np.where(mask & (row > 0), row, -1.0)
            b = int(np.argmax(masked))
            picks.append((float(row[b]), ids[b]) if masked[b] > 0 else None)
        out[talk_id] = (float(both[a, a]), picks[0], picks[1])
    return out


def _where(talk, slot, grid, rooms, co, periods, talks, matrix, ks) -> tuple[str, ...]:
    room = rooms.get(slot.room_id)
    cap = room.capacity if room else grid.capacity_of_slot[slot.id]
    name = room.name if room and room.name else f"room {slot.room_id}"
    words = [f"{name} ({cap} seats) for an expected audience of {talk.expected_audience:g}"]
    if talk.expected_audience > cap:
        words.append(f"{talk.expected_audience - cap:g} people over capacity: no larger room was free at that time")
    if OverrideKind.FIX in ks:
        words.append(f"time/room fixed by the committee: {ks[OverrideKind.FIX]}")
    allowed = grid.allowed_periods(talk.id)
    if len(allowed) < len(grid.periods):
        words.append(f"fits only {len(allowed)} of {len(grid.periods)} periods (slot length, speakers' availability)")
    total, apart, together = co.get(talk.id, (0.0, None, None))
    if apart is not None:
        w, t = apart
        words.append(f"not in parallel with {_name(talks[t])}: {_pct(w, total)} of its voters also want it")
    if together is not None:
        w, t = together
        words.append(f"in parallel with {_name(talks[t])}, wanted by {_pct(w, total)} of its voters too")
    return tuple(words)
