"""Reads for declared organisations: what the organizers may want to declare."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from apps.attendance.models import Ticket, TicketClaim
from apps.talks.models import Conference, Speaker

from ..domain.blocs_declared import DeclaredOrganisation
from ..domain.organisation_suggestions import Person, Suggestion, organisation_suggestions
from ..models import Vote
from .blocs import declared_organisations, voter_email_domain


def organisation_suggestions_of(*, conference: Conference) -> list[Suggestion]:
    """Suggested organisations of `conference` (domain/organisation_suggestions.py), from what bloc
    detection reads of its voters (their company from the ticket they claimed, their email domain as
    detection takes it) and its speakers' profiles, against the organisations already declared. A
    fixed handful of queries, whatever the number of voters."""
    free = settings.FREE_MAIL_DOMAINS
    rows, shared = _voters_naming_a_company(conference=conference)
    voters = [
        Person(
            company=company,
            email_domain=voter_email_domain(
                email=email, order_code=order_code, holder_email=holder_email, shared=shared, free_mail=free
            ),
        )
        for email, order_code, company, holder_email in rows
    ]
    speakers = [
        Person(company=company, email_domain=domain)
        for company, domain in Speaker.objects.filter(conference=conference)
        .values_list("company", "email_domain")
        .order_by("pk")
    ]
    declared = [
        DeclaredOrganisation(name=o.name, email_domains=o.email_domains, companies=o.company_names)
        for o in declared_organisations(conference=conference)
    ]
    return organisation_suggestions(voters=voters, speakers=speakers, declared=declared, free_mail=free)


def _voters_naming_a_company(*, conference: Conference) -> tuple[list[tuple[str, str, str, str]], set[tuple[str, str]]]:
    """(account email, order code, company, holder email lowercased) of each voter whose valid ticket of
    the conference names a company, by voter id, as detection reads them (`voter_facts`), and the (order
    code, holder email) of those tickets whose address is on another ticket of the order too (the
    booker's, not the voter's own: `shared_ticket_addresses`). A voter without such a ticket names no
    company and takes no part in a suggestion, so only ticket holders are read, and of them only those
    who voted here are kept: a fifth of the large demo's hundred thousand voters (reading every voter,
    their account and every ticket took a second and a half)."""
    same_address = (
        Ticket.objects.annotate(email_ci=Lower("holder_email"))
        .filter(conference=conference, order_code=OuterRef("ticket__order_code"), email_ci=OuterRef("email_ci"))
        .exclude(holder_email="")
        .exclude(pk=OuterRef("ticket_id"))
    )
    claims = (
        TicketClaim.objects.filter(conference=conference, ticket__status=Ticket.Status.VALID)
        .exclude(ticket__holder_company="")
        .annotate(email_ci=Lower("ticket__holder_email"), shared=Exists(same_address))
        .values_list(
            "user_id", "user__email", "ticket__order_code", "ticket__holder_company", "ticket__holder_email", "shared"
        )
        .order_by("user_id")
    )
    found = list(claims)
    voted = _voted(conference=conference, user_ids=[row[0] for row in found])
    rows, shared = [], set()
    for user_id, email, order_code, company, holder_email, on_others in found:
        if user_id in voted:
            rows.append((email, order_code, company, holder_email.lower()))
            if on_others and holder_email:
                shared.add((order_code, holder_email.lower()))
    return rows, shared


def _voted(*, conference: Conference, user_ids: list[int]) -> set[int]:
    """Those of `user_ids` with a vote on one of the conference's talks (any talk, as when the
    suggestions read every voter)."""
    votes = Vote.objects.filter(talk__conference=conference)
    if connection.vendor == "postgresql":
        # The ids sent as one array literal: each is looked up in the votes' (user, talk) index, where
        # finding every voter of the conference scanned a million votes.
        ids = "{" + ",".join(map(str, user_ids)) + "}"
        any_of = f'"{Vote._meta.db_table}"."user_id" = ANY(%s::bigint[])'  # constant SQL; the ids are a parameter
        votes = votes.filter(RawSQL(any_of, (ids,), output_field=BooleanField()))  # noqa: S611
    else:  # SQLite limits how many values one query may carry
        votes = votes.filter(user_id__in=TicketClaim.objects.filter(conference=conference).values("user_id"))
    return set(votes.order_by().values_list("user_id", flat=True).distinct())
