"""Suggested promotions: moments when several talks burst together and many of the same voters rated
two or more of them within minutes, or hours apart within the day (what an unrecorded newsletter's or
mailing's readers do), listed for the
organizer in the admin and through the API, read-only. Hand-made conferences in the database."""

import datetime as dt

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from apps.ballots.models import Promotion, Vote
from apps.ballots.selectors.promotions import promotion_suggestions_of
from tests.ballots.test_api_promotions import token_client
from tests.factories import ConferenceFactory, TalkFactory, UserFactory

START = dt.datetime(2026, 10, 5, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
SENT = START + 5 * DAY + dt.timedelta(hours=16)  # the newsletter goes out on day 5, 16:00 UTC
PICKS = 6  # the newsletter features talks 0-5 of the conference


def _users(prefix: str, n: int) -> list:
    User = get_user_model()
    return User.objects.bulk_create(User(email=f"{prefix}{i}@example.org", name=f"{prefix} {i}") for i in range(n))


def _conference(*, readers: str | None = None, seed: int = 3, prefix: str = "v"):
    """30 talks; 200 honest voters who each rate 8 talks at random times over ten days; and, with
    `readers`, 40 more voters: "newsletter" (each rates 3 of the 6 picks, a minute apart, within hours
    after SENT), "spread" (the same, each at a random time of the ten days), "mailing" (each rates 3 of
    the 6 picks, each when they get to it: Exp(4 h) after SENT, independently, so hours apart),
    "mailing_spread" (the same three ratings each at a random time of the ten days), "campaign" (each
    gives talk 10 alone the top score within an hour after SENT), "slate" (each gives talks 10, 11 and
    12, all three, the top score a minute apart within hours after SENT) or "slow_slate" (the same
    three, each Exp(4 h) after SENT, independently)."""
    rng = np.random.default_rng(seed)
    conference = ConferenceFactory()
    talks = [TalkFactory(conference=conference) for _ in range(30)]
    votes = []
    for user in _users(f"{prefix}-honest-{conference.pk}-", 200):
        for t in rng.choice(30, 8, replace=False):
            at = START + dt.timedelta(seconds=int(rng.integers(0, 10 * 86_400)))
            votes.append(Vote(user=user, talk=talks[t], score=int(rng.integers(0, 4)), created_at=at, updated_at=at))
    if readers is not None:
        for user in _users(f"{prefix}-{readers}-{conference.pk}-", 40):
            if readers == "campaign":
                at = SENT + dt.timedelta(seconds=int(rng.integers(0, 3_600)))
                votes.append(Vote(user=user, talk=talks[10], score=3, created_at=at, updated_at=at))
                continue
            if readers == "slate":
                first = SENT + dt.timedelta(seconds=int(rng.exponential(2 * 3_600)))
                for k, t in enumerate((10, 11, 12)):
                    at = first + dt.timedelta(minutes=k)
                    votes.append(Vote(user=user, talk=talks[t], score=3, created_at=at, updated_at=at))
                continue
            if readers in ("mailing", "mailing_spread", "slow_slate"):
                picked = (10, 11, 12) if readers == "slow_slate" else rng.choice(PICKS, 3, replace=False)
                for t in picked:
                    if readers == "mailing_spread":
                        at = START + dt.timedelta(seconds=int(rng.integers(0, 10 * 86_400)))
                    else:
                        at = SENT + dt.timedelta(seconds=int(min(rng.exponential(4 * 3_600), 86_400)))
                    votes.append(Vote(user=user, talk=talks[t], score=3, created_at=at, updated_at=at))
                continue
            if readers == "newsletter":
                first = SENT + dt.timedelta(seconds=int(rng.exponential(2 * 3_600)))
            else:
                first = START + dt.timedelta(seconds=int(rng.integers(0, 10 * 86_400)))
            for k, t in enumerate(rng.choice(PICKS, 3, replace=False)):
                at = first + dt.timedelta(minutes=k)
                votes.append(Vote(user=user, talk=talks[t], score=3, created_at=at, updated_at=at))
    Vote.objects.bulk_create(votes)
    return conference, talks


def _suggestions(conference) -> str:
    return reverse("api-promotion-suggestion-list", args=[conference.slug])


@pytest.mark.django_db
def test_a_newsletters_readers_are_suggested_with_its_talks_and_time():
    conference, talks = _conference(readers="newsletter")
    (suggestion,) = promotion_suggestions_of(conference=conference)
    assert set(suggestion.talk_ids) == {t.pk for t in talks[:PICKS]}
    # The first reader rated a pick at or after SENT, within the hours that followed.
    at = dt.datetime.fromtimestamp(suggestion.at, tz=dt.UTC)
    assert SENT <= at < SENT + dt.timedelta(hours=2)
    # Every reader rated three picks within two minutes: all forty are counted; few are predicted.
    assert suggestion.co_raters >= 40 and suggestion.expected < 5
    assert suggestion.evidence.startswith(f"{PICKS} talks burst within")
    assert f"{suggestion.co_raters} voters rated two or more of them within 15 minutes" in suggestion.evidence
    assert suggestion.evidence.endswith("If you sent a newsletter or post featuring them, record it as a promotion.")


@pytest.mark.django_db
def test_a_mailing_read_over_the_day_is_suggested_with_its_talks_and_time():
    """Each reader rates each pick they choose when they get to it, hours apart: few rated two within 15
    minutes, but many rated two or more within the day while the picks' votes rose together."""
    conference, talks = _conference(readers="mailing")
    (suggestion,) = promotion_suggestions_of(conference=conference)
    assert set(suggestion.talk_ids) == {t.pk for t in talks[:PICKS]}
    at = dt.datetime.fromtimestamp(suggestion.at, tz=dt.UTC)
    assert SENT <= at < SENT + dt.timedelta(hours=2)
    assert suggestion.co_raters >= 20 and suggestion.expected < 5
    assert (
        f"{suggestion.co_raters} voters rated two or more of them between 15 minutes and 24 hours apart"
        in suggestion.evidence
    )


@pytest.mark.django_db
def test_the_same_mailing_crowd_spread_over_the_ten_days_is_not_suggested():
    conference, _ = _conference(readers="mailing_spread")
    assert promotion_suggestions_of(conference=conference) == []


@pytest.mark.django_db
def test_a_slate_campaign_whose_members_rate_it_whole_over_the_day_is_not_suggested():
    conference, _ = _conference(readers="slow_slate")
    assert promotion_suggestions_of(conference=conference) == []


@pytest.mark.django_db
def test_the_same_crowd_spread_over_the_ten_days_is_not_suggested():
    conference, _ = _conference(readers="spread")
    assert promotion_suggestions_of(conference=conference) == []


@pytest.mark.django_db
def test_a_campaign_pushing_one_talk_is_not_suggested():
    conference, _ = _conference(readers="campaign")
    assert promotion_suggestions_of(conference=conference) == []


@pytest.mark.django_db
def test_a_slate_campaign_whose_members_rate_every_talk_of_it_is_not_suggested():
    """Three talks burst together and every member rated all three within minutes: a newsletter's readers
    pick a few of its talks, a slate's members rate it whole (MAX_SHARE)."""
    conference, _ = _conference(readers="slate")
    assert promotion_suggestions_of(conference=conference) == []


@pytest.mark.django_db
def test_recording_the_promotion_through_the_api_removes_the_suggestion():
    conference, talks = _conference(readers="newsletter")
    client = token_client(conference)
    (suggestion,) = client.get(_suggestions(conference)).json()["results"]
    assert sorted(suggestion["talks"]) == sorted(t.pk for t in talks[:PICKS])
    recorded = client.post(
        reverse("api-promotion-list", args=[conference.slug]),
        {"sent_at": suggestion["at"], "channel": "newsletter", "talks": suggestion["talks"]},
        format="json",
    )
    assert recorded.status_code == 201, recorded.json()
    assert client.get(_suggestions(conference)).json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.django_db
def test_the_api_lists_one_conference_only_for_its_organizers():
    conference, talks = _conference(readers="newsletter")
    other, theirs = _conference(readers="newsletter", prefix="o", seed=5)  # its own newsletter
    quiet, _ = _conference(prefix="q")  # no newsletter: nothing to suggest, and nothing of the others leaks
    response = token_client(conference).get(_suggestions(conference))
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    (row,) = body["results"]
    assert set(row) == {
        "at",
        "start",
        "end",
        "talks",
        "voters",
        "co_raters",
        "expected",
        "talks_per_co_rater",
        "evidence",
    }
    assert row["evidence"] == promotion_suggestions_of(conference=conference)[0].evidence
    assert sorted(row["talks"]) == sorted(t.pk for t in talks[:PICKS])
    (their_row,) = token_client(other).get(_suggestions(other)).json()["results"]
    assert sorted(their_row["talks"]) == sorted(t.pk for t in theirs[:PICKS])
    assert row["at"].endswith("Z") and row["start"] <= row["at"] < row["end"]
    assert token_client(quiet).get(_suggestions(quiet)).json()["results"] == []

    attendee = APIClient()
    attendee.force_authenticate(UserFactory())
    for client, expected in ((APIClient(), 401), (attendee, 403), (token_client(quiet), 403)):
        answer = client.get(_suggestions(conference))
        assert answer.status_code == expected
        assert "burst" not in answer.content.decode()
    for method in ("post", "put", "patch", "delete"):
        assert getattr(token_client(conference), method)(_suggestions(conference), {}, format="json").status_code == 405


@pytest.mark.django_db
def test_an_empty_conference_suggests_nothing():
    conference = ConferenceFactory()
    TalkFactory(conference=conference)
    assert promotion_suggestions_of(conference=conference) == []
    answer = token_client(conference).get(_suggestions(conference))
    assert answer.json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.django_db
def test_the_admin_page_lists_it_with_a_link_that_fills_in_the_promotion(admin_client):
    conference, talks = _conference(readers="newsletter")
    page = admin_client.get(reverse("admin:ballots_promotion_suggestions"), {"conference": conference.pk})
    assert page.status_code == 200
    ((suggestion, when, titles, link),) = page.context["rows"]
    assert titles == [t.title for t in sorted(talks[:PICKS], key=lambda t: t.pk)]
    assert link.startswith(reverse("admin:ballots_promotion_add"))
    form = admin_client.get(link).context["adminform"].form
    assert form.initial["conference"] == conference.pk
    assert sorted(form.initial["talks"]) == sorted(suggestion.talk_ids)
    assert form.initial["sent_at"] == when
    assert Promotion.objects.count() == 0  # nothing is recorded until the organizer saves it
    changelist = admin_client.get(reverse("admin:ballots_promotion_changelist")).content.decode()
    assert reverse("admin:ballots_promotion_suggestions") in changelist


@pytest.mark.django_db
def test_reads_count_against_the_signed_in_rate_as_every_read(monkeypatch):
    """An answer may run the burst test over every vote (when they changed since the last), so it counts
    against the signed-in rate like every read (here 3 a minute), in one budget with the bloc list."""
    conference = ConferenceFactory()
    client = token_client(conference)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    assert [client.get(_suggestions(conference)).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(reverse("api-bloc-list", args=[conference.slug])).status_code == 429
