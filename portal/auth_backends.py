"""Authentication backends."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class PortalAxesBackend(AxesStandaloneBackend):
    """django-axes, applied to web logins only.

    Axes refuses to authenticate without a request; ``Client.login`` in tests,
    management commands and shells authenticate without one. Those are not an
    attack surface for password guessing, so they pass through to
    ``ModelBackend`` unchecked instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
