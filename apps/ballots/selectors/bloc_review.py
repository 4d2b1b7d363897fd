"""Reads behind the organizers' review of blocs: a search over a talk's title and the evidence sentences,
and the rows of the CSV export (what the bloc list shows, never who the members are)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL

from ..models import Bloc

# One evidence item's sentence contains the pattern. Evidence is a JSON list of objects; matching the
# sentences alone (not the whole JSON text) keeps key names and the numbers beside a sentence out of it.
_SENTENCE_MATCH = {
    "postgresql": "EXISTS (SELECT 1 FROM jsonb_array_elements({column}) AS item "
    "WHERE item ->> 'sentence' ILIKE %s ESCAPE '\\')",
    "sqlite": "EXISTS (SELECT 1 FROM json_each({column}) AS item "
    "WHERE json_extract(item.value, '$.sentence') LIKE %s ESCAPE '\\')",
}


def bloc_text_q(text: str) -> Q:
    """Blocs whose talk's title or one of whose evidence sentences contains `text`, in any case (on
    SQLite, as its LIKE does, only ASCII letters fold case). `%` and `_` are matched as themselves."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    column = f"{connection.ops.quote_name(Bloc._meta.db_table)}.{connection.ops.quote_name('evidence')}"
    # The SQL is ours (the quoted column); the text arrives only as a parameter.
    sentence = RawSQL(_SENTENCE_MATCH[connection.vendor].format(column=column), [pattern], BooleanField())  # noqa: S611
    return Q(talk__title__icontains=text) | Q(sentence)


def blocs_matching(queryset: QuerySet[Bloc], text: str) -> QuerySet[Bloc]:
    return queryset.filter(bloc_text_q(text))


@dataclass(frozen=True)
class BlocRow:
    """One bloc as the export writes it: what the admin's list and the API show organizers."""

    bloc_id: int
    conference: str
    talk_id: int
    talk_title: str
    track: str
    direction: str
    status: str
    present: bool
    size: int
    spared: int
    signals: tuple[str, ...]
    speaker_link: str
    evidence: tuple[str, ...]
    weight: float
    fair_share: float
    counts_as: float
    multiplier: float
    p_value: float
    score_before: float | None
    score_after: float | None
    rank_before: int | None
    rank_after: int | None
    decided_by: str
    decided_at: datetime | None
    reason: str
    first_detected_at: datetime
    last_detected_at: datetime


BLOC_ROW_FIELDS = tuple(BlocRow.__dataclass_fields__)


def bloc_rows(queryset: QuerySet[Bloc]) -> Iterator[BlocRow]:
    """The blocs of `queryset`, in its order, with their talk, track and decision's author joined and
    the spared members counted in the same query (no query per bloc). Members are never read."""
    blocs = queryset.select_related("conference", "talk__track", "decided_by").annotate(
        spared_count=Count("spared", distinct=True)
    )
    for bloc in blocs.iterator(chunk_size=500):
        yield BlocRow(
            bloc_id=bloc.pk,
            conference=bloc.conference.slug,
            talk_id=bloc.talk_id,
            talk_title=bloc.talk.title,
            track=bloc.talk.track.name if bloc.talk.track else "",
            direction=bloc.direction,
            status=bloc.status,
            present=bloc.present,
            size=bloc.size,
            spared=bloc.spared_count,
            signals=tuple(bloc.signals),
            speaker_link=bloc.speaker_link,
            evidence=tuple(item["sentence"] for item in bloc.evidence),
            weight=bloc.weight,
            fair_share=bloc.fair_share,
            counts_as=bloc.counts_as,
            multiplier=bloc.multiplier,
            p_value=bloc.p_value,
            score_before=bloc.score_before,
            score_after=bloc.score_after,
            rank_before=bloc.rank_before,
            rank_after=bloc.rank_after,
            decided_by=bloc.decided_by.email if bloc.decided_by else "",
            decided_at=bloc.decided_at,
            reason=bloc.reason,
            first_detected_at=bloc.first_detected_at,
            last_detected_at=bloc.last_detected_at,
        )
