"""Pledges to attend: making, withdrawing, settling at publication, and defaulting after the due date."""

import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.talks.models import Conference

from ..domain.pledges import (
    PledgeTerms,
    SettlementOutcome,
    ThresholdError,
    pledge_due_date,
    pledge_settle_decide,
    pledge_threshold_check,
)
from ..models import AttendanceSettings, Pledge, StateChange, Ticket, TicketClaim
from .changes import state_change_record

logger = logging.getLogger(__name__)


class PledgeRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def pledge_make(*, user, conference: Conference, threshold: Decimal | None = None) -> Pledge:
    """Pledges (or re-pledges after a withdrawal, or changes the threshold of an active pledge)."""
    if conference.status != Conference.Status.VOTING:
        raise PledgeRefused("Pledges can be made only while voting is open.")
    if _holds_voting_ticket(user.pk, conference.pk):
        raise PledgeRefused("You already hold a ticket that counts in full, so there is nothing to pledge.")
    try:
        chosen = pledge_threshold_check(
            Decimal(threshold if threshold is not None else conference.pledge_threshold), conference.pledge_threshold
        )
    except (ThresholdError, InvalidOperation) as exc:
        raise PledgeRefused(str(exc) if isinstance(exc, ThresholdError) else "The threshold is not a number.") from exc
    chosen = chosen.quantize(Decimal("0.001"))
    try:
        with transaction.atomic():
            pledge = Pledge.objects.select_for_update(no_key=True).filter(user=user, conference=conference).first()
            if pledge is None:
                pledge = Pledge.objects.create(user=user, conference=conference, threshold=chosen)
                _record(pledge, "", "I will buy a ticket if enough of the talks I want are scheduled.", user)
                return pledge
            if pledge.status not in (Pledge.Status.ACTIVE, Pledge.Status.WITHDRAWN):
                raise PledgeRefused(f"Your pledge is {pledge.status} and cannot change.")
            previous = pledge.status
            pledge.threshold, pledge.status, pledge.withdrawn_at = chosen, Pledge.Status.ACTIVE, None
            pledge.save(update_fields=["threshold", "status", "withdrawn_at", "updated_at"])
            if previous != pledge.status:
                _record(pledge, previous, "Pledged again after withdrawing.", user)
            return pledge
    except IntegrityError:  # the same person pledging twice at once: the other request made it
        return Pledge.objects.get(user=user, conference=conference)


def pledge_withdraw(*, user, conference: Conference) -> Pledge:
    if conference.status != Conference.Status.VOTING:
        raise PledgeRefused("Voting has closed, so the pledge stands until the schedule is published.")
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update(no_key=True).filter(user=user, conference=conference).first()
        if pledge is None or pledge.status != Pledge.Status.ACTIVE:
            raise PledgeRefused("You have no active pledge to withdraw.")
        pledge.status, pledge.withdrawn_at = Pledge.Status.WITHDRAWN, timezone.now()
        pledge.save(update_fields=["status", "withdrawn_at", "updated_at"])
        _record(pledge, Pledge.Status.ACTIVE, "Withdrawn by the pledger; their votes no longer carry weight.", user)
    return pledge


def pledges_settle(*, conference: Conference, accepted_talk_ids, by=None) -> dict[str, int]:
    """Settles every active pledge against the published schedule. Idempotent: a settled pledge is
    never settled again, so a re-run (after a crash, or twice) only finishes what is left."""
    from ..selectors import wanted_talk_ids_by_user

    accepted = frozenset(int(i) for i in accepted_talk_ids)
    rules = AttendanceSettings.objects.filter(conference=conference).first() or AttendanceSettings()
    today = timezone.localdate()
    due = pledge_due_date(settled_on=today, due_days=rules.pledge_due_days, conference_start=conference.start_date)
    pending = list(Pledge.objects.filter(conference=conference, status=Pledge.Status.ACTIVE).order_by("id"))
    active_user_ids = Pledge.objects.filter(conference=conference, status=Pledge.Status.ACTIVE).values("user_id")
    wanted = wanted_talk_ids_by_user(conference=conference, user_ids=active_user_ids)
    counts = {"triggered": 0, "released": 0, "fulfilled": 0}
    for candidate in pending:
        with transaction.atomic():
            pledge = Pledge.objects.select_for_update(no_key=True).select_related("user").get(pk=candidate.pk)
            if pledge.status != Pledge.Status.ACTIVE:
                continue  # settled by a concurrent run
            if _holds_voting_ticket(pledge.user_id, conference.pk):
                pledge.status = Pledge.Status.FULFILLED
                pledge.save(update_fields=["status", "updated_at"])
                _record(pledge, Pledge.Status.ACTIVE, "Already held a ticket at publication.", by)
                counts["fulfilled"] += 1
                continue
            terms = PledgeTerms(pledge.threshold, frozenset(wanted.get(pledge.user_id, ())))
            outcome = pledge_settle_decide(terms, accepted)
            pledge.accepted_fraction = outcome.accepted_fraction
            pledge.wanted_count, pledge.accepted_count = outcome.wanted_count, outcome.accepted_count
            pledge.settled_at = timezone.now()
            if outcome.outcome == SettlementOutcome.TRIGGERED:
                pledge.status, pledge.due_date = Pledge.Status.TRIGGERED, due
            else:
                pledge.status = Pledge.Status.RELEASED
            pledge.save()
            _record(pledge, Pledge.Status.ACTIVE, outcome.reason, by)
            counts[pledge.status] += 1
            pledge_id, reason = pledge.pk, outcome.reason
            transaction.on_commit(lambda pledge_id=pledge_id, reason=reason: _settlement_email(pledge_id, reason))
    return counts


def pledges_default_overdue(*, today=None) -> int:
    """Triggered pledges whose due date has passed without a ticket become defaulted."""
    today = today or timezone.localdate()
    defaulted = 0
    overdue = Pledge.objects.filter(status=Pledge.Status.TRIGGERED, due_date__lt=today).order_by("id")
    for candidate in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            pledge = Pledge.objects.select_for_update(no_key=True).get(pk=candidate)
            if pledge.status != Pledge.Status.TRIGGERED or pledge.due_date >= today:
                continue
            in_time = TicketClaim.objects.filter(
                user_id=pledge.user_id,
                conference_id=pledge.conference_id,
                ticket__status=Ticket.Status.VALID,
                ticket__ticket_type__may_vote=True,
                claimed_at__date__lte=pledge.due_date,
            ).exists()
            pledge.status = Pledge.Status.FULFILLED if in_time else Pledge.Status.DEFAULTED
            pledge.save(update_fields=["status", "updated_at"])
            why = "A ticket was linked by the due date." if in_time else f"No ticket by the due date {pledge.due_date}."
            _record(pledge, Pledge.Status.TRIGGERED, why, None)
            defaulted += not in_time
    return defaulted


def _settlement_email(pledge_id: int, reason: str) -> None:
    pledge = Pledge.objects.select_related("user", "conference").get(pk=pledge_id)
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    context = {
        "pledge": pledge,
        "conference": pledge.conference,
        "reason": reason,
        "my_ticket_url": site + reverse("attendance:my_ticket", args=[pledge.conference.slug]),
        "my_pledge_url": site + reverse("attendance:my_pledge", args=[pledge.conference.slug]),
    }
    kind = "triggered" if pledge.status == Pledge.Status.TRIGGERED else "released"
    subject = {
        "triggered": f"[confvote] {pledge.conference.name}: your pledge is triggered — please get your ticket",
        "released": f"[confvote] {pledge.conference.name}: your pledge is released — no obligation",
    }[kind]
    try:
        send_mail(subject, render_to_string(f"attendance/email/pledge_{kind}.txt", context), None, [pledge.user.email])
    except Exception:  # the settlement stands; a lost email is logged for the organizers to follow up
        logger.exception("could not send the %s email for pledge %s", kind, pledge_id)


def _holds_voting_ticket(user_id: int, conference_id: int) -> bool:
    return TicketClaim.objects.filter(
        user_id=user_id,
        conference_id=conference_id,
        ticket__status=Ticket.Status.VALID,
        ticket__ticket_type__may_vote=True,
    ).exists()


def _record(pledge: Pledge, from_state: str, reason: str, actor) -> None:
    state_change_record(
        subject=StateChange.Subject.PLEDGE,
        conference_id=pledge.conference_id,
        from_state=from_state,
        to_state=pledge.status,
        reason=reason,
        actor=actor,
        user_id=pledge.user_id,
        pledge=pledge,
    )
