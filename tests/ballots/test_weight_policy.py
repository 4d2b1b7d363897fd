"""The weight policy is versioned: revising makes a new version and never edits an old one."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.attendance.domain.eligibility import VoterClass
from apps.ballots import selectors, services
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.models import WeightPolicy
from tests.factories import ConferenceFactory

pytestmark = pytest.mark.django_db


def test_defaults_before_any_version_exists():
    conference = ConferenceFactory()
    policy = selectors.weight_policy_current(conference=conference)
    assert policy.pk is None and policy.version == 1
    weights = selectors.class_weights(policy)
    assert [weights.of(c) for c in VoterClass] == [1.0, 0.5, 0.0]
    assert services.weight_policy_ensure(conference=conference).pk is not None
    assert services.weight_policy_ensure(conference=conference).version == 1
    assert WeightPolicy.objects.filter(conference=conference).count() == 1


def test_revise_appends_a_version_and_keeps_the_old_one():
    conference = ConferenceFactory()
    first = services.weight_policy_ensure(conference=conference)
    second = services.weight_policy_revise(conference=conference, pledger_weight=Decimal("0.3"), note="Committee vote")
    assert (second.version, second.pledger_weight, second.ticket_holder_weight) == (2, Decimal("0.3"), Decimal("1"))
    first.refresh_from_db()
    assert first.pledger_weight == Decimal("0.5")
    assert selectors.weight_policy_current(conference=conference) == second
    third = services.weight_policy_revise(conference=conference, bloc_rule={"cap": "sqrt"})
    assert third.pledger_weight == Decimal("0.3")  # unchanged fields carry over


def test_revise_refuses_bad_values_and_writes_nothing():
    conference = ConferenceFactory()
    with pytest.raises(ValidationError):
        services.weight_policy_revise(conference=conference, pledger_weight=Decimal("1.5"))
    with pytest.raises(ValueError, match="Unknown weight policy fields"):
        services.weight_policy_revise(conference=conference, voter_weight=1)
    assert not WeightPolicy.objects.filter(conference=conference).exists()


def test_admin_form_creates_a_new_version(staff_client, staff_user):
    conference = ConferenceFactory()
    services.weight_policy_ensure(conference=conference)
    response = staff_client.post(
        reverse("admin:ballots_weightpolicy_add"),
        {
            "conference": conference.pk,
            "ticket_holder_weight": "1",
            "pledger_weight": "0.25",
            "prior_weight": "10",
            "bloc_rule": "{}",
            "note": "Fewer pledged votes",
        },
    )
    assert response.status_code == 302
    newest = selectors.weight_policy_current(conference=conference)
    assert (newest.version, newest.pledger_weight, newest.created_by) == (2, Decimal("0.25"), staff_user)
    change = reverse("admin:ballots_weightpolicy_change", args=[newest.pk])
    staff_client.post(change, {"pledger_weight": "0.9"})
    newest.refresh_from_db()
    assert newest.pledger_weight == Decimal("0.25")


def test_admin_form_stores_the_bloc_rule_written_out_in_full(staff_client):
    """An organizer who leaves the rule as "{}" gets today's defaults written into the version, so the
    version keeps its meaning when the code's defaults change."""
    conference = ConferenceFactory()
    services.weight_policy_ensure(conference=conference)
    data = {"conference": conference.pk, "ticket_holder_weight": "1", "pledger_weight": "0.5", "prior_weight": "10"}
    response = staff_client.post(reverse("admin:ballots_weightpolicy_add"), {**data, "bloc_rule": '{"alpha": 0.02}'})
    assert response.status_code == 302
    newest = selectors.weight_policy_current(conference=conference)
    assert newest.bloc_rule == {**BlocRule().to_json(), "alpha": 0.02}
    staff_client.post(reverse("admin:ballots_weightpolicy_add"), {**data, "bloc_rule": "{}"})
    assert selectors.weight_policy_current(conference=conference).bloc_rule == BlocRule().to_json()


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('{"alpha": -1}', "alpha"),
        ('{"follow_ups": "every"}', "follow_ups must be one of"),
        ('{"burst_window_hours": 3}', "burst_window_hours must be a list"),
        ('{"alpha": "high"}', "wrong type"),
        ("[1, 2]", "JSON object"),
    ],
)
def test_admin_form_refuses_a_bloc_rule_detection_cannot_run(staff_client, rule, message):
    """A bad rule is a form error naming the problem (not a failed detection run later), and no version
    is written."""
    conference = ConferenceFactory()
    services.weight_policy_ensure(conference=conference)
    response = staff_client.post(
        reverse("admin:ballots_weightpolicy_add"),
        {
            "conference": conference.pk,
            "ticket_holder_weight": "1",
            "pledger_weight": "0.5",
            "prior_weight": "10",
            "bloc_rule": rule,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in str(errors["bloc_rule"])
    assert WeightPolicy.objects.filter(conference=conference).count() == 1


def test_revise_refuses_a_bad_bloc_rule_and_writes_nothing():
    conference = ConferenceFactory()
    with pytest.raises(ValidationError, match="min_members must be at least 2"):
        services.weight_policy_revise(conference=conference, bloc_rule={"min_members": 1})
    assert not WeightPolicy.objects.filter(conference=conference).exists()
