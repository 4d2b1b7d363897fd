"""Accounts through allauth: email login, mandatory verification, rate-limited logins, guarded admin."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from apps.attendance.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signup_requires_email_verification_before_login(client):
    response = client.post(
        reverse("account_signup"), {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session

    # Logging in before verifying does not let the user in.
    client.post(reverse("account_login"), {"login": "new@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    # The verification link from the email logs them in.
    assert len(mail.outbox) >= 1
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_email_is_case_insensitive(client):
    UserFactory(email="case@example.org")
    response = client.post(reverse("account_login"), {"login": "CASE@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.org")
    bodies = [
        client.post(reverse("account_login"), {"login": "target@example.org", "password": "wrong"}).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in bodies[0]
    assert "Too many failed login attempts" in bodies[-1]  # 5 failures per account in 5 minutes
    # Even the right password is refused while the account is locked.
    response = client.post(reverse("account_login"), {"login": "target@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_admin_redirects_anonymous_to_the_allauth_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_forbids_non_staff_and_admits_staff(client, user, staff_user):
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 302  # admin sends non-staff to its login...
    assert client.get(reverse("admin:login")).status_code == 403  # ...which allauth's guard refuses
    client.force_login(staff_user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_logout_needs_post(user_client):
    assert user_client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in user_client.session
