"""Sessions read from the cache (Redis) and kept in the database, that keep working when Redis is down.

Every signed-in request reads its session; Django's `cached_db` engine answers that from Redis
instead of a database query, and writes through to the database, so nothing is lost when Redis
empties. Its one gap: with Redis unreachable, some of its cache calls raise. Voting must keep
working then (issue 8), so the cache is wrapped: an unreachable Redis reads as a miss and writes are
skipped, and the database answers.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class _CacheOrNothing:
    """The calls cached_db makes on its cache, with a Redis failure turned into a miss or a no-op."""

    def __init__(self, cache):
        self._cache = cache

    def _try(self, what: str, call, default=None):
        try:
            return call()
        except RedisError as error:
            logger.warning("Session cache unavailable (%s): %s; using the database", what, error)
            return default

    def get(self, key, default=None):
        return self._try("get", lambda: self._cache.get(key, default), default)

    def set(self, key, value, timeout=None):
        self._try("set", lambda: self._cache.set(key, value, timeout))

    def delete(self, key):
        return self._try("delete", lambda: self._cache.delete(key), False)

    def __contains__(self, key) -> bool:
        return self._try("has_key", lambda: key in self._cache, False)


class SessionStore(CachedDBStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _CacheOrNothing(self._cache)
