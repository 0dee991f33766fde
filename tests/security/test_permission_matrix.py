"""Every URL × every kind of visitor: no 5xx, private pages closed to anonymous
visitors, other organizations' objects not found, wrong methods answered 405.

Routes are discovered from the resolver at collection time (tests/security/
urlwalk.py), so pages and API endpoints added by any app are walked too. A
route whose URL needs an argument nobody provides is skipped with the reason;
add a provider below to cover it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from portal.permissions import PUBLIC_URL_NAMES, is_public_view
from portal.roles import Role
from tests.factories import OrganizationFactory, PatentApplicantFactory, PatentFactory, UserFactory

from .urlwalk import Route, project_routes

VISITORS = ("anonymous", "other_org", "read_only", "owner", "staff")


@dataclass
class Owned:
    """A URL argument naming an object that belongs to the owner's organization."""

    value: object


class World:
    def __init__(self):
        from portal.models import UserProfile

        self.org = OrganizationFactory()
        self.other_org = OrganizationFactory()
        self.patent = PatentFactory()
        PatentApplicantFactory(patent=self.patent, organization=self.org)
        self.users = {
            "owner": UserFactory(username="matrix_owner", roles=[Role.ENTERPRISE]),
            "other_org": UserFactory(username="matrix_other", roles=[Role.ENTERPRISE]),
            "read_only": UserFactory(username="matrix_funder", roles=[Role.FUNDER]),
            "staff": UserFactory(
                username="matrix_staff", roles=[Role.STAFF], is_staff=True, is_superuser=True
            ),
        }
        UserProfile.objects.create(user=self.users["owner"], organization=self.org)
        UserProfile.objects.create(user=self.users["other_org"], organization=self.other_org)


def _admin_object_id(world: World, route: Route):
    for model in apps.get_models():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if route.name and route.name.startswith(prefix):
            obj = model._default_manager.order_by("pk").first()
            if obj is None:
                raise LookupError(f"no {model._meta.label} row to open")
            return obj.pk
    raise LookupError("admin URL of an unknown model")


# Arguments whose meaning is the same in every URL that uses them.
KWARG_PROVIDERS = {
    "version": lambda world, route: "v1",
    "format": lambda world, route: "json",
    "publication_number": lambda world, route: world.patent.publication_number,
    "app_label": lambda world, route: "portal",
    "object_id": _admin_object_id,
    # The admin's catch-all (unknown admin pages): any path will do.
    "url": lambda world, route: "no-such-page/",
}
# Arguments of one URL name (e.g. an app's ``pk`` of an org-owned record):
# {"matching:need_detail": {"pk": lambda world, route: Owned(<need of world.org>.pk)}}
URL_PROVIDERS: dict[str, dict] = {}

# Routes that cannot be requested meaningfully, with the reason.
SKIPPED = {
    "admin:view_on_site": "redirects to another site's object URL by content type",
    "admin:autocomplete": "needs admin widget query parameters; Django's own tests cover it",
    "admin:jsi18n": "static JavaScript catalogue",
}

ROUTES = project_routes()


def _route_params():
    params = []
    for route in ROUTES:
        reason = SKIPPED.get(route.name or "")
        missing = [
            k
            for k in route.kwarg_names
            if k not in KWARG_PROVIDERS and k not in URL_PROVIDERS.get(route.name or "", {})
        ]
        if not reason and missing:
            reason = f"no provider for URL argument(s) {missing} of {route.pattern}"
        if not reason and route.kwarg_names and not route.name:
            reason = f"unnamed pattern with arguments: {route.pattern}"
        marks = [pytest.mark.skip(reason=reason)] if reason else []
        params.append(pytest.param(route, id=route.id, marks=marks))
    return params


def _build_url(world: World, route: Route) -> tuple[str, bool]:
    kwargs, owned = {}, False
    for name in route.kwarg_names:
        provider = URL_PROVIDERS.get(route.name or "", {}).get(name) or KWARG_PROVIDERS[name]
        try:
            value = provider(world, route)
        except LookupError as exc:
            pytest.skip(str(exc))
        if isinstance(value, Owned):
            owned, value = True, value.value
        kwargs[name] = value
    if route.name:
        try:
            return reverse(route.name, kwargs=kwargs), owned
        except NoReverseMatch:
            pytest.skip(f"cannot reverse {route.name} with {sorted(kwargs)}")
    path = route.pattern.lstrip("^").rstrip("$")
    if any(ch in path for ch in "()[]*+?\\"):
        pytest.skip(f"unnamed regex pattern {route.pattern}")
    return "/" + path, owned


def _is_public(route: Route) -> bool:
    return (route.name in PUBLIC_URL_NAMES) or is_public_view(route.callback)


def _request(client, method: str, url: str):
    return getattr(client, method)(url, follow=False)


def _first_method(route: Route) -> str:
    if route.allowed_methods and "get" not in route.allowed_methods:
        return sorted(route.allowed_methods)[0]
    return "get"


@pytest.mark.django_db
@pytest.mark.parametrize("route", _route_params())
def test_route_as_every_visitor(route: Route, client, settings):
    world = World()
    url, owned = _build_url(world, route)
    method = _first_method(route)
    login_urls = (reverse("login"), reverse("admin:login"))
    results = {}
    for visitor in VISITORS:
        client.logout()
        if visitor != "anonymous":
            client.force_login(world.users[visitor])
        response = _request(client, method, url)
        results[visitor] = response.status_code
        # /health/ answers 503 by design when a dependency (e.g. no Celery worker
        # in the test run) is down; everything else must never 5xx.
        if not (route.name == "health" and response.status_code == 503):
            assert response.status_code < 500, (
                f"{visitor} {method.upper()} {url} → {response.status_code}"
            )
        if visitor == "anonymous" and not _is_public(route):
            location = response.get("Location", "")
            denied = response.status_code in (401, 403, 404, 405) or (
                response.status_code == 302 and location.startswith(login_urls)
            )
            assert denied, (
                f"anonymous {method.upper()} {url} → {response.status_code} {location}: "
                "private pages must send anonymous visitors to the login page (or 401/403). "
                "If it is public on purpose, mark its view with portal.permissions.public_view."
            )
    if owned:
        assert results["other_org"] in (403, 404), f"another organization's user got {results}"
        assert results["owner"] < 400, f"the owner got {results}"


def _wrong_method(route: Route) -> str | None:
    if not route.allowed_methods:
        return None
    for candidate in ("delete", "put", "patch", "post", "get"):
        if candidate not in route.allowed_methods:
            return candidate
    return None


def _method_params():
    params = []
    for param in _route_params():
        route = param.values[0]
        marks = list(param.marks)
        if not marks and _wrong_method(route) is None:
            why = "allows every method" if route.allowed_methods else "declares no methods"
            marks = [pytest.mark.skip(reason=f"{route.id}: view {why}")]
        params.append(pytest.param(route, id=route.id, marks=marks))
    return params


@pytest.mark.django_db
@pytest.mark.parametrize("route", _method_params())
def test_wrong_method_is_405(route: Route, client):
    world = World()
    url, _ = _build_url(world, route)
    client.force_login(world.users["staff"])
    method = _wrong_method(route)
    response = _request(client, method, url)
    assert response.status_code == 405, f"{method.upper()} {url} → {response.status_code}"


def test_the_walk_found_routes_of_every_kind():
    names = {route.name for route in ROUTES}
    assert {"home", "login", "health", "audit_export_csv", "admin:index"} <= names
    assert any(route.pattern.startswith("api/") for route in ROUTES)
