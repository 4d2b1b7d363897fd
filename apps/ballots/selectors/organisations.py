"""Reads for declared organisations: what the organizers may want to declare."""

from __future__ import annotations

import numpy as np
from django.conf import settings
from django.db import connection

from apps.attendance.models import TicketClaim
from apps.talks.models import Conference, Speaker

from ..domain.blocs_declared import DeclaredOrganisation
from ..domain.organisation_suggestions import Person, Suggestion, organisation_suggestions
from ..models import Vote
from .blocs import accounts_of_voters, declared_organisations, ids_any, voter_tickets


def organisation_suggestions_of(*, conference: Conference) -> list[Suggestion]:
    """Suggested organisations of `conference` (domain/organisation_suggestions.py), from what bloc
    detection reads of its voters (their company and email domain, through detection's own
    `voter_tickets`) and its speakers' profiles, against the organisations already declared. A fixed
    handful of queries, whatever the number of voters."""
    free = settings.FREE_MAIL_DOMAINS
    # A voter whose ticket names no company takes no part in a suggestion, so only those tickets are
    # read, and of their holders only those who voted here: a fifth of the large demo's hundred thousand
    # voters (reading every voter, their account and every ticket took a second and a half).
    tickets = voter_tickets(conference=conference, naming_a_company=True)
    voted = np.array(sorted(_voted(conference=conference, user_ids=list(tickets.by_user))), dtype=np.int64)
    accounts = accounts_of_voters(conference=conference, voter_ids=voted)
    voters = [
        Person(
            company=tickets.by_user[user_id][1],
            email_domain=tickets.email_domain(user_id=user_id, email=accounts[user_id][0], free_mail=free),
        )
        for user_id in voted.tolist()
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


def _voted(*, conference: Conference, user_ids: list[int]) -> set[int]:
    """Those of `user_ids` with a vote on one of the conference's talks (any talk, as when the
    suggestions read every voter)."""
    votes = Vote.objects.filter(talk__conference=conference)
    if connection.vendor == "postgresql":
        # The ids sent as one array literal: each is looked up in the votes' (user, talk) index, where
        # finding every voter of the conference scanned a million votes.
        votes = votes.filter(ids_any(Vote, "user_id", user_ids))
    else:  # SQLite limits how many values one query may carry
        votes = votes.filter(user_id__in=TicketClaim.objects.filter(conference=conference).values("user_id"))
    return set(votes.order_by().values_list("user_id", flat=True).distinct()) & set(user_ids)
