"""The security list: headers and CSP on every page, CSRF on browser writes (HTMX included), rate limits
on sign-up and password reset, client IPs from the proxy-appended header, no secrets in responses."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import PASSWORD, ConferenceFactory, TalkFactory, TicketClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


ANONYMOUS_PAGES = ("account_login", "account_signup", "account_reset_password")


def pages_for(conference) -> list[str]:
    return [
        reverse("home"),
        reverse("conference_detail", args=[conference.slug]),
        reverse("ballots:vote", args=[conference.slug]),
        reverse("attendance:my_overview"),
        reverse("attendance:my_ticket", args=[conference.slug]),
        reverse("attendance:my_pledge", args=[conference.slug]),
        reverse("admin:index"),
        reverse("api-conference-list"),
    ]


def test_every_page_sends_the_security_headers(client):
    conference = ConferenceFactory()
    anonymous = [client.get(reverse(name)) for name in ANONYMOUS_PAGES]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    signed_in = [client.get(url) for url in pages_for(conference)]
    for response in anonymous + signed_in:
        url = response.wsgi_request.path
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url


def test_browser_writes_need_the_csrf_token_htmx_included():
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    user = TicketClaimFactory(ticket__conference=conference).user
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    url = reverse("ballots:vote_submit", args=[conference.slug, talk.pk])
    assert browser.post(url, {"score": "2"}).status_code == 403
    assert browser.post(url, {"score": "2"}, headers={"hx-request": "true"}).status_code == 403
    browser.get(reverse("ballots:vote", args=[conference.slug]))
    token = browser.cookies["csrftoken"].value
    ok = browser.post(url, {"score": "2"}, headers={"hx-request": "true", "x-csrftoken": token})
    assert ok.status_code == 200
    claim = reverse("attendance:my_ticket", args=[conference.slug])
    assert browser.post(claim, {"order_code": "X", "email": "x@example.org"}).status_code == 403


def test_signup_is_rate_limited_per_ip(client):
    statuses = []
    for i in range(22):
        response = client.post(
            reverse("account_signup"), {"email": f"new{i}@example.org", "password1": PASSWORD, "password2": PASSWORD}
        )
        statuses.append(response.status_code)
    assert statuses[0] == 302
    assert statuses[-1] == 429  # 20 sign-ups an hour from one address


def test_password_reset_is_rate_limited(client):
    user = UserFactory()
    statuses = [client.post(reverse("account_reset_password"), {"email": user.email}).status_code for _ in range(7)]
    assert statuses[0] == 302
    assert 429 in statuses  # 5 an hour for one address


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_client_ip_comes_from_the_proxy_appended_header_not_the_client_part(client):
    """Behind one proxy the real address is the last X-Forwarded-For entry; whatever the client puts in
    front of it must not give it a fresh rate-limit budget."""
    target = UserFactory()
    bodies = []
    for i in range(12):
        spoofed = f"10.0.{i}.{i}, 203.0.113.7"  # client-chosen part first, the proxy's append last
        response = client.post(
            reverse("account_login"),
            {"login": f"nobody{i}@example.org", "password": "x"},
            headers={"x-forwarded-for": spoofed},
        )
        bodies.append(response.content.decode())
    assert "Too many failed login attempts" not in bodies[0]
    assert "Too many failed login attempts" in bodies[-1]  # 10 a minute, all counted against 203.0.113.7
    # Another real address is not affected by that budget.
    fresh = client.post(
        reverse("account_login"),
        {"login": target.email, "password": PASSWORD},
        headers={"x-forwarded-for": "198.51.100.9"},
    )
    assert fresh.status_code == 302


def test_no_ticket_secret_or_token_leaks_into_pages(client):
    claim = TicketClaimFactory(ticket__secret="super-secret-ticket-code-1234")
    client.force_login(claim.user)
    for url in (reverse("attendance:my_overview"), reverse("attendance:my_ticket", args=[claim.conference.slug])):
        assert "super-secret-ticket-code-1234" not in client.get(url).content.decode()
