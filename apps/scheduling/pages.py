"""Reads for the public schedule grid and the transparency report."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter, defaultdict

from django.db.models import Count

from apps.attendance.models import Pledge
from apps.ballots.domain.blocs import GROUP_WORDS
from apps.ballots.models import Bloc, TallyRow, TallySnapshot, Vote
from apps.ballots.selectors import tally_latest
from apps.talks.models import Conference, Talk

from .models import ScheduledTalk, ScheduleOverride, ScheduleRelease

# What the report shows of a talk's counted votes.
TALLY_FIELDS = (
    "ticket_holders",
    "pledgers",
    "not_eligible",
    "weight_ticket_holders",
    "weight_pledgers",
    "weight_discounted",
    "bayes_average",
)

BASELINE_LABELS = {
    "greedy": "greedy baseline (the top talks by vote, periods filled in order, biggest rooms to the most wanted)",
    "vote_only": "the top talks by vote alone, at the best any timetable could do for them (shows what the "
    "committee's decisions cost)",
}


def schedule_grid(*, release: ScheduleRelease, user=None) -> dict:
    """Days → start times → one cell per room; a signed-in voter's wanted talks are marked, and so are
    wanted talks that overlap each other (clashes)."""
    conference = release.conference
    tz = zoneinfo.ZoneInfo(conference.timezone)
    rooms = list(conference.rooms.order_by("position", "name"))
    entries = list(
        ScheduledTalk.objects.filter(release=release).select_related("talk__track").prefetch_related("talk__speakers")
    )
    wanted: set[int] = set()
    if user is not None and user.is_authenticated:
        wanted = set(
            Vote.objects.filter(
                user=user, talk__conference=conference, score__gte=conference.wanted_min_score
            ).values_list("talk_id", flat=True)
        )
    mine = [e for e in entries if e.talk_id in wanted]
    clashing = {a.talk_id for a in mine for b in mine if a is not b and a.start < b.end and b.start < a.end}
    days: dict[dt.date, dict[dt.datetime, dict[int, ScheduledTalk]]] = defaultdict(lambda: defaultdict(dict))
    for entry in entries:
        start = entry.start.astimezone(tz)
        days[start.date()][start][entry.room_id] = entry
    return {
        "rooms": rooms,
        "days": [
            {
                "date": day,
                "rows": [
                    {"start": start, "cells": [(room, row.get(room.pk)) for room in rooms]}
                    for start, row in sorted(times.items())
                ],
            }
            for day, times in sorted(days.items())
        ],
        "wanted": wanted,
        "clashing": clashing,
        "wanted_scheduled": len([e for e in entries if e.talk_id in wanted]),
        "wanted_total": len(wanted),
    }


def _by_talk(blocs: list[Bloc]) -> dict[int, list[Bloc]]:
    grouped: dict[int, list[Bloc]] = defaultdict(list)
    for bloc in blocs:
        grouped[bloc.talk_id].append(bloc)
    return grouped


def _bloc_lines(blocs: list[Bloc]) -> list[str]:
    """One public sentence per kind of bloc on a talk. Public words only: evidence with order codes or
    domains stays in the organizers' admin, so two blocs alike in size, signals, direction and effect
    read the same; they are told as one line with their number rather than as repeated lines."""
    counted = Counter(
        (
            bloc.size,
            ", ".join(GROUP_WORDS.get(s, s) for s in bloc.signals),
            {"support": "up", "oppose": "down"}.get(bloc.direction, "alike"),
            round(bloc.counts_as, 1),
            round(bloc.weight, 1),
            bloc.status == "confirmed",
        )
        for bloc in blocs
    )
    lines = []
    for (size, signals, way, counts_as, weight, confirmed), n in counted.items():
        confirmed_words = " (confirmed by the organizers)" if confirmed else ""
        if n == 1:
            lines.append(
                f"A group of {size} voters ({signals}) who rated it {way} together counts as {counts_as:.1f} "
                f"votes' weight instead of {weight:.1f}{confirmed_words}."
            )
        else:
            lines.append(
                f"{n} separate groups of {size} voters ({signals}), each rating it {way} together, count as "
                f"{counts_as:.1f} votes' weight each instead of {weight:.1f}{confirmed_words}."
            )
    return lines


def public_blocs(*, conference_id: int):
    """The blocs the report tells: found by the latest detection and not dismissed."""
    return (
        Bloc.objects.filter(conference_id=conference_id, present=True)
        .exclude(status="dismissed")
        .order_by("talk_id", "key")
    )


def transparency_report(*, release: ScheduleRelease) -> dict:
    """For every talk: the decision, its rank and counted voters by class, where its weight came
    from, its place and why, and every departure from the vote with the committee's reason."""
    conference: Conference = release.conference
    proposal = release.proposal
    data = (proposal.result if proposal else None) or {}
    snapshot = (
        TallySnapshot.objects.select_related("policy").filter(pk=proposal.tally_snapshot_id).first()
        if proposal and proposal.tally_snapshot_id
        else None
    )
    tally_rows = TallyRow.objects.filter(snapshot=snapshot).only("talk_id", *TALLY_FIELDS).order_by()
    rows = {r.talk_id: r for r in tally_rows} if snapshot else {}
    # The report shows a talk's title and nothing else of it (speakers, track: not read).
    talks = {t.pk: t for t in Talk.objects.filter(conference=conference).only("pk", "title").order_by()}
    placed = {
        e.talk_id: e
        for e in ScheduledTalk.objects.filter(release=release)
        .select_related("room")
        .only("talk_id", "start", "room__name")
        .order_by()
    }
    similarity = {e["talk_id"]: e for e in data.get("similarity", [])}
    decisions = []
    for d in data.get("decisions", []):
        talk = talks.get(d["talk_id"])
        if talk is None:
            continue
        evidence = similarity.get(talk.pk)
        decisions.append(
            {
                **d,
                "talk": talk,
                "tally": rows.get(talk.pk),
                "entry": placed.get(talk.pk),
                "similar_title": talks[evidence["similar_to"]].title
                if evidence and evidence["similar_to"] in talks
                else "",
                "similarity": evidence,
            }
        )
    pledges = dict(Pledge.objects.filter(conference=conference).values_list("status").annotate(n=Count("pk")))
    blocs = list(public_blocs(conference_id=conference.pk))
    by_talk: dict[int, list[str]] = {talk_id: _bloc_lines(group) for talk_id, group in _by_talk(blocs).items()}
    for decision in decisions:
        decision["blocs"] = by_talk.get(decision["talk"].pk, [])
    return {
        "release": release,
        "proposal": proposal,
        "snapshot": snapshot,
        # The public bulletin board's tally (often a later snapshot than the one the proposal used).
        "published_tally": tally_latest(conference=conference, published_only=True),
        "decisions": decisions,
        "satisfaction": data.get("satisfaction", {}),
        "baselines": [
            (BASELINE_LABELS.get(name, name), figures) for name, figures in data.get("baselines", {}).items()
        ],
        "problems": data.get("problems", []),
        "overrides": ScheduleOverride.objects.filter(conference=conference).count(),
        "pledges": pledges,
        "accepted": sum(1 for d in decisions if d["status"] == "accepted"),
        "blocs": len(blocs),
        "sensitivity": data.get("sensitivity"),
        "sensitivity_rows": [
            {**f, "title": talks[f["talk_id"]].title if f["talk_id"] in talks else f["talk_id"]}
            for f in (data.get("sensitivity") or {}).get("flips", [])
        ],
        "bloc_weight_removed": sum(b.weight - b.counts_as for b in blocs),
    }
