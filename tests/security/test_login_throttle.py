"""Lockout per account with progressive delays, per-address limits on the real
client address (issue 24, low finding: lockout keyed on user name + IP only).

On the old main one account could be guessed without limit from many addresses,
and behind a proxy every client shared one address.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from portal import login_throttle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.TRUSTED_PROXY_COUNT = settings.AXES_IPWARE_PROXY_COUNT = 1


def _login(client, username, password, ip):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=ip,
    )


def test_guessing_one_account_from_many_addresses_is_slowed(client):
    UserFactory(username="zhang")
    for n in range(login_throttle.FREE_FAILURES):
        assert _login(client, "zhang", "wrong-password-1", f"198.51.100.{n}").status_code == 200
    response = _login(client, "zhang", "wrong-password-1", "198.51.100.99")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    # Even the right password waits: the password is not checked during the delay.
    response = _login(client, "zhang", PASSWORD, "203.0.113.7")
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_the_delay_grows_and_is_bounded():
    name = "li"
    waits = []
    for _ in range(login_throttle.FREE_FAILURES + 12):
        login_throttle.login_failure_record(name)
        waits.append(login_throttle.login_wait_seconds(name, now=time.time()))
    assert waits[: login_throttle.FREE_FAILURES - 1] == [0] * (login_throttle.FREE_FAILURES - 1)
    assert waits[login_throttle.FREE_FAILURES] > waits[login_throttle.FREE_FAILURES - 1] > 0
    assert max(waits) <= login_throttle.MAX_DELAY


def test_the_real_user_gets_in_after_the_delay_and_from_another_address(client):
    UserFactory(username="wang")
    for n in range(login_throttle.FREE_FAILURES):
        _login(client, "wang", "wrong-password-1", "198.51.100.1" if n % 2 else "198.51.100.2")
    # Time passes: the delay is over; the attacker's address pair is locked by axes,
    # the real user's address is not.
    login_throttle.cache.set(
        login_throttle._key("wang"), (login_throttle.FREE_FAILURES, time.time() - 3600), 60
    )
    response = _login(client, "wang", PASSWORD, "203.0.113.50")
    assert response.status_code == 302


def test_one_address_is_limited_across_accounts_but_not_the_proxy(client, settings):
    settings.RATELIMIT_ENABLE = True
    for n in range(30):
        _login(client, f"user{n}", "wrong-password-1", "198.51.100.66")
    assert _login(client, "user99", "wrong-password-1", "198.51.100.66").status_code == 429
    # Another client behind the same proxy is not affected.
    UserFactory(username="zhao")
    assert _login(client, "zhao", PASSWORD, "203.0.113.9").status_code == 302
