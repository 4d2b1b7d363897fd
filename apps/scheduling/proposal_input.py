"""Reads everything a schedule proposal needs and turns it into the engine's plain input.

Where each input comes from:
- rooms, slots, speaker availability and the committee's overrides: the scheduling tables;
- each talk's rank and score: the tally snapshot the proposal was started from (the Bayesian
  average of the weighted vote, bloc discounts included);
- the ballots: every counted voter (weight above zero) with the talks they rated at or above the
  conference's "want to see" score, weighted by their class weight;
- a talk's expected audience: the weight of the counted voters who want it, scaled up by the ratio
  of valid voting tickets to ticket holders who voted — the vote is a sample of the room.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from apps.attendance.models import Ticket
from apps.ballots.domain.tally import CLASS_CODES
from apps.ballots.models import TallyRow, TallySnapshot
from apps.ballots.selectors.policies import class_weights
from apps.ballots.selectors.tally import tally_input
from apps.talks.models import Conference, Talk

from .domain import model as engine
from .models import Room, ScheduleOverride, ScheduleProposal, Slot, SpeakerAvailability

CANDIDATE_STATUSES = (Talk.Status.SUBMITTED, Talk.Status.ACCEPTED, Talk.Status.WAITLISTED)


def proposal_input_build(*, proposal: ScheduleProposal) -> engine.ScheduleInput:
    conference = proposal.conference
    snapshot = proposal.tally_snapshot
    rooms = tuple(
        engine.Room(id=r.pk, capacity=r.capacity, name=r.name)
        for r in Room.objects.filter(conference=conference).order_by("position", "pk")
    )
    slots = tuple(
        engine.Slot(id=s.pk, room_id=s.room_id, start=s.start, end=s.end)
        for s in Slot.objects.filter(conference=conference).order_by("start", "room_id")
    )
    ballots, wanted_weight, audience_scale = _ballots(conference=conference, snapshot=snapshot)
    talks = _talks(conference=conference, snapshot=snapshot, wanted_weight=wanted_weight, scale=audience_scale)
    speaker_ids = {s for t in talks for s in t.speaker_ids}
    availabilities = tuple(
        engine.Availability(speaker_id=a.speaker_id, start=a.start, end=a.end)
        for a in SpeakerAvailability.objects.filter(speaker_id__in=speaker_ids).order_by("speaker_id", "start")
    )
    overrides = tuple(
        engine.Override(
            talk_id=o.talk_id,
            kind=engine.OverrideKind(o.kind),
            reason=o.reason,
            slot_id=o.slot_id,
            room_id=o.room_id,
            similar_to=o.similar_to_id,
        )
        for o in ScheduleOverride.objects.filter(conference=conference).order_by("talk_id", "kind")
    )
    params = proposal.parameters or {}
    quotas = engine.Quotas(
        committee_slots=int(params.get("committee_slots", 0)),
        track_minimums=tuple(sorted((str(k), int(v)) for k, v in (params.get("track_minimums") or {}).items())),
    )
    return engine.ScheduleInput(
        rooms=rooms,
        slots=slots,
        talks=talks,
        ballots=ballots,
        availabilities=availabilities,
        overrides=overrides,
        quotas=quotas,
        previous=_previous(proposal),
    )


def _ballots(*, conference: Conference, snapshot: TallySnapshot | None):
    policy = snapshot.policy if snapshot else None
    if policy is None:
        from apps.ballots.services.policies import weight_policy_ensure

        policy = weight_policy_ensure(conference=conference)
    data = tally_input(conference=conference, policy=policy)
    weights = class_weights(policy)
    per_class = np.array([weights.ticket_holder, weights.pledger, 0.0])
    vote_weight = per_class[data.voter_class.astype(np.int64)]
    wanted = (data.scores >= conference.wanted_min_score) & (vote_weight > 0)
    by_voter: dict[int, list[int]] = defaultdict(list)
    voter_weight: dict[int, float] = {}
    for voter, talk, weight in zip(
        data.voter_ids[wanted].tolist(), data.vote_talk_ids[wanted].tolist(), vote_weight[wanted].tolist(), strict=True
    ):
        by_voter[voter].append(talk)
        voter_weight[voter] = weight
    ballots = tuple(
        engine.Ballot(voter_id=v, wanted=tuple(sorted(t)), weight=voter_weight[v]) for v, t in sorted(by_voter.items())
    )
    wanted_weight: dict[int, float] = defaultdict(float)
    for ballot in ballots:
        for talk in ballot.wanted:
            wanted_weight[talk] += ballot.weight
    holders_who_voted = len(set(data.voter_ids[data.voter_class == CLASS_CODES["ticket_holder"]].tolist()))
    voting_tickets = Ticket.objects.filter(
        conference=conference, status=Ticket.Status.VALID, ticket_type__may_vote=True
    ).count()
    scale = max(1.0, voting_tickets / holders_who_voted) if holders_who_voted else 1.0
    return ballots, wanted_weight, scale


def _talks(*, conference: Conference, snapshot, wanted_weight: dict[int, float], scale: float):
    rows = {r.talk_id: r for r in TallyRow.objects.filter(snapshot=snapshot)} if snapshot else {}
    candidates = list(
        Talk.objects.filter(conference=conference, status__in=CANDIDATE_STATUSES)
        .select_related("track")
        .prefetch_related("speakers")
        .order_by("pk")
    )
    unranked = sorted((t for t in candidates if t.pk not in rows), key=lambda t: t.pk)
    last = max((r.rank for r in rows.values()), default=0)
    rank_of = {t.pk: last + i + 1 for i, t in enumerate(unranked)}
    return tuple(
        engine.Talk(
            id=t.pk,
            duration_minutes=t.duration_minutes,
            rank=rows[t.pk].rank if t.pk in rows else rank_of[t.pk],
            score=float(rows[t.pk].bayes_average) if t.pk in rows else 0.0,
            expected_audience=round(wanted_weight.get(t.pk, 0.0) * scale, 3),
            track=t.track.name if t.track else "",
            speaker_ids=tuple(sorted(s.pk for s in t.speakers.all())),
            title=t.title,
        )
        for t in candidates
    )


def _previous(proposal: ScheduleProposal) -> tuple[engine.Placement, ...]:
    earlier = (
        ScheduleProposal.objects.filter(
            conference=proposal.conference, status=ScheduleProposal.Status.SUCCEEDED, created_at__lt=proposal.created_at
        )
        .order_by("-created_at")
        .first()
    )
    if earlier is None:
        return ()
    return tuple(
        engine.Placement(talk_id=p["talk_id"], slot_id=p["slot_id"])
        for p in (earlier.result or {}).get("placements", [])
    )
