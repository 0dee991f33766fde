"""Password guessing: slowed per account, limited per client address.

django-axes locks a (user name, client address) pair after ``AXES_FAILURE_LIMIT``
failures. That alone lets an attacker guess one account from many addresses, and
behind a proxy (every client sharing its address) it let anyone lock anyone out.
So, in addition:

* **per account, progressive delays**: after ``FREE_FAILURES`` failed logins of
  one user name (from any address) each further attempt must wait
  2, 4, 8 … seconds (at most ``MAX_DELAY``) after the last failure. The real
  user is slowed, never locked out; a guesser gets a few hundred tries a day.
* **per client address**: at most ``IP_RATE`` login posts, counted on the real
  client address (``portal.requestmeta.client_ip``: forwarding headers only from
  ``TRUSTED_PROXIES``), so one proxy is never one global bucket.

Counters live in the default cache (Redis in production; portal.E017 refuses
per-process counting in a multi-worker server).
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache

FREE_FAILURES = 5
MAX_DELAY = 15 * 60
WINDOW = 24 * 3600
IP_RATE = "30/10m"


def _key(username: str) -> str:
    digest = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:{digest}"


def login_wait_seconds(username: str, *, now: float | None = None) -> int:
    """Seconds this account must wait before a password is checked again (0: go)."""
    state = cache.get(_key(username))
    if not state:
        return 0
    count, last = state
    if count < FREE_FAILURES:
        return 0
    delay = min(2 ** (count - FREE_FAILURES + 1), MAX_DELAY)
    left = last + delay - (now if now is not None else time.time())
    return max(0, math.ceil(left))


def login_failure_record(username: str) -> None:
    key = _key(username)
    count, _last = cache.get(key) or (0, 0.0)
    cache.set(key, (count + 1, time.time()), WINDOW)


def login_success_reset(username: str) -> None:
    cache.delete(_key(username))
