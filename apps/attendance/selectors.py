"""Reads about attendees: who counts as a ticket holder or a pledger at a conference, what a person
holds or pledged, the talks a person speaks in, and the organizers' pledge figures."""

from collections import defaultdict

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from apps.ballots.models import Vote
from apps.talks.models import Conference, Speaker, Talk

from .domain.eligibility import EligibilityFacts, VoterClass, VoterStatus, voter_status_decide
from .domain.pledges import PledgeTerms, pledge_forecast_count
from .models import AttendanceSettings, Pledge, Ticket, TicketClaim


def voter_status(*, user, conference: Conference) -> VoterStatus:
    """One person's class at one conference, with the reason in words they can act on."""
    if not user.is_authenticated:
        return voter_status_decide(EligibilityFacts())
    claims = TicketClaim.objects.filter(user=user, conference=conference).select_related("ticket__ticket_type")
    past_class = _past_attendee_class(conference)
    facts = EligibilityFacts(
        has_valid_voting_ticket=any(_counts(c.ticket) for c in claims),
        has_non_voting_ticket=any(
            c.ticket.status == Ticket.Status.VALID and not c.ticket.ticket_type.may_vote for c in claims
        ),
        has_cancelled_ticket=any(c.ticket.status == Ticket.Status.CANCELLED for c in claims),
        has_active_pledge=Pledge.objects.filter(user=user, conference=conference, status=Pledge.Status.ACTIVE).exists(),
        is_past_attendee=past_class != VoterClass.NOT_ELIGIBLE and _past_attendees(conference, user=user).exists(),
        past_attendee_class=past_class,
    )
    return voter_status_decide(facts)


def voter_class_map(*, conference: Conference) -> dict[int, VoterClass]:
    """user id → class for everyone who counts at the conference. Anyone absent is NOT_ELIGIBLE.

    Three queries whatever the size (four when past attendees count); this is what the tally reads."""
    holders = set(
        TicketClaim.objects.filter(
            conference=conference, ticket__status=Ticket.Status.VALID, ticket__ticket_type__may_vote=True
        ).values_list("user_id", flat=True)
    )
    pledgers = set(
        Pledge.objects.filter(Q(conference=conference) & Q(status=Pledge.Status.ACTIVE)).values_list(
            "user_id", flat=True
        )
    )
    classes: dict[int, VoterClass] = {}
    past_class = _past_attendee_class(conference)
    if past_class != VoterClass.NOT_ELIGIBLE:
        classes.update(dict.fromkeys(_past_attendees(conference).values_list("user_id", flat=True), past_class))
    classes.update(dict.fromkeys(pledgers - holders, VoterClass.PLEDGER))
    classes.update(dict.fromkeys(holders, VoterClass.TICKET_HOLDER))
    return classes


def talk_ids_of_user(*, user, conference: Conference) -> set[int]:
    """Talks this person speaks in (linked speaker profile, or a speaker email that is one of their
    verified emails, ignoring case). The vote service refuses votes on these."""
    if not user.is_authenticated:
        return set()
    emails = EmailAddress.objects.filter(user=user, verified=True).annotate(email_ci=Lower("email")).values("email_ci")
    speakers = (
        Speaker.objects.filter(conference=conference)
        .annotate(email_ci=Lower("email"))
        .filter(Q(user=user) | (Q(email_ci__in=emails) & ~Q(email="")))
        .values("id")
    )
    return set(Talk.objects.filter(conference=conference, speakers__in=speakers).values_list("id", flat=True))


def ticket_claim_of_user(*, user, conference: Conference) -> TicketClaim | None:
    return (
        TicketClaim.objects.filter(user=user, conference=conference)
        .select_related("ticket__ticket_type", "conference")
        .first()
    )


def pledge_of_user(*, user, conference: Conference) -> Pledge | None:
    return Pledge.objects.filter(user=user, conference=conference).first()


def conferences_of_user(*, user) -> QuerySet[Conference]:
    """Public conferences, each annotated with whether this person holds a ticket or a pledge there."""
    return (
        Conference.objects.exclude(status=Conference.Status.DRAFT)
        .annotate(
            # EXISTS, not a join: a join would multiply every claim by every pledge of the conference.
            my_claims=Exists(TicketClaim.objects.filter(conference=OuterRef("pk"), user=user)),
            my_pledges=Exists(Pledge.objects.filter(conference=OuterRef("pk"), user=user)),
        )
        .order_by("-start_date", "name")
    )


def wanted_talk_ids_by_user(*, conference: Conference, user_ids) -> dict[int, set[int]]:
    """user id → the talks they scored at or above the conference's "want to see" score. One query.
    `user_ids` may be a list or a queryset of user ids (a subquery: no long list of parameters)."""
    wanted: dict[int, set[int]] = defaultdict(set)
    votes = Vote.objects.filter(
        talk__conference=conference, user_id__in=user_ids, score__gte=conference.wanted_min_score
    ).values_list("user_id", "talk_id")
    for user_id, talk_id in votes:
        wanted[user_id].add(talk_id)
    return wanted


def pledges_forecast(*, conference: Conference, accepted_talk_ids) -> dict[str, int]:
    """What settling the active pledges against this set of accepted talks would do, writing nothing."""
    active = list(
        Pledge.objects.filter(conference=conference, status=Pledge.Status.ACTIVE).values_list("user_id", "threshold")
    )
    active_user_ids = Pledge.objects.filter(conference=conference, status=Pledge.Status.ACTIVE).values("user_id")
    wanted = wanted_talk_ids_by_user(conference=conference, user_ids=active_user_ids)
    terms = [PledgeTerms(threshold, frozenset(wanted.get(user_id, ()))) for user_id, threshold in active]
    return pledge_forecast_count(terms, {int(i) for i in accepted_talk_ids}) | {"active": len(active)}


def pledge_dashboard(*, conference: Conference) -> dict:
    """Figures for the organizers' pledge page: counts by status, the triggered → fulfilled funnel,
    and (before publication) the forecast for the latest successful schedule proposal."""
    from apps.scheduling.models import ScheduleProposal

    by_status = dict(
        Pledge.objects.filter(conference=conference)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    statuses = [(value, label, by_status.get(value, 0)) for value, label in Pledge.Status.choices]
    settled_fulfilled = Pledge.objects.filter(
        conference=conference, status=Pledge.Status.FULFILLED, settled_at__isnull=False
    ).count()
    triggered_total = by_status.get(Pledge.Status.TRIGGERED, 0) + by_status.get(Pledge.Status.DEFAULTED, 0)
    triggered_total += settled_fulfilled
    funnel = {
        "triggered": triggered_total,
        "fulfilled": settled_fulfilled,
        "waiting": by_status.get(Pledge.Status.TRIGGERED, 0),
        "defaulted": by_status.get(Pledge.Status.DEFAULTED, 0),
        "conversion_percent": round(100 * settled_fulfilled / triggered_total) if triggered_total else None,
    }
    proposal = None
    forecast = None
    if conference.status != Conference.Status.PUBLISHED:
        proposal = (
            ScheduleProposal.objects.filter(conference=conference, status=ScheduleProposal.Status.SUCCEEDED)
            .order_by(F("finished_at").desc(nulls_last=True), "-created_at")
            .only("id", "result", "finished_at", "created_at")
            .first()
        )
        accepted = (proposal.result or {}).get("accepted_talk_ids") if proposal else None
        if isinstance(accepted, list):
            forecast = pledges_forecast(conference=conference, accepted_talk_ids=accepted)
        else:
            proposal = None
    return {
        "statuses": statuses,
        "total": sum(by_status.values()),
        "funnel": funnel,
        "proposal": proposal,
        "forecast": forecast,
    }


def _past_attendee_class(conference: Conference) -> VoterClass:
    value = (
        AttendanceSettings.objects.filter(conference=conference).values_list("past_attendee_class", flat=True).first()
    )
    return VoterClass(value) if value else VoterClass.NOT_ELIGIBLE


def _past_attendees(conference: Conference, user=None) -> QuerySet[TicketClaim]:
    claims = TicketClaim.objects.filter(
        conference__later_editions_settings__conference=conference,
        ticket__status=Ticket.Status.VALID,
        ticket__ticket_type__may_vote=True,
    )
    return claims.filter(user=user) if user is not None else claims


def _counts(ticket: Ticket) -> bool:
    return ticket.status == Ticket.Status.VALID and ticket.ticket_type.may_vote
