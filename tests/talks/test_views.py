"""Public pages answer for everyone; drafts stay hidden; pages carry the security headers."""

import pytest
from django.urls import reverse

from apps.talks.models import Conference, Talk
from tests.factories import ConferenceFactory, SpeakerFactory, TalkFactory

pytestmark = pytest.mark.django_db


def test_home_lists_public_conferences_but_not_drafts(client):
    ConferenceFactory(name="Open Conf")
    ConferenceFactory(name="Secret Draft", status=Conference.Status.DRAFT)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Open Conf" in body
    assert "Secret Draft" not in body


def test_home_empty_state(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "No conference is open yet" in response.content.decode()


def test_conference_page_lists_talks_and_hides_speakers_when_blind(client):
    conference = ConferenceFactory(blind_voting=True)
    speaker = SpeakerFactory(conference=conference, name="Zelda Speakername")
    TalkFactory(conference=conference, title="Visible talk", speakers=[speaker])
    TalkFactory(conference=conference, title="Gone talk", status=Talk.Status.WITHDRAWN)
    body = client.get(reverse("conference_detail", args=[conference.slug])).content.decode()
    assert "Visible talk" in body
    assert "Gone talk" not in body
    assert "Zelda Speakername" not in body
    conference.blind_voting = False
    conference.save()
    assert "Zelda Speakername" in client.get(reverse("conference_detail", args=[conference.slug])).content.decode()


def test_conference_page_paginates(client):
    conference = ConferenceFactory()
    TalkFactory.create_batch(51, conference=conference)
    first = client.get(reverse("conference_detail", args=[conference.slug]))
    assert "Page 1 of 2" in first.content.decode() and 'href="?page=2"' in first.content.decode()
    second = client.get(reverse("conference_detail", args=[conference.slug]), {"page": "2"})
    assert second.content.decode().count('class="talk"') == 1
    junk = client.get(reverse("conference_detail", args=[conference.slug]), {"page": "zzz"})
    assert junk.status_code == 200  # a bad page number shows the first page, not an error


def test_draft_and_unknown_conferences_are_404(client):
    draft = ConferenceFactory(status=Conference.Status.DRAFT)
    assert client.get(reverse("conference_detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("conference_detail", args=["nope"])).status_code == 404


def test_pages_send_security_headers(client):
    response = client.get(reverse("home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_healthz(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_post_to_read_only_pages_is_refused(client):
    assert client.post(reverse("home")).status_code == 405
