"""Rate limits for guessable secrets (order codes, one-time links), kept in the shared cache.

Failed attempts are counted per account and per client IP in fixed windows; while either count is
at its limit every attempt is refused before any ticket is looked up, so guessing learns nothing."""

import logging
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    attempts: int
    seconds: int


PER_USER = Limit(attempts=5, seconds=15 * 60)
PER_IP = Limit(attempts=20, seconds=60 * 60)
THROTTLED_MESSAGE = "Too many unsuccessful attempts. Please wait 15 minutes, or ask the organizers for a link."


def client_ip(request) -> str | None:
    """The client's address as the limits count it: the proxy-appended X-Forwarded-For entry behind
    TRUSTED_PROXY_COUNT proxies, else REMOTE_ADDR (allauth's rule, shared with its own limits)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def _keys(user_id: int | None, ip: str | None) -> list[tuple[str, Limit]]:
    keys = []
    if user_id is not None:
        keys.append((f"attendance:claim-fail:user:{user_id}", PER_USER))
    if ip:
        keys.append((f"attendance:claim-fail:ip:{ip}", PER_IP))
    return keys


def claim_is_throttled(*, user_id: int | None, ip: str | None) -> bool:
    return any((cache.get(key) or 0) >= limit.attempts for key, limit in _keys(user_id, ip))


def claim_failure_count(*, user_id: int | None, ip: str | None) -> None:
    for key, limit in _keys(user_id, ip):
        cache.add(key, 0, timeout=limit.seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=limit.seconds)
            count = 1
        if count == limit.attempts:
            logger.warning("ticket claims throttled for %s after %d failures", key.rsplit(":", 2)[-2], count)
