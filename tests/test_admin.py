"""Every model is in the admin, its screens work with data present, and history stays read-only."""

import pytest
from django.contrib import admin
from django.db.models import CharField, TextField
from django.urls import reverse

from apps.attendance.models import StateChange, TicketClaimFailure, TicketInvitation
from apps.ballots.models import (
    AnonymisedBallotsDocument,
    Ballot,
    BallotReceipt,
    Bloc,
    BlocDecision,
    BlocDetectionRun,
    BulletinEntry,
    PromotionSuggestionsDocument,
    TallyPublicationRun,
    TallyRow,
    TallySnapshot,
    Vote,
    VoteEvent,
)
from apps.scheduling.models import ScheduledTalk, ScheduleProposal, ScheduleRelease, TransparencyReportDocument
from apps.talks.models import Track
from confvote.admin_base import ModelAdmin
from tests.factories import (
    ConferenceFactory,
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
            AnonymisedBallotsDocument,
            PromotionSuggestionsDocument,
            Bloc,
            BlocDecision,
            BlocDetectionRun,
            TallyPublicationRun,
            ScheduleProposal,
            ScheduleRelease,
            ScheduledTalk,
            TransparencyReportDocument,
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


def test_every_add_page_ignores_a_prefill_its_field_cannot_hold(staff_client):
    """`?conference=abc` was a 500 on every add page with an autocomplete field (Django's widget looked the id up
    as given); `?start=…` on a date-time field was a 500 whatever the value (the split widget cannot take text)."""
    staff_client.raise_request_exception = False
    failures = []
    for model in our_models():
        add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        if staff_client.get(add).status_code == 403:  # read-only records: no add page
            continue
        for field in model._meta.get_fields():
            if not field.concrete or field.auto_created or isinstance(field, (CharField, TextField)):
                continue  # text is shown as given
            ids = ("abc", "1" + "0" * 22, "1,x")  # not a number, beyond 64 bits, a list with garbage in it
            for value in ids if field.is_relation else ("abc", "2026-05-04 10:00"):
                response = staff_client.get(add, {field.name: value})
                if response.status_code != 200:
                    failures.append((add, field.name, value, response.status_code))
    assert not failures


def test_a_prefill_its_field_can_hold_still_fills_the_add_page(staff_client):
    conference = ConferenceFactory(name="Prefilled conference")
    talks = TalkFactory.create_batch(2, conference=conference)
    track = staff_client.get(reverse("admin:talks_track_add"), {"conference": conference.pk}).content.decode()
    assert f'<option value="{conference.pk}" selected>Prefilled conference</option>' in track
    promotion = staff_client.get(
        reverse("admin:ballots_promotion_add"), {"talks": f"{talks[0].pk},{talks[1].pk}"}
    ).content.decode()
    assert all(f'<option value="{t.pk}" selected>' in promotion for t in talks)
    slot = staff_client.get(reverse("admin:scheduling_slot_add"), {"start": "2026-05-04 10:00"}).content.decode()
    assert 'value="2026-05-04"' in slot and 'value="10:00:00"' in slot


def test_every_admin_of_ours_has_the_checked_widgets():
    """A new screen on Django's ModelAdmin would bring the 500s back (confvote.admin_base)."""
    assert [m for m in our_models() if not isinstance(admin.site._registry[m], ModelAdmin)] == []


@pytest.mark.parametrize("value", ["abc", "1" + "0" * 22])
def test_a_posted_id_its_field_cannot_hold_is_a_form_error_not_a_500(staff_client, value):
    """The same widget re-drew the refused form with the posted id and looked it up as given."""
    response = staff_client.post(reverse("admin:talks_track_add"), {"conference": value, "name": "Web", "slug": "web"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    promotion = staff_client.post(reverse("admin:ballots_promotion_add"), {"talks": [value]})
    assert promotion.status_code == 200
    assert not Track.objects.exists()


@pytest.mark.parametrize("selected", [["abc"], ["1" + "0" * 22], [""], ["1e3"]])
@pytest.mark.parametrize(
    ("changelist", "action"),
    [
        ("talks_track_changelist", "delete_selected"),
        ("attendance_ticket_changelist", "cancel_tickets"),
        ("ballots_bloc_changelist", "export_csv"),
        ("auth_group_changelist", "delete_selected"),  # Django's own screens too
        ("account_emailaddress_changelist", "make_verified"),
    ],
)
def test_an_action_on_a_selected_row_that_cannot_be_an_id_is_not_a_500(staff_client, changelist, action, selected):
    """Django's admin looked the ticked rows up as posted: `_selected_action=abc` was a ValueError, a 500."""
    url = reverse(f"admin:{changelist}")
    response = staff_client.post(url, {"action": action, "_selected_action": selected, "index": 0}, follow=True)
    assert response.status_code == 200
    assert "Items must be selected" in response.content.decode()


def test_an_action_acts_on_the_rows_that_are_ids_and_ignores_the_rest(staff_client):
    kept, deleted = TrackFactory(), TrackFactory()
    url = reverse("admin:talks_track_changelist")
    post = {"action": "delete_selected", "_selected_action": [str(deleted.pk), "abc"], "post": "yes"}
    assert staff_client.post(url, post).status_code == 302
    assert list(Track.objects.all()) == [kept]
