"""Rate limits of the organizer endpoints that both read and write (confvote.rest.WritesThrottled):
every request counts against the signed-in rate, and only a write also against the `writes` scope."""

import pytest
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

from tests.ballots.test_api_promotions import token_client
from tests.factories import ConferenceFactory

LISTS = ["api-override-list", "api-proposal-list", "api-promotion-list", "api-organisation-list"]


@pytest.fixture
def conference(db):
    return ConferenceFactory()


@pytest.mark.parametrize("name", LISTS)
def test_reads_count_against_the_signed_in_rate(conference, monkeypatch, name):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    client = token_client(conference)
    url = reverse(name, args=[conference.slug])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


@pytest.mark.parametrize("name", LISTS)
def test_reads_do_not_spend_the_writes_budget_and_writes_do(conference, monkeypatch, name):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"writes": "1/minute"})
    client = token_client(conference)
    url = reverse(name, args=[conference.slug])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    first = client.post(url, {}, format="json")  # refused for its body (a proposal takes defaults): counted
    assert first.status_code in (400, 201), first.json()
    assert client.post(url, {}, format="json").status_code == 429
