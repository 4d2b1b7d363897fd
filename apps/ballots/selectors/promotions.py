"""Reads for recorded promotions: what the organizers may have sent without recording it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import cache

from django.db.models import BigIntegerField, Count, F, Sum
from django.db.models.functions import Cast

from apps.talks.models import Conference, Talk
from confvote.stored import sources_digest

from ..domain import blocs_bursts, blocs_input, blocs_signals, promotion_suggestions_input
from ..domain import promotion_suggestions as suggestions_domain
from ..domain.blocs_input import BlocRule, VoteScale
from ..domain.blocs_run_inputs import PromotionRead
from ..domain.promotion_suggestions import PromotionSuggestion, promotion_suggestions
from ..domain.promotion_suggestions_input import MODULUS, VOTE_TERMS, promotion_input, votes_fingerprint
from ..models import PromotionSuggestionsDocument, Vote
from .blocs import _EpochSeconds, promotion_times_by_talk, promotions_read, vote_arrays_timed
from .policies import weight_policy_current


def promotion_suggestions_of(*, conference: Conference) -> list[PromotionSuggestion]:
    """Suggested promotions of `conference` (domain/promotion_suggestions.py), computed now: from what
    detection's burst test reads (every current vote, the talks, the promotions already recorded) under
    the conference's current rule, so a moment a recorded promotion explains is not suggested again.
    Reads only; detects nothing. The admin and the API answer from the store
    (services.promotions.promotion_suggestions_current)."""
    return promotion_suggestions_computed(conference=conference)[0]


def promotion_suggestions_computed(*, conference: Conference) -> tuple[list[PromotionSuggestion], str]:
    """The suggestions, computed now, and the key (`promotion_suggestions_key`) of exactly what they
    were computed from."""
    rule, talks, promotions = _besides_votes(conference=conference)
    voter_ids, talk_ids, scores, at = vote_arrays_timed(conference=conference)
    promoted = promotion_times_by_talk(promotions=promotions)
    data = promotion_input(
        voter_ids=voter_ids,
        talk_ids=talk_ids,
        scores=scores,
        at_seconds=at,
        talks=talks,
        promoted=[(talk, at) for talk, times in promoted.items() for at in times],
        scale=_scale(conference),
    )
    fingerprint = votes_fingerprint(voter_ids, talk_ids, scores, at)
    return promotion_suggestions(data, rule), _key(conference, rule, talks, promotions, fingerprint)


def promotion_suggestions_key(*, conference: Conference) -> str:
    """A digest of everything the suggestions are computed from, without reading the votes themselves:
    their fingerprint (domain/promotion_suggestions_input.py) summed by the database (a fifth of a
    second on a million votes), the conference's talks and scale, the recorded promotions, the current
    bloc rule and the code that computes them."""
    rule, talks, promotions = _besides_votes(conference=conference)
    return _key(conference, rule, talks, promotions, _votes_fingerprint_summed(conference=conference))


def promotion_suggestions_stored(*, conference: Conference, key: str) -> list[PromotionSuggestion] | None:
    """The suggestions stored for `key`, or None when none were (or they were for other inputs)."""
    rows = (
        PromotionSuggestionsDocument.objects.filter(conference=conference, key=key)
        .values_list("suggestions", flat=True)
        .first()
    )
    return None if rows is None else [_from_json(row) for row in rows]


def promotion_suggestions_json(suggestions: list[PromotionSuggestion]) -> list[dict]:
    """The suggestions as stored (`PromotionSuggestionsDocument.suggestions`)."""
    return [asdict(s) for s in suggestions]


def _from_json(row: dict) -> PromotionSuggestion:
    return PromotionSuggestion(
        **{**row, "talk_ids": tuple(row["talk_ids"]), "co_rater_ids": tuple(row["co_rater_ids"])}
    )


def _besides_votes(*, conference: Conference) -> tuple[BlocRule, list[int], tuple[PromotionRead, ...]]:
    policy = weight_policy_current(conference=conference)
    talks = sorted(Talk.objects.filter(conference=conference).values_list("pk", flat=True))
    return BlocRule.from_json(policy.bloc_rule or {}), talks, promotions_read(conference=conference)


def _scale(conference: Conference) -> VoteScale:
    return VoteScale(
        minimum=conference.scale_min,
        maximum=conference.scale_max,
        wanted_min=conference.wanted_min_score,
        labels=tuple(conference.scale_labels),
    )


class _Seconds(_EpochSeconds):
    """`_EpochSeconds`, by date_part on PostgreSQL: extract() computes in numeric, which took most of
    the fingerprint's time on a million votes. The same whole seconds: a time to the microsecond
    divided into seconds as a double is off by less than a microsecond, which never crosses a second."""

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="floor(date_part('epoch', %(expressions)s))::bigint")


def _votes_fingerprint_summed(*, conference: Conference) -> tuple[int, ...]:
    """`votes_fingerprint` of the votes `vote_arrays_timed` reads, summed by the database."""
    columns = {"voter": F("user_id"), "talk": F("talk_id"), "score": F("score"), "at": _Seconds("created_at")}
    sums = {}
    for i, factors in enumerate(VOTE_TERMS):
        product = Cast(columns[factors[0]], output_field=BigIntegerField())
        for factor in factors[1:]:
            product = product * columns[factor]
        sums[f"s{i}"] = Sum(product)
    votes = Vote.objects.filter(talk__conference=conference).exclude(talk__status=Talk.Status.WITHDRAWN)
    found = votes.order_by().aggregate(n=Count("pk"), **sums)
    return (found["n"], *(int(found[f"s{i}"] or 0) % MODULUS for i in range(len(VOTE_TERMS))))


def _key(
    conference: Conference,
    rule: BlocRule,
    talks: list[int],
    promotions: tuple[PromotionRead, ...],
    fingerprint: tuple[int, ...],
) -> str:
    parts = {
        "code": _code_digest(),
        "scale": [conference.scale_min, conference.scale_max, conference.wanted_min_score, conference.scale_labels],
        "rule": rule.to_json(),
        "talks": talks,
        "promotions": [[p.promotion_id, p.sent_at.timestamp(), list(p.talk_ids)] for p in promotions],
        "votes": list(fingerprint),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


@cache
def _code_digest() -> str:
    """A digest of the modules that compute the suggestions: after a release that changes them, what was
    stored before is computed again."""
    return sources_digest(suggestions_domain, promotion_suggestions_input, blocs_bursts, blocs_signals, blocs_input)
