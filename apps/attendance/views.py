"""Attendee pages (my ticket, my pledge, one-time links), the organizers' pledge dashboard and the
pretix webhook. Thin: forms check shape, services decide, selectors read."""

import logging
from decimal import Decimal

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.ballots.selectors import class_weights, weight_policy_current
from apps.talks.models import Conference
from apps.talks.selectors import conference_get_public
from confvote.json_text import json_loads

from . import selectors, services, tasks
from .domain.eligibility import VoterClass
from .domain.pledges import percent_label
from .forms import PledgeForm, TicketClaimForm
from .models import PretixConnection
from .services.throttle import client_ip

logger = logging.getLogger(__name__)


def _conference(slug: str) -> Conference:
    conference = conference_get_public(slug=slug)
    if conference is None:
        raise Http404("No such conference.")
    return conference


@login_required
@require_GET
def my_overview(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.conferences_of_user(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "attendance/my_overview.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def my_ticket(request: HttpRequest, slug: str) -> HttpResponse:
    conference = _conference(slug)
    form = TicketClaimForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.ticket_claim_by_order_code(
                user=request.user,
                conference=conference,
                order_code=form.cleaned_data["order_code"],
                email=form.cleaned_data["email"],
                ip=client_ip(request),
            )
        except services.ClaimRefused as refusal:
            form.add_error(None, refusal.message)
            status = 400
        else:
            messages.success(request, "Your ticket is linked. Your votes now count as a ticket holder's.")
            return redirect("attendance:my_ticket", slug=conference.slug)
    elif request.method == "POST":
        status = 400
    context = {
        "conference": conference,
        "claim": selectors.ticket_claim_of_user(user=request.user, conference=conference),
        "voter": selectors.voter_status(user=request.user, conference=conference),
        "form": form,
    }
    return render(request, "attendance/my_ticket.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def my_pledge(request: HttpRequest, slug: str) -> HttpResponse:
    conference = _conference(slug)
    pledge = selectors.pledge_of_user(user=request.user, conference=conference)
    initial = {"threshold_percent": int((pledge.threshold if pledge else conference.pledge_threshold) * 100)}
    form = PledgeForm(request.POST or None, conference=conference, initial=initial)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                services.pledge_withdraw(user=request.user, conference=conference)
                messages.success(request, "Your pledge is withdrawn. Your votes are kept but no longer carry weight.")
                return redirect("attendance:my_pledge", slug=conference.slug)
            if form.is_valid():
                services.pledge_make(user=request.user, conference=conference, threshold=form.threshold)
                messages.success(request, "Your pledge is recorded. Your votes now count at the pledge weight.")
                return redirect("attendance:my_pledge", slug=conference.slug)
        except services.PledgeRefused as refusal:
            form.add_error(None, refusal.message)
        status = 400
    policy = weight_policy_current(conference=conference)
    voter = selectors.voter_status(user=request.user, conference=conference)
    weights = class_weights(policy)
    context = {
        "conference": conference,
        "pledge": pledge,
        "form": form,
        "voter": voter,
        "my_weight": weights.of(voter.voter_class),
        "pledger_weight": weights.pledger,
        "policy": policy,
        "is_pledger": voter.voter_class == VoterClass.PLEDGER,
        "threshold_label": percent_label(pledge.threshold if pledge else conference.pledge_threshold),
        "default_threshold_label": percent_label(conference.pledge_threshold),
        "wanted_label": dict(conference.scale).get(conference.wanted_min_score, str(conference.wanted_min_score)),
        "accepted_percent": (pledge.accepted_fraction * 100).quantize(Decimal("0.1"))
        if pledge and pledge.accepted_fraction is not None
        else None,
    }
    return render(request, "attendance/my_pledge.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ticket_link(request: HttpRequest, token: str) -> HttpResponse:
    """A one-time link from the organizers. GET only shows what it links (mail scanners open links);
    the button POSTs."""
    if request.method == "POST":
        try:
            claim = services.ticket_claim_by_invitation(user=request.user, token=token, ip=client_ip(request))
        except services.ClaimRefused as refusal:
            return render(request, "attendance/ticket_link.html", {"error": refusal.message}, status=400)
        messages.success(request, "Your ticket is linked. Your votes now count as a ticket holder's.")
        return redirect("attendance:my_ticket", slug=claim.conference.slug)
    invitation = services.ticket_invitation_find(token=token)
    if invitation is None:
        return render(request, "attendance/ticket_link.html", {"error": services.claims.BAD_LINK}, status=404)
    return render(request, "attendance/ticket_link.html", {"invitation": invitation, "ticket": invitation.ticket})


@staff_member_required
@require_GET
def pledge_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    conference = Conference.objects.filter(slug=slug).first()
    if conference is None:
        raise Http404("No such conference.")
    figures = selectors.pledge_dashboard(conference=conference)
    return render(request, "attendance/pledge_dashboard.html", {"conference": conference, **figures})


@csrf_exempt  # pretix cannot send a CSRF token; the secret URL token authenticates the caller
@require_POST
def pretix_webhook(request: HttpRequest, token: str) -> JsonResponse:
    # PostgreSQL text cannot hold a NUL byte, and no token has one: looking it up would be a 500.
    connection = None if "\x00" in token else PretixConnection.objects.filter(webhook_token=token, active=True).first()
    if connection is None:
        return JsonResponse({"error": "Unknown webhook."}, status=404)
    try:
        payload = json_loads(request.body)
        organizer, event, code = str(payload["organizer"]), str(payload["event"]), str(payload["code"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "Expected a JSON body with organizer, event and code."}, status=400)
    if (organizer, event) != (connection.organizer_slug, connection.event_slug):
        return JsonResponse({"status": "ignored", "reason": "another event"}, status=200)
    if not (code.isascii() and code.isalnum()) or len(code) > 64:  # "²" and "١" are alphanumeric too
        return JsonResponse({"error": "The order code is not valid."}, status=400)
    transaction.on_commit(lambda: tasks.pretix_sync_order.delay(connection.pk, code))
    return JsonResponse({"status": "queued"}, status=202)
