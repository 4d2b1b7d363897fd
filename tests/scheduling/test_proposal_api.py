"""Driving proposals through the API with an organizer token: start, poll, compare, cancel, publish."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.scheduling.models import ScheduleOverride, ScheduleRelease
from apps.talks.services import api_token_create
from tests.factories import ConferenceFactory, UserFactory
from tests.scheduling.test_proposals import small_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    conference, talks = small_conference()
    _, key = api_token_create(conference=conference, user=UserFactory(is_staff=True), name="ci")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return conference, talks, client


def test_start_poll_compare_publish(setup, django_capture_on_commit_callbacks):
    conference, talks, client = setup
    url = reverse("api-proposal-list", args=[conference.slug])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"time_limit_seconds": 30}, format="json")
    assert first.status_code == 201, first.json()
    again = client.post(url, {"time_limit_seconds": 30}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    detail = client.get(reverse("api-proposal-detail", args=[conference.slug, first.json()["id"]])).json()
    assert detail["status"] == "succeeded" and detail["progress_percent"] == 100
    assert detail["accepted_talk_ids"] == sorted(t.pk for t in talks[:4])
    assert len(detail["result"]["decisions"]) == len(talks)

    ScheduleOverride.objects.create(conference=conference, talk=talks[5], kind="pin", reason="Keynote")
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, {"time_limit_seconds": 30}, format="json").json()
    moved = client.get(
        reverse("api-proposal-compare", args=[conference.slug]), {"a": first.json()["id"], "b": second["id"]}
    ).json()
    assert any(row["talk_id"] == talks[5].pk and row["after"] == "accepted" for row in moved)
    assert client.get(reverse("api-proposal-compare", args=[conference.slug]), {"a": "x"}).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(
            reverse("api-proposal-publish", args=[conference.slug, second["id"]]), {"changelog": "v1"}, format="json"
        )
    assert published.status_code == 201 and published.json()["version"] == 1
    assert ScheduleRelease.objects.filter(conference=conference).count() == 1


def test_bad_requests_are_clear_4xx(setup):
    conference, _, client = setup
    url = reverse("api-proposal-list", args=[conference.slug])
    bad = client.post(url, {"time_limit_seconds": 1, "track_minimums": {"Nope": 2}}, format="json")
    assert bad.status_code == 400 and "time_limit_seconds" in bad.json()["error"]["fields"]
    unknown_track = client.post(url, {"track_minimums": {"Nope": 2}}, format="json")
    assert unknown_track.status_code == 400 and "track_minimums" in unknown_track.json()["error"]["fields"]
    queued = client.post(url, {}, format="json").json()  # not run: on_commit callbacks are not executed here
    not_done = client.post(reverse("api-proposal-publish", args=[conference.slug, queued["id"]]), {}, format="json")
    assert not_done.status_code == 400 and "finished successfully" in not_done.json()["error"]["message"]
    cancelled = client.post(reverse("api-proposal-cancel", args=[conference.slug, queued["id"]]))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.get(reverse("api-proposal-detail", args=[conference.slug, 999_999])).status_code == 404
    # "²" is a digit to str.isdigit, not to int(): a 400, not a ValueError.
    compare = client.get(reverse("api-proposal-compare", args=[conference.slug]), {"a": "²", "b": "1"})
    assert compare.status_code == 400 and "a" in compare.json()["error"]["fields"]
    version = APIClient().get(reverse("api-schedule", args=[conference.slug]), {"version": "²"})
    assert version.status_code == 400 and version.json()["error"]["fields"]["version"] == "A version is a whole number."


def test_tokens_cannot_reach_another_conferences_proposals(setup):
    conference, _, client = setup
    other, _ = small_conference(talks=2, voters=1)
    assert client.get(reverse("api-proposal-list", args=[other.slug])).status_code == 403
    anonymous = APIClient()
    assert anonymous.post(reverse("api-proposal-list", args=[conference.slug]), {}).status_code == 401
    assert ConferenceFactory()  # a third conference exists and stays untouched
