"""seed_demo: documented counts, the planted structure later features rely on, determinism, idempotence."""

import hashlib
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count

from apps.attendance.models import Pledge, Ticket, TicketClaim, User
from apps.ballots.models import Vote, VoteEvent
from apps.scheduling.models import Room, Slot
from apps.talks.demo.plan import ATTENDEE_EMAIL, FREE_MAIL_DOMAIN, ORGANIZER_EMAIL
from apps.talks.models import Conference, Speaker, Talk

pytestmark = pytest.mark.django_db

TODAY = "2026-11-01"


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--no-progress", "--today", TODAY, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def database_digest() -> str:
    """A hash of everything the seeder writes that identifies content (not database ids or timestamps of insert)."""
    h = hashlib.sha256()
    for row in User.objects.order_by("email").values_list("email", "name", "is_staff"):
        h.update(repr(row).encode())
    for row in Talk.objects.order_by("external_id").values_list(
        "external_id", "title", "abstract", "track__slug", "format", "duration_minutes"
    ):
        h.update(repr(row).encode())
    for row in Ticket.objects.order_by("secret").values_list(
        "secret", "order_code", "holder_email", "status", "ticket_type__name", "claim__user__email"
    ):
        h.update(repr(row).encode())
    for row in Vote.objects.order_by("user__email", "talk__external_id").values_list(
        "user__email", "talk__external_id", "score", "created_at"
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


def test_small_demo_has_the_documented_shape():
    output = seed("--scale", "small", "--seed", "7")
    conference = Conference.objects.get(slug="demo")
    assert conference.status == Conference.Status.VOTING
    assert Talk.objects.count() == 60
    assert User.objects.count() == 500
    assert Room.objects.count() == 6
    assert Slot.objects.count() == 3 * 7 * 6  # 3 days, 7 periods a day, 6 rooms
    assert 5_400 <= Vote.objects.count() <= 6_600  # "about 6,000"
    assert VoteEvent.objects.count() == Vote.objects.count()  # every vote has its cast in the history

    # Group orders, users without tickets, cancelled tickets, pledgers, speakers with companies.
    order_sizes = Counter(Ticket.objects.values_list("order_code", flat=True))
    assert max(order_sizes.values()) >= 5
    assert User.objects.filter(ticket_claims__isnull=True, pledges__isnull=True).count() > 50
    assert Pledge.objects.filter(status=Pledge.Status.ACTIVE).count() == 50
    assert Ticket.objects.filter(status=Ticket.Status.CANCELLED).exists()
    assert Ticket.objects.filter(ticket_type__may_vote=False).exists()
    assert Speaker.objects.exclude(company="").count() > 10
    assert TicketClaim.objects.filter(user__email=ATTENDEE_EMAIL, ticket__ticket_type__may_vote=True).exists()
    assert User.objects.get(email=ORGANIZER_EMAIL).is_staff

    # The planted corporate bloc: colleagues of a speaker, on one order, all "must see" on that talk.
    bloc_talk = (
        Talk.objects.filter(speakers__company="Initech")
        .annotate(colleagues=Count("votes", filter=models_q_domain("initech.example", 3)))
        .order_by("-colleagues")
        .first()
    )
    assert bloc_talk is not None and bloc_talk.colleagues >= 10
    orders = Ticket.objects.filter(
        claim__user__votes__talk=bloc_talk, claim__user__email__endswith="@initech.example"
    ).values_list("order_code", flat=True)
    assert Counter(orders).most_common(1)[0][1] >= 3  # several of them came in on one order
    # A company booking's tickets name the company (a business invoice); nobody else's do.
    booked = Ticket.objects.exclude(holder_company="")
    assert booked.filter(holder_company="Initech").exists()
    per_order = Counter(Ticket.objects.values_list("order_code", "holder_company"))
    companies_per_order = Counter(code for code, _ in per_order)
    assert all(companies_per_order[code] == 1 for code, company in per_order if company)  # whole orders
    assert max(n for (_, company), n in per_order.items() if company) >= 3
    assert not booked.filter(claim__user__email__endswith="@" + FREE_MAIL_DOMAIN).exists()

    assert "organizer@confvote.example" in output and "attendee@confvote.example" in output


def models_q_domain(domain: str, score: int):
    from django.db.models import Q

    return Q(votes__user__email__endswith="@" + domain, votes__score=score)


def test_seed_is_idempotent_and_deterministic_for_a_seed():
    seed("--seed", "3")
    first = database_digest()
    assert "already exists" in seed("--seed", "3")  # second run: nothing to do
    assert database_digest() == first
    seed("--seed", "3", "--reset")
    assert database_digest() == first
    seed("--seed", "4", "--reset")
    assert database_digest() != first


def test_unknown_scale_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="invalid choice"):
        call_command("seed_demo", "--scale", "huge", stdout=io.StringIO(), stderr=io.StringIO())


def test_accounts_are_created_at_modelled_times_never_after_their_first_vote():
    """Round 18 (docs/blocs.md): User.date_joined follows the bloc benchmarks' honest model — about half
    the voting accounts made just before their first vote, the rest before voting opened — and is
    the same for a seed."""
    from django.db.models import Min

    seed("--scale", "small", "--seed", "7")
    conference = Conference.objects.get(slug="demo")
    first = dict(Vote.objects.values("user_id").annotate(at=Min("created_at")).values_list("user_id", "at"))
    joined = dict(User.objects.values_list("pk", "date_joined"))
    assert all(joined[u] <= at for u, at in first.items())
    at_first_vote = sum((at - joined[u]).total_seconds() < 3600 for u, at in first.items())
    before_voting = sum(joined[u] < conference.voting_opens_at for u in first)
    assert 0.4 < at_first_vote / len(first) < 0.6 and 0.4 < before_voting / len(first) < 0.6
    by_email = dict(User.objects.values_list("email", "date_joined"))
    seed("--scale", "small", "--seed", "7", "--reset")
    assert dict(User.objects.values_list("email", "date_joined")) == by_email


def test_votes_drawn_once_are_the_plans_votes_and_give_each_accounts_first_vote():
    """The seeder draws the votes once (DemoVotes) for the accounts' creation times and for writing them:
    the same votes, in the same order, with the same times as drawing them afresh."""
    import datetime as dt

    from apps.talks.demo.plan import DemoVotes, demo_plan

    plan = demo_plan(scale="small", seed=3, today=dt.date.fromisoformat(TODAY))
    fresh = list(plan.votes())
    votes = DemoVotes(plan)
    assert len(votes) == len(fresh) and list(votes) == fresh
    first: dict[int, dt.datetime] = {}
    for u, _t, _s, at in fresh:
        first[u] = min(at, first.get(u, at))
    assert votes.first_cast() == first
