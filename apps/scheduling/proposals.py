"""The life of a schedule proposal: start (idempotent), run (on a worker), cancel, recover, publish.

A proposal is started with parameters; its input digest covers everything the run will read, so
the same inputs and parameters give back the existing proposal instead of a second run (a database
constraint backs this up under concurrency). The run happens in a Celery task that claims the
proposal, reports its phase and percentage, obeys a cancel request and a hard wall-clock limit of
its own, and writes its result in one final update guarded by its attempt number: a worker that
was killed, or a late duplicate, can never leave a half-written proposal or overwrite a newer one.
A run whose worker died (no heartbeat) is picked up again by `proposals_recover` (Celery beat).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.ballots.services.blocs import tally_with_blocs
from apps.talks.models import Conference, Talk
from confvote.celery import enqueue

from .domain.engine import schedule_propose
from .domain.model import Outcome, Parameters
from .domain.sensitivity import decisions_sensitivity
from .domain.similarity import similarity_evidence
from .models import Room, ScheduleOverride, ScheduleProposal, Slot, SpeakerAvailability
from .proposal_input import CANDIDATE_STATUSES, proposal_input_build
from .sensitivity_input import BLOC_SCENARIOS, sensitivity_scenarios

Status = ScheduleProposal.Status
LIVE = (Status.QUEUED, Status.RUNNING, Status.SUCCEEDED)
HEARTBEAT_SECONDS = 2.0
HARD_LIMIT_GRACE_SECONDS = 15.0
DEFAULT_TIME_LIMIT = 60.0
MAX_TIME_LIMIT = 30 * 60.0


def stale_after() -> dt.timedelta:
    """How long a running proposal may go without a heartbeat before its worker counts as dead."""
    from django.conf import settings

    return dt.timedelta(seconds=settings.SCHEDULING_STALE_AFTER_SECONDS)


def proposal_parameters_clean(raw: dict, *, conference: Conference) -> dict:
    """Checks and normalises run parameters; every problem is reported at once."""
    errors: dict[str, str] = {}
    out: dict = {}

    def number(key, kind, low, high, default):
        value = raw.get(key, default)
        if value in (None, ""):
            return default
        try:
            value = kind(value)
        except (TypeError, ValueError):
            errors[key] = f"Give a number between {low} and {high}."
            return default
        if not low <= value <= high:
            errors[key] = f"Give a number between {low} and {high}."
        return value

    out["seed"] = number("seed", int, 0, 2**31 - 1, 0)
    out["time_limit_seconds"] = number("time_limit_seconds", float, 5, MAX_TIME_LIMIT, DEFAULT_TIME_LIMIT)
    talks = number("talks_to_accept", int, 1, 100_000, None)
    if talks is not None:
        out["talks_to_accept"] = talks
    out["committee_slots"] = number("committee_slots", int, 0, 10_000, 0)
    minimums = raw.get("track_minimums") or {}
    if not isinstance(minimums, dict):
        errors["track_minimums"] = "Give track minimums as {track name: number}."
        minimums = {}
    known = set(conference.tracks.values_list("name", flat=True))
    clean_minimums = {}
    for name, value in minimums.items():
        if name not in known:
            errors["track_minimums"] = f"There is no track named “{name}”."
        elif not str(value).isdecimal():
            errors["track_minimums"] = f"The minimum for “{name}” must be a whole number."
        elif int(value):
            clean_minimums[name] = int(value)
    out["track_minimums"] = dict(sorted(clean_minimums.items()))
    sensitivity = raw.get("sensitivity") or {}
    if sensitivity:
        weights = sensitivity.get("pledge_weights") or []
        blocs = sensitivity.get("bloc") or []
        try:
            weights = sorted({round(float(w), 3) for w in weights})
        except (TypeError, ValueError):
            weights = [-1.0]
        if len(weights) > 5 or any(not 0 <= w <= 1 for w in weights):
            errors["sensitivity"] = "Give at most five pledge weights between 0 and 1."
        elif any(b not in BLOC_SCENARIOS for b in blocs):
            errors["sensitivity"] = f"Bloc scenarios are {' and '.join(BLOC_SCENARIOS)}."
        elif weights or blocs:
            out["sensitivity"] = {"pledge_weights": weights, "bloc": sorted(set(blocs))}
    if errors:
        raise ValidationError(errors)
    return out


def _fingerprint(*, conference: Conference, parameters: dict, snapshot) -> str:
    """A hash of everything a run reads; equal hashes mean an equal proposal. (The previous proposal,
    used for a warm start, is left out: re-running unchanged inputs returns the proposal itself.)"""
    facts = {
        "tally": [snapshot.input_digest, snapshot.policy.version] if snapshot else None,
        "parameters": parameters,
        "rooms": list(Room.objects.filter(conference=conference).order_by("pk").values_list("pk", "capacity")),
        "slots": [
            [pk, room, start.isoformat(), end.isoformat()]
            for pk, room, start, end in Slot.objects.filter(conference=conference)
            .order_by("pk")
            .values_list("pk", "room", "start", "end")
        ],
        "talks": [
            [t.pk, t.status, t.duration_minutes, t.track_id, sorted(s.pk for s in t.speakers.all())]
            for t in Talk.objects.filter(conference=conference, status__in=CANDIDATE_STATUSES)
            .prefetch_related("speakers")
            .order_by("pk")
        ],
        "availability": [
            [s, a.isoformat(), b.isoformat()]
            for s, a, b in SpeakerAvailability.objects.filter(speaker__conference=conference)
            .order_by("pk")
            .values_list("speaker", "start", "end")
        ],
        "overrides": list(
            ScheduleOverride.objects.filter(conference=conference)
            .order_by("pk")
            .values_list("talk", "kind", "slot", "room", "similar_to", "reason")
        ),
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()


def proposal_start(*, conference: Conference, parameters: dict, by=None) -> tuple[ScheduleProposal, bool]:
    """Queues a run, or returns the live proposal for exactly these inputs (created is then False)."""
    from .tasks import proposal_run

    clean = proposal_parameters_clean(parameters, conference=conference)
    snapshot = tally_with_blocs(conference=conference).snapshot  # blocs detected and bounded first
    digest = _fingerprint(conference=conference, parameters=clean, snapshot=snapshot)
    existing = ScheduleProposal.objects.filter(conference=conference, input_digest=digest, status__in=LIVE).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            proposal = ScheduleProposal.objects.create(
                conference=conference,
                parameters=clean,
                input_digest=digest,
                seed=clean["seed"],
                tally_snapshot=snapshot,
                created_by=by,
                phase="queued",
            )
            # With the queue down the proposal stays queued; proposals_recover starts it when it is back.
            transaction.on_commit(lambda: enqueue(proposal_run, proposal.pk))
    except IntegrityError:  # someone started the same run a moment ago
        return ScheduleProposal.objects.get(conference=conference, input_digest=digest, status__in=LIVE), False
    return proposal, True


def proposal_cancel(*, proposal: ScheduleProposal) -> None:
    """A queued run is cancelled at once; a running one stops at its next check and keeps its best schedule."""
    ScheduleProposal.objects.filter(pk=proposal.pk, status=Status.QUEUED).update(
        status=Status.CANCELLED, phase="cancelled", finished_at=timezone.now(), cancel_requested=True
    )
    ScheduleProposal.objects.filter(pk=proposal.pk, status=Status.RUNNING).update(cancel_requested=True)


def _claim(proposal_id: int) -> int | None:
    """Takes the run for this worker: returns the attempt number, or None when there is nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        proposal = ScheduleProposal.objects.select_for_update(no_key=True).filter(pk=proposal_id).first()
        if proposal is None or proposal.status not in (Status.QUEUED, Status.RUNNING):
            return None
        alive = proposal.heartbeat_at and now - proposal.heartbeat_at < stale_after()
        if proposal.status == Status.RUNNING and alive:
            return None  # another worker has it
        attempt = proposal.attempt + 1
        ScheduleProposal.objects.filter(pk=proposal_id).update(
            status=Status.RUNNING,
            attempt=attempt,
            heartbeat_at=now,
            started_at=proposal.started_at or now,
            phase="starting",
            progress_percent=0,
        )
    return attempt


def proposal_run(*, proposal_id: int) -> str:
    """Runs a claimed proposal to its end. Returns what happened, in a word."""
    attempt = _claim(proposal_id)
    if attempt is None:
        return "skipped"
    proposal = ScheduleProposal.objects.select_related("conference", "tally_snapshot__policy").get(pk=proposal_id)
    mine = ScheduleProposal.objects.filter(pk=proposal_id, attempt=attempt, status=Status.RUNNING)
    params = proposal.parameters or {}
    limit = float(params.get("time_limit_seconds", DEFAULT_TIME_LIMIT))
    hard_deadline = time.monotonic() + limit + HARD_LIMIT_GRACE_SECONDS
    state = {"phase": "reading inputs", "percent": 0, "cancel": False, "hard": False}
    outcome: dict = {}

    try:
        inp = proposal_input_build(proposal=proposal)
        scenarios = sensitivity_scenarios(proposal=proposal)
    except Exception as exc:  # report, never leave it running
        mine.update(status=Status.FAILED, error=f"Could not read the inputs: {exc}", finished_at=timezone.now())
        raise

    def progress(phase: str, percent: int) -> None:
        state["phase"], state["percent"] = phase, max(0, min(100, int(percent)))

    def cancel() -> bool:
        if time.monotonic() > hard_deadline:
            state["hard"] = True
        return state["cancel"] or state["hard"]

    def solve() -> None:
        try:
            outcome["result"] = schedule_propose(
                inp,
                Parameters(
                    seed=int(params.get("seed", 0)),
                    time_limit_seconds=limit,
                    talks_to_accept=params.get("talks_to_accept"),
                ),
                progress=progress,
                cancel=cancel,
            )
            if scenarios and not state["cancel"]:
                progress("sensitivity", 95)
                budget = min(60.0, max(5.0, limit / 2))
                flips = decisions_sensitivity(
                    inp, scenarios, Parameters(seed=int(params.get("seed", 0)), time_limit_seconds=budget)
                )
                outcome["sensitivity"] = {
                    "scenarios": [sc.name for sc in scenarios],
                    "flips": [f.to_json() for f in flips],
                }
        except Exception as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=solve, name=f"proposal-{proposal_id}", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(HEARTBEAT_SECONDS)
        still_mine = mine.update(
            phase=state["phase"][:64], progress_percent=state["percent"], heartbeat_at=timezone.now()
        )
        if not still_mine:
            state["cancel"] = True  # someone else took over or it was finished: stop quietly
        elif ScheduleProposal.objects.filter(pk=proposal_id, cancel_requested=True).exists():
            state["cancel"] = True
        if time.monotonic() > hard_deadline + HARD_LIMIT_GRACE_SECONDS:
            mine.update(
                status=Status.FAILED,
                finished_at=timezone.now(),
                phase="stopped",
                error=f"The run overran its hard limit of {limit:.0f} s and was abandoned.",
            )
            return "overran"
    outcome["similarity"] = [e.to_json() for e in _similarity(proposal.conference, inp)]
    return _finish(mine, outcome, state, limit)


def _similarity(conference: Conference, inp) -> tuple:
    """Measured text similarity for every exclusion the committee made as "too similar"."""
    if not any(o.similar_to for o in inp.overrides):
        return ()
    texts = {
        pk: f"{title}\n{abstract}"
        for pk, title, abstract in Talk.objects.filter(conference=conference).values_list("pk", "title", "abstract")
    }
    return similarity_evidence(texts, inp.overrides)


def _finish(mine, outcome: dict, state: dict, limit: float) -> str:
    now = timezone.now()
    if "error" in outcome:
        mine.update(
            status=Status.FAILED, finished_at=now, phase="failed", error=f"The scheduler failed: {outcome['error']}"
        )
        return "failed"
    result = outcome["result"]
    data = result.to_json()
    data["similarity"] = outcome.get("similarity", [])
    data["sensitivity"] = outcome.get("sensitivity")
    if state["hard"]:
        data["problems"].append(f"Stopped at the hard time limit ({limit:.0f} s); this is the best schedule found.")
    if result.outcome == Outcome.INFEASIBLE:
        status, error = Status.FAILED, " ".join(result.problems)
    elif result.outcome == Outcome.CANCELLED and not state["hard"]:
        status, error = Status.CANCELLED, ""
    else:
        status, error = Status.SUCCEEDED, ""
    written = mine.update(
        status=status,
        result=data,
        error=error,
        finished_at=now,
        phase=str(result.outcome),
        progress_percent=100,
        objective=result.satisfaction.attendable_pairs,
        bound=result.attendance_bound,
    )
    return str(status) if written else "superseded"


def proposals_recover() -> int:
    """Re-queues runs whose worker died (no heartbeat for a minute) and queued runs never picked up."""
    from .tasks import proposal_run

    now = timezone.now()
    stale = ScheduleProposal.objects.filter(status=Status.RUNNING, heartbeat_at__lt=now - stale_after())
    lost = ScheduleProposal.objects.filter(status=Status.QUEUED, created_at__lt=now - stale_after())
    ids = list(stale.values_list("pk", flat=True)) + list(lost.values_list("pk", flat=True))
    for pk in ids:
        proposal_run.delay(pk)
    _settlements_recover()
    return len(ids)


def _settlements_recover() -> None:
    """Published conferences that still have active pledges: settle them against the newest release
    (settling is idempotent, so a settlement that did run changes nothing)."""
    from apps.attendance.models import Pledge
    from apps.attendance.tasks import pledges_settle

    from .models import ScheduleRelease

    published = Conference.objects.filter(
        status=Conference.Status.PUBLISHED, pledges__status=Pledge.Status.ACTIVE
    ).distinct()
    for conference in published:
        release = ScheduleRelease.objects.filter(conference=conference).order_by("-version").first()
        if release is not None:
            accepted = list(release.entries.values_list("talk_id", flat=True))
            pledges_settle.delay(conference.pk, accepted, None)


def proposal_publish(*, proposal: ScheduleProposal, changelog: str = "", by=None):
    """Publishes a succeeded proposal as the next schedule release: talks take their accepted,
    waitlisted or rejected status, speakers are told, and pledges are settled (once each: settling
    is idempotent, so a later release does not settle a pledge twice)."""
    from django.conf import settings
    from django.core.mail import send_mass_mail

    from apps.attendance.tasks import pledges_settle

    from .services import Placement, release_publish

    if proposal.status != Status.SUCCEEDED:
        raise ValidationError("Only a proposal that finished successfully can be published.")
    conference = proposal.conference
    data = proposal.result or {}
    slots = {s.pk: s for s in Slot.objects.filter(conference=conference)}
    missing = [p["slot_id"] for p in data.get("placements", []) if p["slot_id"] not in slots]
    if missing:
        raise ValidationError("Some slots of this proposal no longer exist; run a new proposal.")
    durations = dict(Talk.objects.filter(conference=conference).values_list("pk", "duration_minutes"))
    placements = [
        Placement(
            talk_id=p["talk_id"],
            room_id=slots[p["slot_id"]].room_id,
            start=slots[p["slot_id"]].start,
            end=slots[p["slot_id"]].start + dt.timedelta(minutes=durations[p["talk_id"]]),
        )
        for p in data.get("placements", [])
    ]
    statuses = {d["talk_id"]: d["status"] for d in data.get("decisions", [])}
    with transaction.atomic():
        news = _speaker_news(conference, statuses, placements)
        release = release_publish(
            conference=conference, placements=placements, changelog=changelog, by=by, proposal=proposal
        )
        for status in (Talk.Status.ACCEPTED, Talk.Status.WAITLISTED, Talk.Status.REJECTED):
            ids = [t for t, s in statuses.items() if s == status]
            Talk.objects.filter(conference=conference, pk__in=ids).exclude(status=Talk.Status.WITHDRAWN).update(
                status=status, updated_at=timezone.now()
            )
        accepted = [t for t, s in statuses.items() if s == Talk.Status.ACCEPTED]
        messages = _speaker_messages(conference, news, release.version, settings.DEFAULT_FROM_EMAIL)
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
        # With the queue down, proposals_recover settles the published conference when it is back.
        transaction.on_commit(lambda: enqueue(pledges_settle, conference.pk, accepted, getattr(by, "pk", None)))
    return release


def _speaker_news(conference, statuses: dict, placements: list) -> dict:
    """What each talk's speakers are told by the release about to be published, read before it is written:
    every talk the first time; later only a talk whose status changes, or an accepted talk whose room or time
    changes, so publishing the same program again tells nobody. A withdrawn talk's speakers are not written to.
    Maps talk id to (status, placement or None, whether it is a move of an already accepted talk)."""
    from .models import ScheduledTalk, ScheduleRelease

    placed = {p.talk_id: p for p in placements}
    before = dict(Talk.objects.filter(conference=conference, pk__in=statuses).values_list("pk", "status"))
    previous = (
        ScheduleRelease.objects.filter(conference=conference).order_by("-version").values_list("pk", flat=True).first()
    )
    was_placed = (
        {}
        if previous is None
        else {
            e.talk_id: (e.room_id, e.start, e.end)
            for e in ScheduledTalk.objects.filter(release_id=previous, talk_id__in=statuses)
        }
    )
    news = {}
    for talk_id, status in statuses.items():
        if before.get(talk_id, Talk.Status.WITHDRAWN) == Talk.Status.WITHDRAWN:
            continue
        p = placed.get(talk_id)
        spot = None if p is None else (p.room_id, p.start, p.end)
        moved = status == Talk.Status.ACCEPTED and was_placed.get(talk_id) != spot
        if previous is None or before[talk_id] != status:
            news[talk_id] = (status, p, False)
        elif moved:
            news[talk_id] = (status, p, True)
    return news


def _speaker_messages(conference, news: dict, version: int, sender: str) -> list[tuple]:
    import zoneinfo

    words = {
        Talk.Status.ACCEPTED: "is in the program",
        Talk.Status.WAITLISTED: "is on the waitlist",
        Talk.Status.REJECTED: "is not in the program",
    }
    zone = zoneinfo.ZoneInfo(conference.timezone)
    rooms = dict(Room.objects.filter(conference=conference).values_list("pk", "name"))
    messages = []
    talks = Talk.objects.filter(pk__in=news).prefetch_related("speakers")
    for talk in talks:
        status, placement, moved = news[talk.pk]
        what = "has moved" if moved else words.get(status, "has a new status")
        if placement is not None:
            start, end = placement.start.astimezone(zone), placement.end.astimezone(zone)
            what += (
                f": {rooms.get(placement.room_id, 'a room')}, {start:%A} {start.day} {start:%B %Y, %H:%M}–{end:%H:%M}"
                f" ({conference.timezone})"
            )
        for speaker in talk.speakers.all():
            if speaker.email:
                body = (
                    f"Hello {speaker.name},\n\nThe schedule of {conference.name} (version {version}) is published: "
                    f"your talk “{talk.title}” {what}.\n"
                    "The transparency report on the conference page explains how the votes were used.\n"
                )
                messages.append((f"[{conference.name}] Your talk: {talk.title}", body, sender, [speaker.email]))
    return messages
