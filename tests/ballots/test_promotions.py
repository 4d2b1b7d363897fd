"""Round 20 (docs/blocs.md): organizers record their own promotions in the admin; detection reads them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.models import Promotion
from tests.ballots.test_blocs_policy import _stored_then_migrated
from tests.factories import ConferenceFactory, TalkFactory, UserFactory, VoteFactory

ADD = "admin:ballots_promotion_add"


def _post(client, conference, featured, **extra):
    data = {
        "conference": conference.pk,
        "sent_at_0": "2027-01-19",
        "sent_at_1": "10:00:00",
        "talks": [t.pk for t in featured],
        "channel": "Mastodon",
        "description": "Three talks we are excited about",
        **extra,
    }
    return client.post(reverse(ADD), data)


@pytest.mark.django_db
def test_an_organizer_records_a_promotion(admin_client, admin_user):
    conference = ConferenceFactory()
    talks = [TalkFactory(conference=conference), TalkFactory(conference=conference)]
    response = _post(admin_client, conference, talks)
    assert response.status_code == 302
    (promotion,) = Promotion.objects.all()
    assert promotion.conference == conference and promotion.channel == "Mastodon"
    assert set(promotion.talks.all()) == set(talks)
    assert promotion.created_by == admin_user
    assert promotion.sent_at.date() == dt.date(2027, 1, 19)
    listing = admin_client.get(reverse("admin:ballots_promotion_changelist"), {"conference__id__exact": conference.pk})
    assert listing.status_code == 200 and talks[0].title in listing.content.decode()


@pytest.mark.django_db
def test_a_talk_of_another_conference_is_refused_with_a_message(admin_client):
    conference, other = ConferenceFactory(), ConferenceFactory()
    mine, theirs = TalkFactory(conference=conference), TalkFactory(conference=other, title="Somewhere else")
    response = _post(admin_client, conference, [mine, theirs])
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["talks"] == [f"Only talks of {conference} can be featured; not of it: “Somewhere else”."]
    assert not Promotion.objects.exists()


@pytest.mark.django_db
def test_a_promotion_without_a_talk_or_channel_or_time_is_refused_with_messages(admin_client):
    conference = ConferenceFactory()
    response = _post(admin_client, conference, [], channel="", sent_at_0="not a date")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["talks"] == ["Choose at least one talk the promotion featured."]
    assert errors["channel"] == ["Say where the promotion went out (e.g. Mastodon, newsletter)."]
    assert "sent_at" in errors
    assert not Promotion.objects.exists()
    # A tampered talk id is a form error too, not a 500.
    talk = TalkFactory(conference=conference)
    response = _post(admin_client, conference, [], **{"talks": ["x", talk.pk]})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["talks"] == [
        "A chosen talk was not found; choose the talks from the list."
    ]
    assert not Promotion.objects.exists()


@pytest.mark.django_db
def test_the_talk_picker_offers_talks_that_can_be_promoted(admin_client):
    conference = ConferenceFactory(name="Europython")
    TalkFactory(conference=conference, title="Keynote")
    TalkFactory(conference=conference, title="Keynote withdrawn", status="withdrawn")
    TalkFactory(title="Keynote elsewhere")
    picker = {"app_label": "ballots", "model_name": "promotion", "field_name": "talks", "term": "europython keynote"}
    response = admin_client.get(reverse("admin:autocomplete"), picker)
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Keynote"]


@pytest.mark.django_db
def test_the_selector_passes_the_conferences_promotions(django_assert_max_num_queries):
    from apps.ballots.selectors.blocs import bloc_input
    from apps.ballots.selectors.policies import weight_policy_current

    conference = ConferenceFactory()
    policy = weight_policy_current(conference=conference)
    talks = [TalkFactory(conference=conference) for _ in range(3)]
    voter = UserFactory()
    for t in talks:
        VoteFactory(user=voter, talk=t, score=3)
    first = dt.datetime(2027, 1, 19, 10, tzinfo=dt.UTC)
    second = first + dt.timedelta(days=6)
    for at, featured in ((first, talks[:2]), (second, talks[1:2])):
        Promotion.objects.create(conference=conference, sent_at=at, channel="Mastodon").talks.set(featured)
    other = TalkFactory()  # another conference's promotion is not read
    Promotion.objects.create(conference=other.conference, sent_at=first, channel="Blog").talks.set([other])
    with django_assert_max_num_queries(10):  # one query for all promotions, not one per talk
        data = bloc_input(conference=conference, policy=policy)
    rows = [(int(data.talk_ids[t]), int(at)) for t, at in data.talk_promoted]
    expected = [(talks[0].pk, first.timestamp()), (talks[1].pk, first.timestamp()), (talks[1].pk, second.timestamp())]
    assert rows == sorted(expected)


@pytest.mark.django_db(transaction=True)
def test_round_20_migration_pins_stored_policies_to_ignore_promotions():
    """0019 writes `promotion_hours: 0` into policies stored without the key; a policy that names the key
    keeps its choice, and new policies store 24."""
    before = {k: v for k, v in BlocRule().to_json().items() if k != "promotion_hours"}
    old, chosen = _stored_then_migrated("0018_promotions", before)
    assert old.bloc_rule == {**before, "promotion_hours": 0}
    assert BlocRule.from_json(old.bloc_rule) == BlocRule(promotion_hours=0)
    assert chosen.bloc_rule == BlocRule().to_json() and chosen.bloc_rule["promotion_hours"] == 24
    kept = {**before, "promotion_hours": 12}
    old, _ = _stored_then_migrated("0018_promotions", kept)
    assert old.bloc_rule == kept


@pytest.mark.django_db
def test_moving_a_promotion_to_a_conference_that_holds_its_external_id_is_refused_with_a_message(admin_client):
    """The external_id is read-only in the admin (the sending tool's), but the conference is not: moving a
    tool's promotion to a conference whose tool already used that id is refused on the form, not a 500."""
    from apps.ballots.services.promotions import promotion_record

    first, second = ConferenceFactory(), ConferenceFactory()
    talk_a, talk_b = TalkFactory(conference=first), TalkFactory(conference=second)
    moving, _ = promotion_record(
        conference=first, sent_at=timezone.now(), channel="App push", talks=[talk_a], external_id="push-1"
    )
    promotion_record(
        conference=second, sent_at=timezone.now(), channel="App push", talks=[talk_b], external_id="push-1"
    )
    data = {
        "conference": second.pk,
        "sent_at_0": "2027-01-19",
        "sent_at_1": "10:00:00",
        "talks": [talk_b.pk],
        "channel": "App push",
        "description": "",
    }
    response = admin_client.post(reverse("admin:ballots_promotion_change", args=[moving.pk]), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "push-1" in " ".join(errors["conference"])
    moving.refresh_from_db()
    assert moving.conference == first
