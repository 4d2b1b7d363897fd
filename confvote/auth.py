"""Django's and allauth's authentication backends, finding the signed-in user with one fixed SQL
statement (prepared on PostgreSQL, see confvote.db) instead of an ORM query. Every signed-in request
does this lookup, and on the busiest one (casting a vote) the ORM's query building was a tenth of
the request's CPU: measured per lookup, ORM 0.30 ms of Python + 0.08 ms of PostgreSQL, prepared
0.08 + 0.04 ms (docs/voting.md, "The write path"). Same row, same checks: nothing is cached, so a
deactivated user or a changed password takes effect on the next request, as with Django's own."""

from __future__ import annotations

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from .db import statements


@cache
def _user_statement() -> tuple[str, list[str]] | None:
    """The user table's SELECT by primary key, from the model's own metadata, and its field names —
    on PostgreSQL, whose driver gives every column as the model wants it. Elsewhere (SQLite gives
    timestamps as text) or when a field converts what it reads, None: the ORM does the conversions."""
    model = get_user_model()
    fields = model._meta.concrete_fields
    if connection.vendor != "postgresql" or any(field.get_db_converters(connection) for field in fields):
        return None
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
    return f"SELECT {columns} FROM {table} WHERE {pk} = %s", [field.attname for field in fields]  # noqa: S608


def user_by_id(user_id):
    """The user with this primary key (as stored in a session), or None."""
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    if _user_statement() is None:
        return model._default_manager.filter(pk=pk).first()
    sql, names = _user_statement()
    with statements() as db:
        [rows] = db.run((sql, [pk]))
    return model.from_db(connection.alias, names, rows[0]) if rows else None


class _PreparedLookup:
    def get_user(self, user_id):
        user = user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_PreparedLookup, DjangoModelBackend):
    """django.contrib.auth.backends.ModelBackend with the prepared user lookup."""


class AllauthBackend(_PreparedLookup, AuthenticationBackend):
    """allauth.account.auth_backends.AuthenticationBackend (log in by email) with the prepared user lookup."""
