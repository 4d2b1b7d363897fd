"""Reads of votes and weight policies."""

from apps.talks.models import Conference

from ..domain.weights import ClassWeights
from ..models import WeightPolicy


def weight_policy_current(*, conference: Conference) -> WeightPolicy:
    """The newest policy version; an unsaved version 1 with the defaults when none was made yet
    (services.weight_policy_ensure persists it before a tally records it)."""
    policy = WeightPolicy.objects.filter(conference=conference).order_by("-version").first()
    return policy or WeightPolicy(conference=conference, version=1)


def class_weights(policy: WeightPolicy) -> ClassWeights:
    return ClassWeights(ticket_holder=float(policy.ticket_holder_weight), pledger=float(policy.pledger_weight))
