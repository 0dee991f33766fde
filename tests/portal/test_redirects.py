"""portal.redirects: the one helper every redirect to user input goes through."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from portal.redirects import safe_next_url


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/matching/staff/funnel/?line=talent", "/matching/staff/funnel/?line=talent"),
        ("http://testserver/patents/", "http://testserver/patents/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_only_urls_on_this_site_are_followed(candidate, expected):
    request = RequestFactory().post("/x/", {"next": candidate})
    assert safe_next_url(request, default="home") == expected


def test_an_https_request_is_not_sent_back_to_http():
    request = RequestFactory().get("/x/", {"next": "http://testserver/a/"}, secure=True)
    assert safe_next_url(request, default="/fallback/") == "/fallback/"
