"""Writes of the organisations organizers declare for bloc detection (several domains and company
names that are one employer)."""

from __future__ import annotations

from django.db import transaction

from apps.talks.models import Conference

from ..models import Organisation


def organisation_save(*, organisation: Organisation, by=None) -> Organisation:
    """Validates and saves a declared organisation (new or changed). The conference's row is locked
    first, so two organizers cannot both give one domain to two organisations; on a problem nothing is
    written and the ValidationError says what to change."""
    with transaction.atomic():
        # Only a lock on the conference: its key does not change, so no_key is enough.
        Conference.objects.select_for_update(no_key=True).filter(pk=organisation.conference_id).exists()
        organisation.full_clean()
        if organisation.pk is None and by is not None:
            organisation.created_by = by
        organisation.save()
    return organisation


def organisation_declare(
    *, conference: Conference, name: str, email_domains=(), company_names=(), note: str = "", by=None
) -> Organisation:
    """Declares that `email_domains` and `company_names` are one organisation of `conference`."""
    organisation = Organisation(
        conference=conference,
        name=name,
        email_domains=list(email_domains),
        company_names=list(company_names),
        note=note,
    )
    return organisation_save(organisation=organisation, by=by)
