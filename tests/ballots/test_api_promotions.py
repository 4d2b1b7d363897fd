"""Promotions through the API: an app vendor or newsletter tool records the conference's own pushes
with an organizer token (round 20 in docs/blocs.md), retries safely with its own external_id, and
bloc detection then takes the votes a recorded push brought as explained."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.ballots.models import Bloc, Promotion
from apps.ballots.services.blocs import tally_with_blocs
from apps.ballots.services.promotions import promotion_record
from apps.talks.services import api_token_create
from tests.ballots.test_bloc_runs import seed_demo
from tests.factories import ConferenceFactory, TalkFactory, UserFactory

SENT = "2026-11-02T18:30:00+01:00"


def token_client(conference, user=None) -> APIClient:
    _, key = api_token_create(conference=conference, user=user or UserFactory(is_staff=True), name="app vendor")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _list(conference) -> str:
    return reverse("api-promotion-list", args=[conference.slug])


def _detail(conference, pk) -> str:
    return reverse("api-promotion-detail", args=[conference.slug, pk])


def _payload(talks, **extra) -> dict:
    return {"sent_at": SENT, "channel": "App push", "talks": [t.pk for t in talks], **extra}


@pytest.fixture
def world(db):
    conference = ConferenceFactory()
    talks = TalkFactory.create_batch(3, conference=conference)
    organizer = UserFactory(is_staff=True)
    return conference, talks, organizer, token_client(conference, organizer)


def test_an_integrator_records_lists_filters_and_deletes_promotions(world):
    conference, talks, organizer, client = world
    created = client.post(
        _list(conference),
        _payload(talks[:2], description="Trending now", external_id="push-981"),
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["sent_at"] == "2026-11-02T17:30:00Z"  # stored and answered in UTC
    assert (body["channel"], body["description"], body["external_id"]) == ("App push", "Trending now", "push-981")
    assert sorted(body["talks"]) == sorted(t.pk for t in talks[:2])
    assert body["created_by"] == organizer.email
    promotion = Promotion.objects.get(pk=body["id"])
    assert promotion.conference == conference and promotion.created_by == organizer
    assert set(promotion.talks.all()) == set(talks[:2])

    later = client.post(
        _list(conference), _payload(talks[2:], sent_at="2026-11-05T08:00:00Z", channel="Newsletter"), format="json"
    )
    assert later.status_code == 201 and later.json()["external_id"] == ""
    elsewhere = ConferenceFactory()
    promotion_record(
        conference=elsewhere,
        sent_at=dt.datetime(2026, 11, 3, tzinfo=dt.UTC),
        channel="App push",
        talks=[TalkFactory(conference=elsewhere)],
    )

    def ids(**params) -> list[int]:
        response = client.get(_list(conference), params)
        assert response.status_code == 200, response.json()
        return [p["id"] for p in response.json()["results"]]

    first, second = body["id"], later.json()["id"]
    assert ids() == [second, first]  # newest first, only this conference's
    assert ids(channel="app PUSH") == [first]
    assert ids(sent_at_after="2026-11-03T00:00:00Z") == [second]
    assert ids(sent_at_before="2026-11-03T00:00:00Z") == [first]
    assert ids(talk=talks[0].pk) == [first] and ids(talk=talks[2].pk) == [second]
    assert ids(talk=10**6) == []
    for bad in (
        {"talk": "1.5"},
        {"talk": "x"},
        {"sent_at_after": "soon"},
        {"sent_at_before": "0001-01-01T00:00+14:00"},
    ):
        response = client.get(_list(conference), bad)
        assert response.status_code == 400, (bad, response.json())
        assert set(response.json()["error"]["fields"]) <= {"talk", "sent_at"}
    page = client.get(_list(conference), {"page_size": 1}).json()
    assert (page["count"], len(page["results"]), bool(page["next"])) == (2, 1, True)

    assert client.get(_detail(conference, first)).json() == body
    assert client.delete(_detail(conference, first)).status_code == 204
    assert not Promotion.objects.filter(pk=first).exists()
    assert client.get(_detail(conference, first)).status_code == 404
    assert ids() == [second]


def test_the_list_does_not_query_per_promotion(world, django_assert_max_num_queries):
    conference, talks, _, client = world
    promotion_record(conference=conference, sent_at=timezone.now(), channel="Blog", talks=talks)
    with django_assert_max_num_queries(10) as few:
        assert client.get(_list(conference)).json()["count"] == 1
    for i in range(5):
        promotion_record(conference=conference, sent_at=timezone.now(), channel=f"Blog {i}", talks=talks[:2])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_list(conference)).json()["count"] == 6


def test_only_the_conferences_organizers_reach_promotions(world):
    conference, talks, _, _ = world
    theirs = promotion_record(
        conference=conference, sent_at=timezone.now(), channel="Blog", talks=talks[:1], external_id="b-1"
    )[0]
    other = ConferenceFactory()
    elsewhere = token_client(other)
    attendee = APIClient()
    attendee.force_authenticate(UserFactory())
    staff = APIClient()
    staff.force_authenticate(UserFactory(is_staff=True))
    anonymous = APIClient()

    for client, expected in ((anonymous, 401), (attendee, 403), (elsewhere, 403)):
        assert client.get(_list(conference)).status_code == expected
        assert client.post(_list(conference), _payload(talks), format="json").status_code == expected
        assert client.get(_detail(conference, theirs.pk)).status_code == expected
        assert client.patch(_detail(conference, theirs.pk), {"channel": "x"}, format="json").status_code == expected
        assert client.delete(_detail(conference, theirs.pk)).status_code == expected
    # The other conference's token on its own conference does not find this one's promotion.
    assert elsewhere.get(_detail(other, theirs.pk)).status_code == 404
    assert elsewhere.delete(_detail(other, theirs.pk)).status_code == 404
    assert Promotion.objects.count() == 1 and Promotion.objects.get().channel == "Blog"

    assert staff.get(_list(conference)).json()["count"] == 1
    assert staff.post(_list(conference), _payload(talks), format="json").status_code == 201
    assert staff.get(_list(ConferenceFactory.build(slug="no-such-conference"))).status_code == 404


def test_a_session_write_needs_the_csrf_token(world):
    conference, talks, _, _ = world
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(is_staff=True))
    refused = browser.post(_list(conference), _payload(talks), content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]
    assert not Promotion.objects.exists()
    secret = "a" * 32  # the cookie a page of ours would have set, sent back in the header as a page's script does
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(
        _list(conference), _payload(talks), content_type="application/json", headers={"x-csrftoken": secret}
    )
    assert accepted.status_code == 201, accepted.json()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"sent_at": "2026-11-02T18:30:00"}, "sent_at", "Give the time zone too"),
        ({"sent_at": "yesterday"}, "sent_at", "Datetime has wrong format"),
        ({"sent_at": "0026-11-02T18:30:00Z"}, "sent_at", "before 2000; check the year"),
        ({"sent_at": "0001-01-01T00:00:00+14:00"}, "sent_at", "out of range"),
        ({"channel": "   "}, "channel", "Say where the promotion went out"),
        ({"channel": "x" * 101}, "channel", "no more than 100 characters"),
        ({"talks": []}, "talks", "Name at least one talk"),
        ({"talks": list(range(1, 52))}, "talks", "at most 50 talks"),
        ({"talks": "12"}, "talks", "Expected a list"),
        ({"talks": [2**70]}, "talks", "less than or equal to"),
        ({"description": "x" * 5001}, "description", "no more than 5000 characters"),
    ],
)
def test_bad_input_is_a_400_that_names_the_field_and_writes_nothing(world, change, field, message):
    conference, talks, _, client = world
    response = client.post(_list(conference), {**_payload(talks), **change}, format="json")
    assert response.status_code == 400, response.json()
    assert message in str(response.json()["error"]["fields"][field]), response.json()
    assert not Promotion.objects.exists()


def test_a_time_more_than_a_day_ahead_is_refused(world):
    conference, talks, _, client = world
    ahead = timezone.now() + dt.timedelta(hours=30)
    response = client.post(_list(conference), _payload(talks, sent_at=ahead.isoformat()), format="json")
    assert response.status_code == 400
    assert "more than a day ahead" in response.json()["error"]["fields"]["sent_at"][0]
    soon = timezone.now() + dt.timedelta(hours=2)  # a scheduled push recorded when it is scheduled
    assert client.post(_list(conference), _payload(talks, sent_at=soon.isoformat()), format="json").status_code == 201


def test_talks_of_another_conference_or_twice_are_named(world):
    conference, talks, _, client = world
    theirs = TalkFactory()
    foreign = client.post(_list(conference), _payload([talks[0], theirs]), format="json")
    assert foreign.status_code == 400
    assert foreign.json()["error"]["fields"]["talks"] == [f"No talk {theirs.pk} in this conference."]
    unknown = client.post(_list(conference), {**_payload(talks[:1]), "talks": [talks[0].pk, 10**9]}, format="json")
    assert unknown.json()["error"]["fields"]["talks"] == [f"No talk {10**9} in this conference."]
    twice = client.post(_list(conference), _payload([talks[1], talks[0], talks[1]]), format="json")
    assert twice.status_code == 400
    assert twice.json()["error"]["fields"]["talks"] == [f"Name each talk once; listed more than once: {talks[1].pk}."]
    assert not Promotion.objects.exists()


def test_a_retry_with_the_same_external_id_returns_the_promotion_already_recorded(world):
    conference, talks, _, client = world
    payload = _payload(talks[:2], external_id="push-7")
    first = client.post(_list(conference), payload, format="json")
    assert first.status_code == 201
    # The same push, its talks in another order and its time in another zone: the same promotion.
    again = client.post(
        _list(conference),
        {**payload, "talks": payload["talks"][::-1], "sent_at": "2026-11-02T17:30:00Z"},
        format="json",
    )
    assert again.status_code == 200 and again.json() == first.json()
    assert Promotion.objects.count() == 1
    # The same id in another conference is another tool's business.
    other = ConferenceFactory()
    other_talk = TalkFactory(conference=other)
    assert (
        token_client(other).post(_list(other), _payload([other_talk], external_id="push-7"), format="json").status_code
        == 201
    )
    assert Promotion.objects.count() == 2


def test_another_promotion_under_a_known_external_id_is_a_409_that_says_what_differs(world):
    conference, talks, _, client = world
    first = client.post(_list(conference), _payload(talks[:2], external_id="push-7"), format="json").json()
    conflict = client.post(
        _list(conference), _payload(talks[:1], external_id="push-7", channel="Newsletter"), format="json"
    )
    assert conflict.status_code == 409
    error = conflict.json()["error"]
    assert error["code"] == "conflict"
    assert error["message"].startswith(f"external_id “push-7” already records promotion {first['id']}")
    assert "with another channel, talks." in error["message"]
    assert Promotion.objects.count() == 1
    assert Promotion.objects.get().channel == "App push"


def test_an_organizer_corrects_a_promotion_with_patch(world):
    conference, talks, _, client = world
    payload = _payload(talks[:1], external_id="push-8")
    body = client.post(_list(conference), payload, format="json").json()
    url = _detail(conference, body["id"])
    changed = client.patch(url, {"channel": "Newsletter", "talks": [talks[1].pk, talks[2].pk]}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["channel"] == "Newsletter" and sorted(changed.json()["talks"]) == [talks[1].pk, talks[2].pk]
    assert changed.json()["sent_at"] == body["sent_at"] and changed.json()["external_id"] == "push-8"
    promotion = Promotion.objects.get()
    assert promotion.channel == "Newsletter" and set(promotion.talks.all()) == set(talks[1:])

    for bad, field in (
        ({"talks": [TalkFactory().pk]}, "talks"),
        ({"talks": []}, "talks"),
        ({"sent_at": "2026-11-02T18:30:00"}, "sent_at"),
        ({"channel": ""}, "channel"),
        ({"channel": "Blog", "external_id": "push-9"}, "external_id"),
    ):
        response = client.patch(url, bad, format="json")
        assert response.status_code == 400 and field in response.json()["error"]["fields"], (bad, response.json())
    assert client.patch(url, {"external_id": "push-8"}, format="json").status_code == 200  # unchanged: fine
    promotion = Promotion.objects.get()
    assert promotion.channel == "Newsletter" and set(promotion.talks.all()) == set(talks[1:])
    assert client.put(url, payload, format="json").status_code == 405
    # The tool's retry of what it first sent now differs from the corrected promotion: 409, not a second row.
    assert client.post(_list(conference), payload, format="json").status_code == 409
    assert token_client(ConferenceFactory()).patch(url, {"channel": "x"}, format="json").status_code == 403
    assert Promotion.objects.get().channel == "Newsletter"


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_concurrent_retries_with_one_external_id_record_one_promotion(postgres):
    from tests.ballots.test_vote_races import run_together

    conference = ConferenceFactory()
    talks = TalkFactory.create_batch(2, conference=conference)
    organizer = UserFactory(is_staff=True)

    def record():
        return promotion_record(
            conference=conference,
            sent_at=dt.datetime(2026, 11, 2, 17, 30, tzinfo=dt.UTC),
            channel="App push",
            talks=talks,
            external_id="push-race",
            by=organizer,
        )

    results = run_together([record] * 8)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(created for _, created in results) == 1
    assert len({promotion.pk for promotion, _ in results}) == 1 == Promotion.objects.count()
    assert set(Promotion.objects.get().talks.all()) == set(talks)


def test_the_admin_shows_and_searches_the_external_id(world, admin_client):
    conference, talks, _, client = world
    body = client.post(_list(conference), _payload(talks[:1], external_id="push-admin-42"), format="json").json()
    client.post(_list(conference), _payload(talks[1:2], external_id="push-other"), format="json")
    listing = admin_client.get(reverse("admin:ballots_promotion_changelist"), {"q": "push-admin-42"})
    assert [p.pk for p in listing.context["cl"].result_list] == [body["id"]]
    page = admin_client.get(reverse("admin:ballots_promotion_change", args=[body["id"]])).content.decode()
    assert "push-admin-42" in page and 'name="external_id"' not in page  # shown, not editable


_BURST_FROM = re.compile(r"in \d+ hours from (\d{4}-\d\d-\d\d \d\d:\d\d) UTC")


@pytest.mark.django_db
def test_a_push_recorded_through_the_api_explains_the_burst_detection_reported():
    """The demo's corporate bloc: detection reports a burst on the speaker's talk. The app vendor records
    a push that featured the talk just before the burst; the next detection (the real one) takes the
    burst as explained, while the colleagues evidence, which no push explains, stays."""
    demo = seed_demo()

    def signals_on(talk_id: int) -> set[str]:
        """The signals of the blocs the latest detection found on the talk."""
        found = Bloc.objects.filter(conference=demo, talk_id=talk_id, present=True)
        return {e["signal"] for b in found for e in b.evidence} | {s for b in found for s in b.signals}

    tally_with_blocs(conference=demo)
    bloc = next(b for b in Bloc.objects.filter(conference=demo, present=True) if "burst" in b.signals)
    (sentence,) = [e["sentence"] for e in bloc.evidence if e["signal"] == "burst"]
    burst_from = dt.datetime.strptime(_BURST_FROM.search(sentence).group(1), "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)

    pushed = burst_from - dt.timedelta(minutes=30)
    client = token_client(demo)
    response = client.post(
        _list(demo),
        {"sent_at": pushed.isoformat(), "channel": "App push", "talks": [bloc.talk_id], "external_id": "trending-1"},
        format="json",
    )
    assert response.status_code == 201, response.json()

    tally_with_blocs(conference=demo)
    assert signals_on(bloc.talk_id) == {"colleagues"}  # a bloc of colleagues still, without the burst
    # Forgetting the push through the API brings the burst back.
    assert client.delete(_detail(demo, response.json()["id"])).status_code == 204
    tally_with_blocs(conference=demo)
    assert "burst" in signals_on(bloc.talk_id)


def test_a_talk_moved_to_another_conference_is_no_longer_this_conferences_promotions(world):
    """A promotion featured two talks; one is later moved to another conference (the talk admin can).
    Its id is the other conference's business now: the promotion's answer, the `talk` filter and what
    detection reads keep to this conference's talks, and the tool's retry with the talk it can still
    name is the promotion it recorded, not a conflict."""
    from apps.ballots.selectors.blocs import promotions_read
    from apps.talks.models import Talk

    conference, talks, _, client = world
    body = client.post(_list(conference), _payload(talks[:2], external_id="push-9"), format="json").json()
    other = ConferenceFactory()
    Talk.objects.filter(pk=talks[1].pk).update(conference=other)

    shown = client.get(_detail(conference, body["id"])).json()
    assert shown["talks"] == [talks[0].pk]
    assert client.get(_list(conference)).json()["results"][0]["talks"] == [talks[0].pk]
    assert client.get(_list(conference), {"talk": talks[1].pk}).json()["count"] == 0
    assert client.get(_list(conference), {"talk": talks[0].pk}).json()["count"] == 1
    (read,) = promotions_read(conference=conference)
    assert read.talk_ids == (talks[0].pk,)
    assert promotions_read(conference=other) == ()

    again = client.post(_list(conference), _payload(talks[:1], external_id="push-9"), format="json")
    assert again.status_code == 200, again.json()
    assert again.json()["id"] == body["id"] and again.json()["talks"] == [talks[0].pk]
