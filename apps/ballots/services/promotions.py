"""Recording the conference's own promotions (round 20 in docs/blocs.md) from outside the admin: an app
vendor's pushes, a newsletter tool's mailings. Such tools retry, so a promotion may carry the tool's
own id, and the same id for the same conference always means the same promotion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from apps.talks.models import Conference, Talk

from ..domain.promotion_suggestions import PromotionSuggestion
from ..models import Promotion, PromotionSuggestionsDocument
from ..selectors.promotions import (
    promotion_suggestions_computed,
    promotion_suggestions_json,
    promotion_suggestions_key,
    promotion_suggestions_stored,
)


class PromotionConflict(Exception):
    """The tool's id already names a different promotion of the conference (answered with 409)."""

    def __init__(self, message: str, *, existing: Promotion):
        super().__init__(message)
        self.message = message
        self.existing = existing


def promotion_record(
    *,
    conference: Conference,
    sent_at: dt.datetime,
    channel: str,
    talks: Sequence[Talk],
    description: str = "",
    external_id: str = "",
    by=None,
) -> tuple[Promotion, bool]:
    """Records a promotion of `talks` (already checked to be the conference's own) and returns it with
    True; with an `external_id` the conference already holds, returns that promotion with False when
    it says the same, and raises PromotionConflict when it does not. Two calls racing with one id
    record one promotion: the database constraint refuses the second insert, which then finds the
    first."""
    asked = {"sent_at": sent_at, "channel": channel, "description": description, "talks": {t.pk for t in talks}}
    if external_id:
        existing = _with_external_id(conference, external_id)
        if existing is not None:
            return _same_or_conflict(existing, asked), False
    try:
        with transaction.atomic():
            promotion = Promotion.objects.create(
                conference=conference,
                sent_at=sent_at,
                channel=channel,
                description=description,
                external_id=external_id,
                created_by=by,
            )
            promotion.talks.set(talks)
    except IntegrityError:
        existing = _with_external_id(conference, external_id) if external_id else None
        if existing is None:
            raise
        return _same_or_conflict(existing, asked), False
    return promotion, True


def _with_external_id(conference: Conference, external_id: str) -> Promotion | None:
    return (
        Promotion.objects.filter(conference=conference, external_id=external_id)
        .select_related("created_by")
        # Only its talks still of this conference: the tool can name no other (a talk can be moved).
        .prefetch_related(Prefetch("talks", queryset=Talk.objects.filter(conference=conference)))
        .first()
    )


def _same_or_conflict(existing: Promotion, asked: dict) -> Promotion:
    stored = {
        "sent_at": existing.sent_at,
        "channel": existing.channel,
        "description": existing.description,
        "talks": {t.pk for t in existing.talks.all()},
    }
    differ = [name for name in stored if stored[name] != asked[name]]
    if differ:
        raise PromotionConflict(
            f"external_id “{existing.external_id}” already records promotion {existing.pk} of this conference, "
            f"with another {', '.join(differ)}. Send the same values to get it back, or another external_id "
            "for another promotion.",
            existing=existing,
        )
    return existing


def promotion_change(*, promotion: Promotion, talks: Sequence[Talk] | None = None, **fields) -> Promotion:
    """Corrects a recorded promotion (`sent_at`, `channel`, `description`, and the talks it featured when
    given). Its external_id stays: the sending tool's retries must keep finding it (and, if they send
    the old values, get a 409 saying what changed)."""
    unknown = set(fields) - {"sent_at", "channel", "description"}
    if unknown:
        raise TypeError(f"promotion_change cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(promotion, name, value)
        if fields:
            promotion.save(update_fields=list(fields))
        if talks is not None:
            promotion.talks.set(talks)
    return promotion


def promotion_suggestions_current(*, conference: Conference) -> list[PromotionSuggestion]:
    """The suggested promotions of `conference` for its votes, promotions and rule as they are now:
    those stored for them (PromotionSuggestionsDocument), or computed now and stored. A vote, a recorded
    promotion or a new rule changes the key, so the next answer is computed again. Two requests that find
    nothing stored both compute, and both store the same."""
    stored = promotion_suggestions_stored(conference=conference, key=promotion_suggestions_key(conference=conference))
    if stored is not None:
        return stored
    # Stored under the key of the votes actually read, which may be newer than those the key above saw.
    suggestions, key = promotion_suggestions_computed(conference=conference)
    PromotionSuggestionsDocument.objects.update_or_create(
        conference=conference,
        defaults={"key": key, "built_at": timezone.now(), "suggestions": promotion_suggestions_json(suggestions)},
    )
    return suggestions
