"""Linking tickets to accounts: by order code and email, by a one-time link, or automatically by a
verified email. One ticket ↔ one account, one ticket per account and conference."""

import datetime as dt
import hashlib
import logging
import secrets

from allauth.account.models import EmailAddress
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone

from apps.talks.models import Conference, Speaker

from ..models import Pledge, StateChange, Ticket, TicketClaim, TicketClaimFailure, TicketInvitation
from . import throttle
from .changes import state_change_record

logger = logging.getLogger(__name__)

GENERIC_FAILURE = (
    "We could not link a ticket with that order code and email. Check both against the confirmation "
    "email from the ticket shop (the email is the one the ticket was issued to), or ask the organizers."
)
ALREADY_CLAIMED = (
    "This ticket is already linked to another account, so it cannot be linked to yours. If it is your "
    "ticket, contact the organizers: they have been told about this attempt."
)
BAD_LINK = "This link is not valid any more: it was used already or has expired. Ask the organizers for a new one."
INVITATION_DAYS = 30


class ClaimRefused(Exception):
    """A claim that did not happen; `message` tells the person what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _AlreadyClaimed(Exception):
    """The ticket is linked already (possibly by a claimant who was served just before)."""


def ticket_claim_by_order_code(
    *, user, conference: Conference, order_code: str, email: str, ip: str | None
) -> TicketClaim:
    own = TicketClaim.objects.filter(user=user, conference=conference).select_related("ticket").first()
    if own is not None:
        raise ClaimRefused(f"You already linked ticket {own.ticket.order_code} for {conference.name}.")
    order_code, email = order_code.strip(), email.strip()
    if throttle.claim_is_throttled(user_id=user.pk, ip=ip):
        _failure(conference, user, ip, TicketClaimFailure.Kind.THROTTLED, order_code)
        raise ClaimRefused(throttle.THROTTLED_MESSAGE)
    candidates = list(
        Ticket.objects.filter(conference=conference, order_code__iexact=order_code, holder_email__iexact=email)
        .select_related("claim")
        .order_by("id")
    )
    unclaimed = [t for t in candidates if not hasattr(t, "claim")]
    if not candidates:
        throttle.claim_failure_count(user_id=user.pk, ip=ip)
        _failure(conference, user, ip, TicketClaimFailure.Kind.NO_MATCH, order_code)
        raise ClaimRefused(GENERIC_FAILURE)
    if not unclaimed:
        throttle.claim_failure_count(user_id=user.pk, ip=ip)
        _failure(conference, user, ip, TicketClaimFailure.Kind.ALREADY_CLAIMED, order_code, candidates[0].pk)
        raise ClaimRefused(ALREADY_CLAIMED)
    valid = [t for t in unclaimed if t.status == Ticket.Status.VALID] or unclaimed
    return _claim_or_explain(
        user=user, ticket_id=valid[0].pk, method=TicketClaim.Method.ORDER_CODE, ip=ip, order_code=order_code
    )


def ticket_invitation_find(*, token: str) -> TicketInvitation | None:
    """The usable invitation behind a token, or None (unknown, used or expired)."""
    invitation = TicketInvitation.objects.filter(token_hash=_hash(token)).select_related("ticket__conference").first()
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= timezone.now():
        return None
    return invitation


def ticket_claim_by_invitation(*, user, token: str, ip: str | None) -> TicketClaim:
    if throttle.claim_is_throttled(user_id=None, ip=ip):
        raise ClaimRefused(throttle.THROTTLED_MESSAGE)
    invitation = ticket_invitation_find(token=token)
    if invitation is None:
        known = TicketInvitation.objects.filter(token_hash=_hash(token)).select_related("ticket").first()
        if known is not None and known.used_by_id == user.pk:  # a second click by the same person
            own = TicketClaim.objects.filter(user=user, ticket_id=known.ticket_id).first()
            if own is not None:
                return own
        throttle.claim_failure_count(user_id=None, ip=ip)
        if known is not None:
            _failure(known.ticket.conference, user, ip, TicketClaimFailure.Kind.BAD_LINK, "", known.ticket_id)
        raise ClaimRefused(BAD_LINK)
    own = TicketClaim.objects.filter(user=user, conference_id=invitation.ticket.conference_id).first()
    if own is not None and own.ticket_id == invitation.ticket_id:
        return own
    if own is not None:
        raise ClaimRefused("You already linked another ticket for this conference; one account holds one ticket.")
    return _claim_or_explain(
        user=user, ticket_id=invitation.ticket_id, method=TicketClaim.Method.LINK, ip=ip, invitation_id=invitation.pk
    )


def ticket_claim_by_organizer(*, user, ticket: Ticket, by) -> TicketClaim:
    return _claim_or_explain(user=user, ticket_id=ticket.pk, method=TicketClaim.Method.ORGANIZER, ip=None, actor=by)


def ticket_claim_revoke(*, claim: TicketClaim, by, reason: str) -> None:
    """Unlinks a ticket (an organizer's decision); the account's votes are kept but stop counting."""
    if not reason.strip():
        raise ClaimRefused("Say why the ticket is unlinked; the reason is recorded.")
    with transaction.atomic():
        Ticket.objects.select_for_update(no_key=True).get(pk=claim.ticket_id)
        deleted, _ = TicketClaim.objects.filter(pk=claim.pk).delete()
        if deleted:
            state_change_record(
                subject=StateChange.Subject.CLAIM,
                conference_id=claim.conference_id,
                from_state="linked",
                to_state="unlinked",
                reason=reason,
                actor=by,
                user_id=claim.user_id,
                ticket=claim.ticket,
            )


def account_links_apply(*, user) -> int:
    """Links what a user's verified emails prove: speaker profiles, and at most one ticket per
    conference whose holder email is one of them. Returns how many tickets were linked."""
    emails = _verified_emails(user)
    if not emails:
        return 0
    Speaker.objects.annotate(email_ci=Lower("email")).filter(email_ci__in=emails, user__isnull=True).update(user=user)
    held = set(TicketClaim.objects.filter(user=user).values_list("conference_id", flat=True))
    tickets = (
        Ticket.objects.annotate(email_ci=Lower("holder_email"))
        .filter(email_ci__in=emails, status=Ticket.Status.VALID, claim__isnull=True)
        .exclude(conference_id__in=held)
        .order_by("conference_id", "-ticket_type__may_vote", "id")
        .values_list("conference_id", "id")
    )
    linked = 0
    for conference_id, ticket_id in tickets:
        if conference_id in held:
            continue
        try:
            _claim(user=user, ticket_id=ticket_id, method=TicketClaim.Method.EMAIL, actor=None)
        except (ClaimRefused, _AlreadyClaimed, IntegrityError):
            continue
        held.add(conference_id)
        linked += 1
    return linked


def tickets_autolink_for_conference(*, conference: Conference) -> int:
    """After an import or sync: links unclaimed valid tickets to accounts with that verified email."""
    holder_emails = (
        Ticket.objects.filter(conference=conference, status=Ticket.Status.VALID, claim__isnull=True)
        .exclude(holder_email="")
        .annotate(email_ci=Lower("holder_email"))
        .values("email_ci")
    )
    user_ids = set(
        EmailAddress.objects.filter(verified=True)
        .annotate(email_ci=Lower("email"))
        .filter(email_ci__in=holder_emails)
        .exclude(user__ticket_claims__conference=conference)
        .values_list("user_id", flat=True)
    )
    from apps.attendance.models import User

    return sum(account_links_apply(user=user) for user in User.objects.filter(pk__in=user_ids).order_by("pk"))


def ticket_invitations_send(*, tickets, by, link_for) -> dict[str, int]:
    """Emails a one-time link to each unclaimed, valid ticket with a holder email. `link_for(token)`
    makes the absolute URL. Returns how many were sent and skipped."""
    sent = skipped = 0
    now = timezone.now()
    for ticket in tickets.select_related("conference", "ticket_type").filter(claim__isnull=True):
        if ticket.status != Ticket.Status.VALID or not ticket.holder_email:
            skipped += 1
            continue
        token = secrets.token_urlsafe(32)
        TicketInvitation.objects.create(
            ticket=ticket,
            token_hash=_hash(token),
            sent_to=ticket.holder_email,
            created_by=by,
            created_at=now,
            expires_at=now + dt.timedelta(days=INVITATION_DAYS),
        )
        context = {"ticket": ticket, "conference": ticket.conference, "link": link_for(token), "days": INVITATION_DAYS}
        send_mail(
            f"[confvote] Link your {ticket.conference.name} ticket to your account",
            render_to_string("attendance/email/ticket_invitation.txt", context),
            None,
            [ticket.holder_email],
        )
        sent += 1
    tickets_skipped = tickets.filter(claim__isnull=False).count()
    return {"sent": sent, "skipped": skipped + tickets_skipped}


def _claim_or_explain(
    *,
    user,
    ticket_id: int,
    method: str,
    ip: str | None,
    order_code: str = "",
    invitation_id: int | None = None,
    actor=None,
) -> TicketClaim:
    try:
        return _claim(user=user, ticket_id=ticket_id, method=method, actor=actor or user, invitation_id=invitation_id)
    except _AlreadyClaimed:
        pass
    except IntegrityError:
        # A concurrent claim won: either of this ticket, or of another ticket by the same account.
        if not TicketClaim.objects.filter(ticket_id=ticket_id).exclude(user=user).exists():
            raise ClaimRefused(
                "You already linked a ticket for this conference; one account holds one ticket."
            ) from None
    ticket = Ticket.objects.select_related("conference").get(pk=ticket_id)
    throttle.claim_failure_count(user_id=user.pk, ip=ip)
    _failure(ticket.conference, user, ip, TicketClaimFailure.Kind.ALREADY_CLAIMED, order_code, ticket_id)
    raise ClaimRefused(ALREADY_CLAIMED)


def _claim(*, user, ticket_id: int, method: str, actor, invitation_id: int | None = None) -> TicketClaim:
    """Links one ticket, locking it first so that two claimants are served one after the other."""
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(no_key=True, of=("self",)).select_related("ticket_type").get(pk=ticket_id)
        )
        if TicketClaim.objects.filter(ticket_id=ticket_id).exists():
            raise _AlreadyClaimed(ticket_id)
        if ticket.status != Ticket.Status.VALID:
            raise ClaimRefused(
                "This ticket was cancelled, so it cannot be linked. Ask the organizers if that is wrong."
            )
        claim = TicketClaim.objects.create(conference_id=ticket.conference_id, ticket=ticket, user=user, method=method)
        if invitation_id is not None:
            TicketInvitation.objects.filter(pk=invitation_id).update(used_at=timezone.now(), used_by=user)
        state_change_record(
            subject=StateChange.Subject.CLAIM,
            conference_id=ticket.conference_id,
            from_state="",
            to_state="linked",
            reason=f"Linked: {TicketClaim.Method(method).label}.",
            actor=actor,
            user_id=user.pk,
            ticket=ticket,
        )
        if ticket.ticket_type.may_vote:
            _pledge_fulfil(user_id=user.pk, conference_id=ticket.conference_id, actor=actor)
    return claim


def _pledge_fulfil(*, user_id: int, conference_id: int, actor) -> None:
    """A ticket that may vote turns an active pledge, or a triggered one before its due date, into a kept promise."""
    pledge = (
        Pledge.objects.select_for_update(no_key=True)
        .filter(user_id=user_id, conference_id=conference_id)
        .select_related("conference")
        .first()
    )
    if pledge is None:
        return
    today = timezone.localdate()
    if pledge.status == Pledge.Status.ACTIVE:
        reason = "A ticket was linked while the pledge was active: votes now count in full."
    elif pledge.status == Pledge.Status.TRIGGERED and pledge.due_date and today <= pledge.due_date:
        reason = f"A ticket was linked on {today:%Y-%m-%d}, by the due date {pledge.due_date:%Y-%m-%d}."
    else:
        return
    previous = pledge.status
    pledge.status = Pledge.Status.FULFILLED
    pledge.save(update_fields=["status", "updated_at"])
    state_change_record(
        subject=StateChange.Subject.PLEDGE,
        conference_id=conference_id,
        from_state=previous,
        to_state=pledge.status,
        reason=reason,
        actor=actor,
        user_id=user_id,
        pledge=pledge,
    )


def _failure(conference, user, ip, kind: str, order_code: str, ticket_id: int | None = None) -> None:
    TicketClaimFailure.objects.create(
        conference=conference, user=user, ip_address=ip, kind=kind, order_code=order_code[:64], ticket_id=ticket_id
    )


def _verified_emails(user) -> set[str]:
    return {e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
