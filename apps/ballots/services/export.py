"""Writes of the public anonymised-ballots export: built when a tally is published, stored, served as bytes."""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from apps.talks.models import Conference
from confvote.stored import row_locked

from ..domain.tally import TallyInput
from ..models import AnonymisedBallotsDocument, TallySnapshot
from ..selectors.export import anonymised_ballots, anonymised_ballots_key, anonymised_ballots_of


def anonymised_ballots_publish(
    *, conference: Conference, snapshot: TallySnapshot, data: TallyInput
) -> AnonymisedBallotsDocument:
    """Stores the document of a tally being published, built from `data`, the input it was computed from:
    publishing calls it in its own transaction, so the document is the published tally's exactly, and
    what changes afterwards (a ticket claimed late, a bloc decision) does not change it."""
    with transaction.atomic():
        document = _document_locked(conference)
        export = anonymised_ballots_of(conference=conference, snapshot=snapshot, data=data)
        return _document_store(document, anonymised_ballots_key(snapshot=snapshot), export)


def anonymised_ballots_document(
    *, conference: Conference, snapshot: TallySnapshot, key: str
) -> AnonymisedBallotsDocument:
    """The stored document for `key` (selectors.export.anonymised_ballots_key of the published snapshot).
    Publishing stores it; a tally published before that was done gets it here, built from the current
    votes, classes and discounts, once: concurrent first requests wait on the conference's document row,
    so one of them builds (14-27 s on a million votes) and the others serve what it stored."""
    with transaction.atomic():
        document = _document_locked(conference)
        # Read under the lock: a request that waited for another's build finds its document here.
        if document.key == key:
            return document
        return _document_store(document, key, anonymised_ballots(conference=conference, snapshot=snapshot))


def _document_locked(conference: Conference) -> AnonymisedBallotsDocument:
    return row_locked(AnonymisedBallotsDocument, defer=("content",), conference=conference)


def _document_store(document: AnonymisedBallotsDocument, key: str, export: dict) -> AnonymisedBallotsDocument:
    # The bytes JsonResponse makes of the same dict.
    content = json.dumps(export, cls=DjangoJSONEncoder).encode()
    document.key = key
    document.etag = hashlib.sha256(content).hexdigest()
    document.built_at = timezone.now()
    document.content = content
    document.save(update_fields=["key", "etag", "built_at", "content"])
    return document
