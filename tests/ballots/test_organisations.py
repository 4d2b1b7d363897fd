"""Organizers declare organisations (several domains and company names, one employer) in the admin;
the model refuses what detection could not use; the selector hands them to detection, and detection
end to end treats a subsidiary's staff as the parent's speaker's colleagues."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from apps.ballots.models import Bloc, Organisation
from apps.ballots.selectors.blocs import bloc_input, organisation_member_counts
from apps.ballots.selectors.policies import weight_policy_current
from apps.ballots.services import organisation_declare
from apps.ballots.services.blocs import tally_with_blocs
from apps.talks.models import Conference, Speaker, Talk
from tests.factories import (
    ConferenceFactory,
    SpeakerFactory,
    TalkFactory,
    TicketClaimFactory,
    TicketFactory,
    UserFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db
ADD = "admin:ballots_organisation_add"


def _post(client, conference, **extra):
    data = {
        "conference": conference.pk,
        "name": "Darion Group",
        "email_domains": "Darion.example\n@darioncloud.example, darionlabs.example",
        "company_names": "Darion Group\nDarion Cloud GmbH",
        "note": "",
        **extra,
    }
    return client.post(reverse(ADD), data)


def test_an_organizer_declares_an_organisation_in_the_admin(admin_client, admin_user):
    conference = ConferenceFactory()
    response = _post(admin_client, conference)
    assert response.status_code == 302
    (organisation,) = Organisation.objects.all()
    assert organisation.email_domains == ["darion.example", "darioncloud.example", "darionlabs.example"]
    assert organisation.company_names == ["Darion Cloud GmbH", "Darion Group"]
    assert organisation.created_by == admin_user
    listing = admin_client.get(
        reverse("admin:ballots_organisation_changelist"), {"conference__id__exact": conference.pk}
    )
    page = listing.content.decode()
    assert listing.status_code == 200 and "darioncloud.example" in page and "Darion Cloud GmbH" in page
    organisation_declare(conference=conference, name="Initech", email_domains=["initech.example", "initech.de"])
    found = admin_client.get(reverse("admin:ballots_organisation_changelist"), {"q": "darionlabs"}).content.decode()
    assert "Darion Group" in found and "initech.de" not in found
    found = admin_client.get(reverse("admin:ballots_organisation_changelist"), {"q": "initech.de"}).content.decode()
    assert "initech.de" in found and "darionlabs.example" not in found


def test_the_change_page_shows_how_many_voters_each_member_matches(admin_client):
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    for email in ("a@darion.example", "b@DARION.example", "c@darioncloud.example", "d@elsewhere.example"):
        VoteFactory(user=UserFactory(email=email), talk=talk)
    voter = UserFactory(email="e@freemail.example")
    VoteFactory(user=voter, talk=talk)
    TicketClaimFactory(
        user=voter, conference=conference, ticket=TicketFactory(conference=conference, holder_company="Darion Cloud")
    )
    organisation = organisation_declare(
        conference=conference,
        name="Darion Group",
        email_domains=["darion.example", "darioncloud.example", "darionlabs.example"],
        company_names=["Darion Cloud GmbH"],
    )
    assert organisation_member_counts(organisation=organisation) == [
        ("darion.example", 2),
        ("darioncloud.example", 1),
        ("darionlabs.example", 0),
        ("Darion Cloud GmbH", 1),  # "Darion Cloud" on the ticket: the legal form does not matter
    ]
    page = admin_client.get(reverse("admin:ballots_organisation_change", args=[organisation.pk])).content.decode()
    assert "darion.example: 2 voters" in page and "Darion Cloud GmbH: 1 voters" in page
    assert "darioncloud.example\ndarionlabs.example" in page  # the form shows one domain per line


def test_free_mail_a_member_of_another_organisation_and_a_single_member_are_refused(admin_client):
    conference = ConferenceFactory()
    organisation_declare(
        conference=conference, name="Initech", email_domains=["initech.example"], company_names=["Initech GmbH"]
    )
    response = _post(
        admin_client,
        conference,
        email_domains="gmail.com\nInitech.example\nnot a domain",
        company_names="initech, inc.",
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["email_domains"] == [
        "gmail.com is a free-mail provider: its users share no employer, so it cannot be one organisation's. "
        "Leave it out.",
        "“not a domain” is not an email domain (write the part after @, e.g. darion.example).",
        "initech.example is already in the organisation “Initech”: a domain belongs to one only.",
    ]
    assert errors["company_names"] == [
        "“initech, inc.” is already in the organisation “Initech” (names are compared without case, punctuation "
        "or legal form): a company belongs to one only."
    ]
    response = _post(admin_client, conference, email_domains="darion.example", company_names="")
    assert response.context["adminform"].form.errors["__all__"] == [
        "An organisation joins at least two members: give two or more email domains and company names in all "
        "(one domain alone is already one organisation to detection)."
    ]
    # the same name twice, spelled otherwise, is one member
    response = _post(admin_client, conference, email_domains="", company_names="Darion GmbH\nDARION")
    assert "__all__" in response.context["adminform"].form.errors
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Initech"]  # nothing written


def test_the_service_refuses_and_writes_nothing_and_another_conference_is_free_to_use_the_domain():
    conference, other = ConferenceFactory(), ConferenceFactory()
    organisation_declare(conference=conference, name="Initech", email_domains=["initech.example", "initech.de"])
    with pytest.raises(ValidationError) as refused:
        organisation_declare(conference=conference, name="Initrode", email_domains=["INITECH.de", "initrode.example"])
    assert "initech.de is already in the organisation “Initech”" in str(refused.value)
    with pytest.raises(ValidationError):
        organisation_declare(conference=conference, name="Mail", email_domains=["outlook.com", "mail.example"])
    assert Organisation.objects.count() == 1
    organisation_declare(conference=other, name="Initech", email_domains=["initech.example", "initech.de"])
    # changing an organisation does not collide with itself
    initech = Organisation.objects.get(conference=conference)
    initech.company_names = ["Initech"]
    initech.full_clean()
    assert Organisation.objects.count() == 2


def test_the_selector_hands_the_declared_organisations_to_detection():
    conference = ConferenceFactory()
    speaker = SpeakerFactory(conference=conference, email="lead@darion.example", company="Darion Group")
    talk = TalkFactory(conference=conference, speakers=[speaker])
    voters = [UserFactory(email=f"staff{i}@darioncloud.example") for i in range(3)]
    for voter in voters:
        VoteFactory(user=voter, talk=talk, score=3)
    before = bloc_input(conference=conference, policy=weight_policy_current(conference=conference))
    assert before.declared_labels == () and len(before.talk_declared) == 0
    organisation_declare(
        conference=conference, name="Darion Group", email_domains=["darion.example", "darioncloud.example"]
    )
    data = bloc_input(conference=conference, policy=weight_policy_current(conference=conference))
    assert data.declared_labels == ("Darion Group (darion.example, darioncloud.example)",)
    assert data.domain_declared[data.domain_labels.index("darioncloud.example")] == 0
    assert data.talk_declared.tolist() == [[0, 0]]  # the speaker's own domain, though no voter uses it


@pytest.fixture
def demo():
    call_command(
        "seed_demo", "--no-progress", "--today", "2026-11-01", "--seed", "1", stdout=io.StringIO(), stderr=io.StringIO()
    )
    return Conference.objects.get(slug="demo")


def test_detection_takes_a_subsidiarys_staff_as_the_parents_speakers_colleagues_once_declared(demo):
    """The demo's Initech staff push their speaker's talk. Move that speaker to the parent group's own
    domain and name: the staff are no longer the speaker's colleagues, until the organizers declare that
    initech.example is part of Initech Group."""
    tally_with_blocs(conference=demo)
    planted = max((b for b in Bloc.objects.filter(conference=demo) if "colleagues" in b.signals), key=lambda b: b.size)
    talk = Talk.objects.get(pk=planted.talk_id)
    for speaker in talk.speakers.all():
        speaker.email, speaker.company = f"speaker{speaker.pk}@initech-group.example", "Initech Group"
        speaker.save()
    assert Speaker.objects.filter(email_domain="initech-group.example").exists()

    tally_with_blocs(conference=demo)
    apart = Bloc.objects.filter(conference=demo, talk=talk, present=True)
    assert not any("colleagues" in b.signals for b in apart)

    organisation_declare(
        conference=demo,
        name="Initech Group",
        email_domains=["initech-group.example", "initech.example"],
        company_names=["Initech", "Initech Group"],
    )
    tally_with_blocs(conference=demo)
    joined = [b for b in Bloc.objects.filter(conference=demo, talk=talk, present=True) if "colleagues" in b.signals]
    (bloc,) = joined
    assert set(bloc.members.values_list("pk", flat=True)) >= set(planted.members.values_list("pk", flat=True))
    sentences = " ".join(e["sentence"] for e in bloc.evidence)
    assert "Initech Group (initech-group.example, initech.example), the speaker's organisation" in sentences


def test_a_company_name_of_punctuation_only_is_refused_not_counted_as_a_member():
    """ "---" compares as nothing (detection drops punctuation): it would match no voter, so it cannot be
    the second member that makes a domain an organisation, nor collide with another organisation's."""
    conference = ConferenceFactory()
    with pytest.raises(ValidationError) as refused:
        organisation_declare(
            conference=conference, name="Initech", email_domains=["initech.example"], company_names=["---"]
        )
    assert refused.value.message_dict["company_names"] == [
        "“---” is not a company name (write it as people write it on their tickets, e.g. Darion Cloud GmbH)."
    ]
    assert not Organisation.objects.exists()
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True))
    answer = client.post(
        reverse("api-organisation-list", args=[conference.slug]),
        {"name": "Initech", "domains": ["initech.example", "initech.de"], "company_names": [" . "]},
        format="json",
    )
    assert answer.status_code == 400 and "company_names" in answer.json()["error"]["fields"]
    assert not Organisation.objects.exists()
