"""Reads for recorded promotions: what the organizers may have sent without recording it."""

from __future__ import annotations

from apps.talks.models import Conference

from ..domain.blocs_input import BlocRule
from ..domain.promotion_suggestions import PromotionSuggestion, promotion_suggestions
from .blocs import bloc_input
from .policies import weight_policy_current


def promotion_suggestions_of(*, conference: Conference) -> list[PromotionSuggestion]:
    """Suggested promotions of `conference` (domain/promotion_suggestions.py): from what bloc detection
    reads (every current vote, the promotions already recorded) under the conference's current rule,
    so a moment a recorded promotion explains is not suggested again. Reads only; detects nothing."""
    policy = weight_policy_current(conference=conference)
    rule = BlocRule.from_json(policy.bloc_rule or {})
    return promotion_suggestions(bloc_input(conference=conference, policy=policy), rule)
