"""Writes: weight policy versions. Never edited: a revision is a new version."""

from django.db import transaction
from django.db.models import Max

from apps.talks.models import Conference

from ..models import WeightPolicy


def weight_policy_ensure(*, conference: Conference) -> WeightPolicy:
    """The newest version, creating version 1 with the defaults if the conference has none."""
    policy = WeightPolicy.objects.filter(conference=conference).order_by("-version").first()
    if policy is not None:
        return policy
    policy, _ = WeightPolicy.objects.get_or_create(conference=conference, version=1)
    return policy


@transaction.atomic
def weight_policy_revise(*, conference: Conference, by=None, note: str = "", **changes) -> WeightPolicy:
    """A new version: the newest one with `changes` applied. Earlier versions stay as they were."""
    Conference.objects.select_for_update(no_key=True).get(pk=conference.pk)  # one reviser at a time
    current = WeightPolicy.objects.filter(conference=conference).order_by("-version").first()
    current = current or WeightPolicy(conference=conference)  # the defaults
    version = (WeightPolicy.objects.filter(conference=conference).aggregate(v=Max("version"))["v"] or 0) + 1
    fields = {
        "ticket_holder_weight": current.ticket_holder_weight,
        "pledger_weight": current.pledger_weight,
        "bloc_rule": dict(current.bloc_rule),
        "prior_weight": current.prior_weight,
    }
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValueError(f"Unknown weight policy fields: {', '.join(sorted(unknown))}")
    fields.update(changes)
    # The rule is stored written out in full, whatever the caller left to the defaults (the admin's
    # "{}" included), so the version keeps its meaning when the code's defaults change.
    fields["bloc_rule"] = WeightPolicy.bloc_rule_in_full(fields["bloc_rule"])
    policy = WeightPolicy(conference=conference, version=version, note=note, created_by=by, **fields)
    policy.full_clean()
    policy.save()
    return policy
