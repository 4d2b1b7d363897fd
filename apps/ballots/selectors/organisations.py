"""Reads for declared organisations: what the organizers may want to declare."""

from __future__ import annotations

import numpy as np
from django.conf import settings

from apps.talks.models import Conference, Speaker

from ..domain.blocs_declared import DeclaredOrganisation
from ..domain.organisation_suggestions import Person, Suggestion, organisation_suggestions
from ..models import Vote
from .blocs import (
    accounts_of_voters,
    declared_organisations,
    shared_ticket_addresses,
    tickets_of_claimers,
    voter_email_domain,
)


def organisation_suggestions_of(*, conference: Conference) -> list[Suggestion]:
    """Suggested organisations of `conference` (domain/organisation_suggestions.py), from what bloc
    detection reads of its voters (their company from the ticket they claimed, their email domain as
    detection takes it) and its speakers' profiles, against the organisations already declared. A
    fixed handful of queries, whatever the number of voters."""
    free = settings.FREE_MAIL_DOMAINS
    voter_ids = np.array(
        sorted(
            Vote.objects.filter(talk__conference=conference).order_by().values_list("user_id", flat=True).distinct()
        ),
        dtype=np.int64,
    )
    accounts = accounts_of_voters(conference=conference, voter_ids=voter_ids)
    tickets = tickets_of_claimers(conference=conference)
    shared = shared_ticket_addresses(conference=conference)
    voters = []
    for v in voter_ids.tolist():
        email, _ = accounts.get(v, ("", None))
        order_code, company, holder_email = tickets.get(v, (None, "", ""))
        domain = voter_email_domain(
            email=email, order_code=order_code, holder_email=holder_email, shared=shared, free_mail=free
        )
        voters.append(Person(company=company or "", email_domain=domain))
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
