"""What every API view shares: token authentication, the organizer permission, pagination and the
error shape. (Kept apart from the URL table in confvote/api.py: DRF imports these classes while it
loads its settings, before any view module may be imported.)

Defaults deny: every view is authenticated unless it says it is public; organizer views need a
staff session or an API token for that very conference."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from rest_framework import exceptions, parsers, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from apps.talks.models import ApiToken
from apps.talks.services import api_token_hash

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token cv_…` — an organizer token bound to one conference."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as “Authorization: Token <key>”.")
        token = (
            ApiToken.objects.select_related("user", "conference")
            .filter(key_hash=api_token_hash(parts[1].decode(errors="replace")), revoked_at__isnull=True)
            .first()
        )
        if token is None or not (token.user.is_active and token.user.is_staff):
            raise exceptions.AuthenticationFailed("This API token is not valid or has been revoked.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class IsConferenceOrganizer(permissions.BasePermission):
    """Staff with a session may act on any conference; a token only on its own conference."""

    message = "Only the conference's organizers may do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        if isinstance(request.auth, ApiToken):
            return request.auth.conference.slug == view.kwargs.get("slug")
        return True


class IsSignedInAttendee(permissions.IsAuthenticated):
    """The attendee's own endpoints (`…/me/…`): a signed-in session, never an organizer token. A token is
    an integration's credential for its conference's organizer operations; its owner's own ballot, ticket
    and pledge, at any conference, are not what it was handed out for (a leaked one must not vote)."""

    message = (
        "An organizer API token works only on its conference's organizer operations; "
        "your own ballot, ticket and pledge need you signed in."
    )

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and not isinstance(request.auth, ApiToken)


def api_exception_handler(exc, context):
    """Every error has the same shape: {"error": {"status", "code", "message", "fields"?}}."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    from rest_framework.views import exception_handler  # late: rest_framework.views imports our settings

    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    error = {"status": response.status_code, "code": getattr(exc, "default_code", "error")}
    if isinstance(exc, exceptions.ValidationError):
        error["code"] = "invalid"
        error["message"] = "The request has invalid fields." if isinstance(data, dict) else "; ".join(map(str, data))
        if isinstance(data, dict):
            error["fields"] = data
    else:
        detail = data.get("detail") if isinstance(data, dict) else data
        error["message"] = str(detail)
        code = getattr(detail, "code", None)
        if code:
            error["code"] = code
    return Response({"error": error}, status=response.status_code, headers=_headers(response))


def _headers(response) -> dict:
    return {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}


class JSONParser(parsers.JSONParser):
    """DRF's, with JSON nested thousands deep refused (a 400) instead of raising RecursionError (a 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from None


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class WritesThrottled:
    """For a view that reads and writes: every request counts against the site-wide anonymous and
    signed-in rates, and a write (any unsafe method) also against the `writes` scope's."""

    throttle_scope = "writes"

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method in permissions.SAFE_METHODS:
            return [t for t in throttles if not isinstance(t, ScopedRateThrottle)]
        return throttles
