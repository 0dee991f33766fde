import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"


def _submit(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_login_then_lockout_after_repeated_failures(page):
    UserFactory(username="zhou")

    _submit(page, "zhou", PASSWORD)
    assert page.locator(".user").inner_text() == "zhou"
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()

    for _ in range(5):
        _submit(page, "zhou", "wrong-password-1")
    _submit(page, "zhou", PASSWORD)  # the right password no longer helps
    locked = page.locator("#locked-out")
    assert locked.is_visible()
    assert "登录" in locked.inner_text()  # the Chinese lockout message
    assert page.locator(".user").count() == 0
