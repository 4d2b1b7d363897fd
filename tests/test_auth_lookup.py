"""The signed-in user is found with a fixed statement on PostgreSQL (confvote/auth.py; the ORM on
SQLite), never a cached copy: the same row and checks as Django's own backend (CI runs PostgreSQL)."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user
from django.db import connection
from django.urls import reverse

from confvote.auth import _user_statement, user_by_id
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    assert client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_the_statement_gives_the_same_user_as_the_orm():
    user = UserFactory(name="Ada Lovelace", is_staff=True)
    found = user_by_id(str(user.pk))  # sessions store the id as text
    expected = type(user).objects.get(pk=user.pk)
    fields = [field.attname for field in type(user)._meta.concrete_fields]
    assert {name: getattr(found, name) for name in fields} == {name: getattr(expected, name) for name in fields}
    assert found._state.adding is False and found._state.db == "default"
    assert (_user_statement() is not None) == (connection.vendor == "postgresql")  # CI: the statement's path


@pytest.mark.parametrize("user_id", ["999999999", "not-a-number", "", None])
def test_unknown_or_malformed_ids_find_nobody(user_id):
    UserFactory()
    assert user_by_id(user_id) is None


def test_a_login_by_email_is_remembered_and_uses_the_prepared_backend(client):
    user = UserFactory()
    _signed_in(client, user)
    assert client.session[BACKEND_SESSION_KEY] in {"confvote.auth.ModelBackend", "confvote.auth.AllauthBackend"}
    request = client.get(reverse("home")).wsgi_request
    assert get_user(request).pk == user.pk


def test_deactivating_a_user_signs_them_out_on_their_next_request(client):
    user = UserFactory()
    _signed_in(client, user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)  # behind the model's back: no signal
    assert get_user(client.get(reverse("home")).wsgi_request).is_authenticated is False


def test_a_password_change_elsewhere_ends_the_session_at_once(client):
    user = UserFactory()
    _signed_in(client, user)
    user.set_password("a-new-long-passphrase-42")
    user.save(update_fields=["password"])
    assert get_user(client.get(reverse("home")).wsgi_request).is_authenticated is False
