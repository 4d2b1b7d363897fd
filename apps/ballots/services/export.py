"""Writes of the public anonymised-ballots export: built once per set of inputs, stored, served as bytes."""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from apps.talks.models import Conference

from ..models import AnonymisedBallotsDocument, TallySnapshot
from ..selectors.export import anonymised_ballots


def anonymised_ballots_document(
    *, conference: Conference, snapshot: TallySnapshot, key: str
) -> AnonymisedBallotsDocument:
    """The stored document for `key` (selectors.export.anonymised_ballots_key of the snapshot and the
    current bloc decisions), built now if it is missing or was built from other inputs. Concurrent
    first requests wait on the conference's document row, so one of them builds (14-27 s on a million
    votes) and the others serve what it stored."""
    with transaction.atomic():
        AnonymisedBallotsDocument.objects.get_or_create(conference=conference)
        document = (
            AnonymisedBallotsDocument.objects.select_for_update(no_key=True).defer("content").get(conference=conference)
        )
        # Read under the lock: a request that waited for another's build finds its document here.
        if document.key == key:
            return document
        # The bytes JsonResponse made of the same dict before the document was stored.
        export = anonymised_ballots(conference=conference, snapshot=snapshot)
        content = json.dumps(export, cls=DjangoJSONEncoder).encode()
        document.key = key
        document.etag = hashlib.sha256(content).hexdigest()
        document.built_at = timezone.now()
        document.content = content
        document.save(update_fields=["key", "etag", "built_at", "content"])
        return document
