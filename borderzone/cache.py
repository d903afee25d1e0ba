"""The shared cache (Redis) as an optimisation only: when Redis cannot be reached, every call is a miss.

Everything the site caches (sessions with the database behind them, the inbox badge, the dashboards'
figures and pages) can be recomputed from PostgreSQL, so a Redis outage must slow pages down, not
answer 500. Calls that fail on a connection error or a timeout behave as a miss (reads) or as a no-op
(writes), the outage is logged once per ``LOG_EVERY`` seconds per process, and Redis is not asked
again for ``RETRY_AFTER`` seconds so that a page does not wait once per cache call.

A write or delete missed during the outage would leave Redis serving the value from before it (a
session logged out meanwhile, for one): the keys are remembered and deleted first when Redis answers
again. A process that exits during the outage forgets them; the entries then expire with their TTL.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY = 60.0
RETRY_AFTER = 2.0
# Bounded: beyond this many missed writes the oldest are dropped (they expire with their TTL).
MAX_PENDING = 10_000

_MISSING = object()


class ResilientRedisCache(RedisCache):
    """``RedisCache`` that treats an unreachable Redis as an empty cache that stores nothing."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._logged_at = -LOG_EVERY
        self._pending: dict[str, None] = {}

    # The state of the connection ----------------------------------------------------------------

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, exc: BaseException, operation: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._down_until = now + RETRY_AFTER
            log = now - self._logged_at >= LOG_EVERY
            if log:
                self._logged_at = now
        if log:
            logger.warning("Redis cache unreachable (%s during %s): serving without the cache", exc, operation)

    def _remember(self, keys) -> None:
        with self._lock:
            for key in keys:
                self._pending.pop(key, None)
                self._pending[key] = None
            while len(self._pending) > MAX_PENDING:
                self._pending.pop(next(iter(self._pending)))

    def _flush_pending(self) -> None:
        """Delete what was written or deleted while Redis was away, before anything reads it again."""
        if not self._pending:
            return
        with self._lock:
            keys, self._pending = list(self._pending), {}
        try:
            self._cache.delete_many(keys)
        except UNREACHABLE:
            self._remember(keys)
            raise
        logger.warning("Redis cache reachable again: dropped %d entries written during the outage", len(keys))

    def _call(self, operation: str, default: Any, method, *args, written=()) -> Any:
        if not self._available():
            self._remember(written)
            return default
        try:
            self._flush_pending()
            return method(*args)
        except UNREACHABLE as exc:
            self._failed(exc, operation)
            self._remember(written)
            return default

    # The cache API (keys are made and validated here, as RedisCache does) -------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call("add", False, self._cache.add, key, value, self.get_backend_timeout(timeout),
                          written=(key,))

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call("get", default, self._cache.get, key, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._call("set", None, self._cache.set, key, value, self.get_backend_timeout(timeout), written=(key,))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call("touch", False, self._cache.touch, key, self.get_backend_timeout(timeout))

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call("delete", False, self._cache.delete, key, written=(key,))

    def get_many(self, keys, version=None):
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        found = self._call("get_many", {}, self._cache.get_many, key_map.keys())
        return {key_map[k]: v for k, v in found.items()}

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call("has_key", False, self._cache.has_key, key)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        value = self._call("incr", _MISSING, self._cache.incr, key, delta, written=(key,))
        if value is _MISSING:
            raise ValueError(f"Key '{key}' not found.")  # what a miss means to incr()
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        safe_data = {self.make_and_validate_key(key, version=version): value for key, value in data.items()}
        stored = self._call("set_many", _MISSING, self._cache.set_many, safe_data, self.get_backend_timeout(timeout),
                            written=tuple(safe_data))
        return list(data) if stored is _MISSING else []

    def delete_many(self, keys, version=None):
        if not keys:
            return
        safe_keys = [self.make_and_validate_key(key, version=version) for key in keys]
        self._call("delete_many", None, self._cache.delete_many, safe_keys, written=tuple(safe_keys))

    def clear(self):
        return self._call("clear", False, self._cache.clear)
