"""Bloc detection with every tally: detect, keep the organizers' decisions, bound the blocs' votes.

`tally_with_blocs` is what the periodic tally and a schedule proposal call: it runs detection on
the current votes, stores what it found (matched to earlier findings by key, so confirmations and
dismissals stay), and computes the tally snapshot with each bloc's members' votes on its talk
multiplied down to the bloc's bound. Dismissed blocs count in full; confirmed ones get the policy's
stronger discount."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.talks.models import Conference

from ..domain.blocs import Bloc as FoundBloc
from ..domain.blocs import BlocStatus, bloc_counts_as, bloc_discounts, bloc_multiplier, blocs_detect
from ..domain.blocs_input import BlocRule
from ..domain.tally import discounts_align, tally_compute
from ..models import Bloc, BlocDecision, TallySnapshot
from ..selectors.blocs import bloc_input_recorded, stored_bloc_sentence
from ..selectors.tally import tally_input
from .policies import weight_policy_ensure
from .tallies import _reasons_by_talk, _snapshot_for, no_progress

# pg_advisory_lock's first key: this lock's namespace; the second is the conference id.
DETECTION_LOCK_NAMESPACE = 5_2005


@dataclass(frozen=True)
class BlocRefresh:
    found: int
    new: int
    gone: int
    snapshot: TallySnapshot
    votes: int = 0


@contextmanager
def conference_turn(conference_id: int) -> Iterator[None]:
    """One detection at a time per conference, from reading the decisions to storing the blocs, so a
    decision made while a run is under way is applied by the run after it, never lost between the two;
    a publication holds it from its detection to the end of publishing, so what it publishes is what it
    detected. A session-level advisory lock on PostgreSQL (not a transaction: progress stays visible
    while it is held; taken again by the same session, as detection inside a publication does, it
    stacks); SQLite, the single-process development database, needs none."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [DETECTION_LOCK_NAMESPACE, conference_id])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [DETECTION_LOCK_NAMESPACE, conference_id])
        except DatabaseError:  # an aborted transaction: closing the session is what releases its locks
            connection.close()


def _no_record(inputs: dict) -> None:
    return None


def tally_with_blocs(
    *,
    conference: Conference,
    progress: Callable[[str, int], None] = no_progress,
    record: Callable[[dict], None] = _no_record,
) -> BlocRefresh:
    """Detects blocs in the current votes, stores them, and stores the tally with their discounts.
    `progress(phase, percent)` is told each step (a detection run shows it to the organizer), and
    `record(inputs)` the organizer data detection read, as soon as it has read it (the run keeps it)."""
    with conference_turn(conference.pk):
        progress("reading votes", 5)
        policy = weight_policy_ensure(conference=conference)
        rule = BlocRule.from_json(policy.bloc_rule or {})
        found_in, inputs = bloc_input_recorded(conference=conference, policy=policy)
        record(inputs)
        progress("detecting blocs", 25)
        report = blocs_detect(found_in, rule)
        progress("tallying with and without the discounts", 55)
        data = tally_input(conference=conference, policy=policy)
        statuses = dict(
            Bloc.objects.filter(conference=conference).exclude(status="detected").values_list("key", "status")
        )
        discounts = bloc_discounts(report.blocs, rule, statuses)
        discount = discounts_align(
            voter_ids=data.voter_ids, vote_talk_ids=data.vote_talk_ids, discounts=discounts.mapping()
        )
        before = _ranks(tally_compute(data))
        with_discount = _replace_discount(data, discount)
        after = _ranks(tally_compute(with_discount))
        progress("storing the blocs", 75)
        new, gone = _store(conference, report.blocs, rule, statuses, before, after)
        progress("storing the tally", 90)
        # With each discounted talk's reasons, as publishing records them: publishing reuses this snapshot
        # (same inputs), so without them the published breakdown would say nothing of why.
        reasons = _reasons_by_talk(discounts.mapping(), discounts.reason_mapping())
        snapshot, _ = _snapshot_for(conference=conference, policy=policy, data=with_discount, reasons=reasons)
    return BlocRefresh(found=len(report.blocs), new=new, gone=gone, snapshot=snapshot, votes=len(found_in.vote_score))


def _replace_discount(data, discount: np.ndarray):
    from dataclasses import replace

    return replace(data, discount=discount if np.any(discount < 1.0) else None)


def _ranks(result) -> dict[int, tuple[int, float | None]]:
    """Talk id → (rank, ranking score; None where the talk has no counted vote)."""
    return {
        int(t): (int(r), float(b) if np.isfinite(b) else None)
        for t, r, b in zip(result.talk_ids, result.rank, result.bayes_average, strict=True)
    }


@transaction.atomic
def _store(conference, found: tuple[FoundBloc, ...], rule, statuses, before, after) -> tuple[int, int]:
    now = timezone.now()
    existing = {b.key: b for b in Bloc.objects.select_for_update(no_key=True).filter(conference=conference)}
    new = 0
    for bloc in found:
        status = BlocStatus(statuses.get(bloc.key, "detected"))
        fields = {
            "talk_id": bloc.talk_id,
            "direction": bloc.direction,
            "size": bloc.size,
            "weight": bloc.weight,
            "fair_share": bloc.fair_share,
            "counts_as": bloc_counts_as(bloc, rule, status),
            # Rounded as `bloc_discounts` rounds it, so the published tally is the one stored here.
            "multiplier": max(1e-6, round(bloc_multiplier(bloc, rule, status), 6)),
            "signals": list(bloc.signals),
            "speaker_link": bloc.speaker_link,
            "evidence": [
                {
                    "signal": e.signal,
                    "sentence": e.sentence,
                    "observed": e.observed,
                    "expected": e.expected,
                    "p_value": e.p_value,
                }
                for e in bloc.evidence
            ],
            "p_value": bloc.p_value,
            "rank_before": before.get(bloc.talk_id, (None, None))[0],
            "rank_after": after.get(bloc.talk_id, (None, None))[0],
            "score_before": before.get(bloc.talk_id, (None, None))[1],
            "score_after": after.get(bloc.talk_id, (None, None))[1],
            "present": True,
            "last_detected_at": now,
        }
        row = existing.pop(bloc.key, None)
        if row is None:
            row = Bloc.objects.create(conference=conference, key=bloc.key, first_detected_at=now, **fields)
            new += 1
        else:
            Bloc.objects.filter(pk=row.pk).update(**fields)
        row.members.set(bloc.member_ids)
        row.spared.set(bloc.not_pushing)  # a bloc with the same key can spare others once votes change
    gone = Bloc.objects.filter(pk__in=[b.pk for b in existing.values() if b.present]).update(present=False)
    return new, gone


def bloc_decide(*, bloc: Bloc, status: str, reason: str, by) -> Bloc:
    """Confirm or dismiss a bloc (or return it to detected), with a reason that is kept."""
    reason = (reason or "").strip()
    if status not in Bloc.Status.values:
        raise ValidationError({"status": f"Choose one of {', '.join(Bloc.Status.values)}."})
    if status != Bloc.Status.DETECTED and not reason:
        raise ValidationError({"reason": "Say why: the reason is kept with the decision."})
    now = timezone.now()
    with transaction.atomic():
        Bloc.objects.filter(pk=bloc.pk).update(status=status, reason=reason, decided_by=by, decided_at=now)
        BlocDecision.objects.create(bloc_id=bloc.pk, status=status, reason=reason, decided_by=by, decided_at=now)
    bloc.refresh_from_db()
    return bloc


def bloc_discount_mappings(*, conference: Conference) -> tuple[dict, dict]:
    """The stored blocs' current effect, for publishing the tally: (voter, talk) → multiplier and the
    sentence each member sees. Dismissed blocs and blocs no longer found have no effect, and neither has
    a bloc on the members it spared (their score does not move the talk the bloc's way)."""
    multipliers, reasons = {}, {}
    active = Bloc.objects.filter(conference=conference, present=True, multiplier__lt=1).exclude(status="dismissed")
    for bloc in active.prefetch_related("members", "spared"):
        sentence = stored_bloc_sentence(bloc)
        spared = {m.pk for m in bloc.spared.all()}
        for member in bloc.members.all():
            if member.pk in spared:
                continue
            pair = (member.pk, bloc.talk_id)
            if bloc.multiplier < multipliers.get(pair, 1.0):
                multipliers[pair], reasons[pair] = bloc.multiplier, sentence
    return multipliers, reasons


def tally_publish_with_blocs(
    *,
    conference: Conference,
    progress: Callable[[str, int], None] = no_progress,
    detect: Callable[..., BlocRefresh] = tally_with_blocs,
) -> TallySnapshot:
    """Detects blocs once more (`detect`: a publication run records it as a detection run), then publishes
    the tally and its bulletin board with their discounts, in one turn of the conference's: no other
    detection comes between the two. `progress(phase, percent)`: "waiting for its turn", detection's
    phases as "detection: …" up to 30%, then publishing's (services/tallies.py)."""
    from .tallies import tally_publish

    progress("waiting for its turn", 0)  # while a detection under way finishes
    with conference_turn(conference.pk):
        detect(
            conference=conference, progress=lambda phase, percent: progress(f"detection: {phase}", percent * 3 // 10)
        )
        multipliers, reasons = bloc_discount_mappings(conference=conference)
        return tally_publish(
            conference=conference,
            discounts=multipliers,
            discount_reasons=reasons,
            progress=lambda phase, percent: progress(phase, 30 + percent * 7 // 10),
        )
