"""Every model is in the admin, its screens work with data present, and history stays read-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from apps.attendance.models import StateChange, TicketClaimFailure, TicketInvitation
from apps.ballots.models import (
    Ballot,
    BallotReceipt,
    Bloc,
    BlocDecision,
    BlocDetectionRun,
    BulletinEntry,
    TallyRow,
    TallySnapshot,
    Vote,
    VoteEvent,
)
from apps.scheduling.models import ScheduledTalk, ScheduleProposal, ScheduleRelease
from tests.factories import (
    PledgeFactory,
    SlotFactory,
    SpeakerFactory,
    TalkFactory,
    TicketClaimFactory,
    TrackFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = {"talks", "attendance", "ballots", "scheduling"}


def our_models():
    return [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]


def test_every_model_of_ours_is_registered():
    from django.apps import apps

    expected = {m for m in apps.get_models() if m._meta.app_label in OUR_APPS and not m._meta.auto_created}
    assert expected == set(our_models())


def test_every_changelist_search_and_add_page_renders_with_data(staff_client):
    talk = TalkFactory(speakers=[SpeakerFactory()], track=TrackFactory())
    VoteFactory(talk=talk)
    TicketClaimFactory()
    PledgeFactory()
    SlotFactory()
    for model in our_models():
        if model in (Vote, VoteEvent):
            assert not admin.site._registry[model].has_add_permission(None)
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert staff_client.get(changelist).status_code == 200, changelist
        assert staff_client.get(changelist, {"q": "a"}).status_code == 200, changelist
        add = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        # History, logs and what services and workers write can be read in the admin, never added by hand.
        may_add = admin.site._registry[model].has_add_permission(add.wsgi_request)
        assert add.status_code == (200 if may_add else 403), opts.label
        read_only = (
            Vote,
            VoteEvent,
            StateChange,
            TicketClaimFailure,
            TicketInvitation,
            Ballot,
            BallotReceipt,
            TallySnapshot,
            TallyRow,
            BulletinEntry,
            Bloc,
            BlocDecision,
            BlocDetectionRun,
            ScheduleProposal,
            ScheduleRelease,
            ScheduledTalk,
        )
        assert may_add == (model not in read_only), opts.label
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert staff_client.get(change).status_code == 200, change


def test_vote_history_cannot_be_edited_or_deleted_in_the_admin(staff_client):
    vote = VoteFactory(score=2)
    change = reverse("admin:ballots_vote_change", args=[vote.pk])
    response = staff_client.post(change, {"score": 3})
    assert response.status_code == 403
    delete = reverse("admin:ballots_vote_delete", args=[vote.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    vote.refresh_from_db()
    assert vote.score == 2


def test_autocomplete_answers_for_staff_only(client, staff_client, user):
    TalkFactory(title="Searchable talk")
    url = reverse("admin:autocomplete")
    params = {"app_label": "scheduling", "model_name": "scheduleoverride", "field_name": "talk", "term": "Search"}
    response = staff_client.get(url, params)
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Searchable talk"]
    client.force_login(user)
    assert client.get(url, params).status_code in (302, 403)


@pytest.mark.parametrize("model", ["tallysnapshot", "blocdetectionrun"])
def test_a_change_page_with_an_id_that_is_not_a_number_is_not_a_500(staff_client, model):
    response = staff_client.get(f"/admin/ballots/{model}/abc/change/")
    assert response.status_code in (302, 404)  # the admin's own "does not exist" redirect, or a 404


@pytest.mark.parametrize(
    ("changelist", "params"),
    [
        ("talks_track_changelist", {"name": "a\x00b"}),
        ("attendance_ticket_changelist", {"status": "valid\x00"}),
        ("ballots_bloc_changelist", {"status": "\x00", "q": "x\x00"}),
        ("ballots_organisation_changelist", {"email_domains": "a\x00b"}),
        ("attendance_user_changelist", {"name\x00": "x"}),
    ],
)
def test_a_nul_byte_in_a_change_list_filter_is_dropped_not_a_500(staff_client, changelist, params):
    """PostgreSQL text cannot hold a NUL byte: the filter was a DataError."""
    response = staff_client.get(reverse(f"admin:{changelist}"), params)
    assert response.status_code in (200, 302)  # 302: the admin's own "?e=1" for a filter it does not know
