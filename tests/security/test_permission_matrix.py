"""Every URL × every kind of visitor: no 5xx, private pages closed to anonymous
visitors, other organizations' objects not found, wrong methods answered 405.

Routes are discovered from the resolver at collection time (tests/security/
urlwalk.py), so pages and API endpoints added by any app are walked too. A
route whose URL needs an argument nobody provides is skipped with the reason;
add a provider below to cover it.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from portal.permissions import PUBLIC_URL_NAMES, is_public_view

from .matrix_world import VISITORS, Access, FunderOwned, Owned, StaffOnly, World
from .urlwalk import HTTP_METHODS, Route, project_routes


def _admin_object_id(world: World, route: Route):
    for model in apps.get_models():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if route.name and route.name.startswith(prefix):
            return world.row_of(model).pk
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


# Arguments of one URL name: an object of the owner's organization (``Owned``),
# of the funder (``FunderOwned``), a staff tool's record (``StaffOnly``) or a
# public record (a plain value: only "no 5xx, anonymous handled" is checked).
def _pk(attr, marker=None):
    def provide(world, route):
        value = getattr(world, attr).pk
        return marker(value) if marker else value

    return provide


def _token(world, route):
    return world.push.token


def _admin_pk(world, route):
    return _admin_object_id(world, route)


def _membership_claim(world, route):
    # A claim by the other organization's user on the owner's organization: only
    # centre staff decide it or read its licence.
    from django.core.files.base import ContentFile

    from portal.models import MembershipRequest

    claim = MembershipRequest(
        user=world.users["other_org"], organization=world.org, evidence_name="licence.pdf"
    )
    claim.evidence.save("licence.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    claim.save()
    return StaffOnly(claim.pk)


URL_PROVIDERS: dict[str, dict] = {
    # portal: membership verification (staff only)
    "membership_request_decision": {"pk": _membership_claim},
    "membership_evidence": {"pk": _membership_claim},
    # matching
    "matching:need_public_detail": {"pk": _pk("published_need")},
    "matching:need_mine_detail": {
        "pk": lambda w, r: Access(
            w.need.pk, allowed=("owner",), denied=("other_org", "read_only", "staff")
        )
    },
    "matching:need_staff_detail": {"pk": _pk("need", StaffOnly)},
    "matching:weights_edit": {"line": lambda w, r: StaffOnly(w.push.programme_line)},
    "matching:push_item_outcome": {"pk": _pk("push_item", StaffOnly)},
    # Capability links in a push e-mail: the unguessable token is the credential.
    "matching:track_open": {"token": _token},
    "matching:track_click": {"token": _token, "item_id": lambda w, r: w.push_item.pk},
    "matching:push_feedback": {"token": _token},
    "matching:unsubscribe": {"token": _token},
    # Provider callbacks: the secret in the URL (or WeChat's signature) is the credential.
    "matching:receipt_tencent_sms": {"token": lambda w, r: "not-the-callback-secret"},
    "matching:receipt_aliyun_sms": {"token": lambda w, r: "not-the-callback-secret"},
    # operations_center (staff tools; events are public)
    **{
        f"operations_center:{name}": {"slug": lambda w, r: StaffOnly(w.chain.slug)}
        for name in ("chain", "patents", "chain_export", "chain_retag", "report_create")
    },
    "operations_center:tag_review": {
        "slug": lambda w, r: StaffOnly(w.chain.slug),
        "tag_id": lambda w, r: w.node_tag.pk,
    },
    "operations_center:run_status": {"run_id": _pk("tagging_run", StaffOnly)},
    "operations_center:report": {"report_id": _pk("navigation_report", StaffOnly)},
    "operations_center:report_pdf": {"report_id": _pk("navigation_report", StaffOnly)},
    "operations_center:report_xlsx": {"report_id": _pk("navigation_report", StaffOnly)},
    "operations_center:event": {"event_id": _pk("event")},
    "operations_center:event_checkin": {"event_id": _pk("event", StaffOnly)},
    "alliances:detail": {"alliance_id": _pk("alliance", StaffOnly)},
    **{
        f"alliances:{name}": {"alliance_id": _pk("alliance", StaffOnly)}
        for name in ("edit", "member_add", "pool_create")
    },
    "alliances:member_remove": {
        "alliance_id": _pk("alliance", StaffOnly),
        "member_id": lambda w, r: w.alliance_member.pk,
    },
    **{
        f"alliances:{name}": {"pool_id": _pk("pool", StaffOnly)}
        for name in ("pool", "contribution_add", "licence_grant")
    },
    "alliances:contribution_withdraw": {
        "pool_id": _pk("pool", StaffOnly),
        "contribution_id": lambda w, r: w.pool_contribution.pk,
    },
    **{
        f"alliances:{name}": {
            "pool_id": _pk("pool", StaffOnly),
            "licence_id": lambda w, r: w.pool_licence.pk,
        }
        for name in ("licence_cancel", "licence_link")
    },
    # openlicense: a draft declaration is its patentee's; a licence its licensee's
    "openlicense:detail": {"pk": _pk("declaration", Owned)},
    "openlicense:submit": {"pk": _pk("declaration", Owned)},
    "openlicense:withdraw": {"pk": _pk("declaration", Owned)},
    "openlicense:announce": {"pk": _pk("declaration", StaffOnly)},
    "openlicense:push": {"pk": _pk("announced_declaration", StaffOnly)},
    "openlicense:take": {"pk": _pk("announced_declaration")},
    "openlicense:consent": {"pk": _pk("consent", StaffOnly)},
    # The patentee confirms a payment, or staff accept its proof; never the licensee.
    "openlicense:licence_confirm_payment": {"pk": _pk("licence", StaffOnly)},
    **{
        f"openlicense:{name}": {"pk": _pk("licence", Owned)}
        for name in (
            "licence",
            "licence_payment",
            "licence_filing",
            "licence_notice",
            "licence_package",
        )
    },
    # trading: a draft listing is its holder's; deals and reviews are staff work
    "trading:listing_detail": {"pk": _pk("listing", Owned)},
    "trading:listing_submit": {"pk": _pk("listing", Owned)},
    "trading:listing_withdraw": {"pk": _pk("listing", Owned)},
    "trading:valuation": {"pk": _pk("listing", Owned)},
    "trading:listing_review": {"pk": _pk("listing", StaffOnly)},
    "trading:listing_publish": {"pk": _pk("listing", StaffOnly)},
    # Anyone may object to a listing in public notice (a public form).
    "trading:objection_lodge": {"pk": _pk("listing")},
    "trading:objection_resolve": {"pk": _pk("objection", StaffOnly)},
    **{
        f"trading:{name}": {"pk": _pk("deal", StaffOnly)}
        for name in (
            "deal_detail",
            "deal_sign",
            "deal_record",
            "deal_cancel",
            "deal_evidence",
            "milestone_add",
            "deal_contract_pdf",
            "deal_contract_upload",
        )
    },
    "trading:milestone_action": {
        "pk": _pk("milestone", StaffOnly),
        "action": lambda w, r: "pay",
    },
    "trading:broker_detail": {"pk": _pk("broker")},
    # trading sessions (issue 23): public page and live state; staff run them
    "trading:session_open": {"pk": _pk("listing", StaffOnly)},
    "trading:session_detail": {"pk": _pk("trading_session")},
    "trading:session_live": {"pk": _pk("trading_session")},
    "trading:bid_place": {"pk": _pk("trading_session")},
    "trading:deposit_record": {"pk": _pk("trading_session", StaffOnly)},
    "trading:session_action": {
        "pk": _pk("trading_session", StaffOnly),
        "action": lambda w, r: "close",
    },
    "trading:deposit_refund": {"pk": _pk("trading_deposit", StaffOnly)},
    # talent: profiles are personal data, for centre staff only (PIPL); the
    # supply directory and the objection form are public
    "talent:profile": {"pk": _pk("talent", StaffOnly)},
    "talent:need_experts": {"need_id": _pk("need", StaffOnly)},
    "talent:profile_export": {"pk": _pk("talent", StaffOnly)},
    "talent:objection": {"pk": _pk("talent")},
    "talent:correct": {"pk": _pk("talent", StaffOnly), "action": lambda w, r: "merge"},
    "talent:link_confirm": {"pk": _pk("talent_link", StaffOnly)},
    "talent:objection_decide": {"pk": _pk("talent_objection", StaffOnly)},
    "talent:supply_detail": {"pk": _pk("supply_item")},
    "talent:certificate": {"pk": _pk("enrollment", StaffOnly)},
    # reporting: the read-only funder's project and its issued report
    "reporting:project": {"project_id": _pk("project", FunderOwned)},
    "reporting:evidence": {
        "project_id": _pk("project", FunderOwned),
        "code": lambda w, r: w.kpi_code,
    },
    "reporting:report_create": {"project_id": _pk("project", StaffOnly)},
    "reporting:report": {"report_id": _pk("report", FunderOwned)},
    "reporting:report_progress": {"report_id": _pk("report", FunderOwned)},
    "reporting:report_download": {
        "report_id": _pk("report", FunderOwned),
        "kind": lambda w, r: "pdf",
    },
    "reporting:report_generate": {"report_id": _pk("report", StaffOnly)},
    "reporting:report_issue": {"report_id": _pk("report", StaffOnly)},
    # API
    "event-detail": {"pk": _pk("event")},
    "openlicense-feed-detail": {"pk": _pk("announced_declaration")},
    "trading-feed-listing-detail": {"pk": _pk("listing")},
    "trading-feed-deal-detail": {"pk": _pk("deal")},
    "talent-detail": {"pk": _pk("talent", StaffOnly)},
    # needs and pushes: the owner's organization and staff; matching and review: staff
    "need-detail": {"pk": _pk("need", Owned)},
    "need-matches": {"pk": _pk("need", StaffOnly)},
    "need-review": {"pk": _pk("need", StaffOnly)},
    "push-detail": {"pk": _pk("push", Owned)},
    "push-feedback": {"pk": _pk("push")},
    "trading-feed-need-detail": {"pk": _pk("published_need")},
    # alliances API: reads for signed-in users (checked: no 5xx, anonymous refused)
    "alliance-detail": {"pk": _pk("alliance")},
    "alliance-members": {"pk": _pk("alliance")},
    **{
        name: {"pk": _pk("pool")}
        for name in (
            "patent-pool-detail",
            "patent-pool-analytics",
            "patent-pool-contributions",
            "patent-pool-licences",
        )
    },
    "pool-licence-detail": {"pk": _pk("pool_licence")},
    "pool-licence-cancel": {"pk": _pk("pool_licence")},
    "supply-item-detail": {"pk": _pk("supply_item")},
    "reporting-project-detail": {"pk": _pk("project", FunderOwned)},
    "reporting-project-kpis": {"pk": _pk("project", FunderOwned)},
    # Captcha images of a fresh challenge.
    **{
        name: {"key": lambda w, r: _captcha_key()}
        for name in ("captcha-image", "captcha-image-2x", "captcha-audio")
    },
    # admin extras (staff only)
    "admin:patents_importjob_progress": {"pk": _admin_pk},
    "admin:patents_importjob_error_report": {"pk": _admin_pk},
    "admin:otp_totp_totpdevice_qrcode": {"pk": _admin_pk},
    "admin:otp_totp_totpdevice_config": {"pk": _admin_pk},
    "admin:auth_user_password_change": {"id": _admin_pk},
}


def _captcha_key():
    from captcha.models import CaptchaStore

    return CaptchaStore.generate_key()


# Routes that cannot be requested meaningfully, with the reason.
SKIPPED = {
    "admin:view_on_site": "redirects to another site's object URL by content type",
    "admin:autocomplete": "needs admin widget query parameters; Django's own tests cover it",
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
            if route.pattern.startswith("admin/(?P<url>"):
                pass  # the admin's catch-all: requested as /admin/no-such-page/
            elif route.pattern.startswith("admin/") and route.pattern.endswith("<path:object_id>/"):
                reason = (
                    "the admin's old-style object URL only redirects to the named change "
                    "page, which is walked"
                )
            else:
                reason = f"unnamed pattern with arguments: {route.pattern}"
        marks = [pytest.mark.skip(reason=reason)] if reason else []
        params.append(pytest.param(route, id=route.id, marks=marks))
    return params


def _build_url(world: World, route: Route) -> tuple[str, Access | None]:
    kwargs, owned = {}, None
    for name in route.kwarg_names:
        provider = URL_PROVIDERS.get(route.name or "", {}).get(name) or KWARG_PROVIDERS[name]
        try:
            value = provider(world, route)
        except LookupError as exc:
            pytest.skip(str(exc))
        if isinstance(value, Access):
            owned, value = value, value.value
        kwargs[name] = value
    if route.name:
        try:
            return reverse(route.name, kwargs=kwargs), owned
        except NoReverseMatch:
            pytest.skip(f"cannot reverse {route.name} with {sorted(kwargs)}")
    if route.pattern.startswith("admin/(?P<url>"):
        return "/admin/no-such-page/", owned
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
    url, access = _build_url(world, route)
    method = _first_method(route)
    login_urls = (reverse("login"), reverse("admin:login"))
    results, locations = {}, {}
    for visitor in VISITORS:
        client.logout()
        if visitor != "anonymous":
            client.force_login(world.users[visitor])
        response = _request(client, method, url)
        results[visitor] = response.status_code
        locations[visitor] = response.get("Location", "") if response.status_code == 302 else ""
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
    if access is not None:
        for visitor in access.denied:
            assert results[visitor] in (403, 404) or locations[visitor].startswith(login_urls), (
                f"{visitor} must be refused {method.upper()} {url}: got {results}"
            )
        for visitor in access.allowed:
            refused = results[visitor] in (401, 403, 404) or locations[visitor].startswith(
                login_urls
            )
            assert not refused, f"{visitor} must get in to {method.upper()} {url}: got {results}"


def _wrong_methods(route: Route) -> list[str]:
    """Every method the view does not declare (HEAD/OPTIONS aside)."""
    return [m for m in HTTP_METHODS if m not in (route.allowed_methods or ())]


def _method_params():
    params = []
    for param in _route_params():
        route = param.values[0]
        marks = list(param.marks)
        if not marks and not _wrong_methods(route):
            marks = [pytest.mark.skip(reason=f"{route.id}: allows every method")]
        params.append(pytest.param(route, id=route.id, marks=marks))
    return params


def test_every_view_declares_its_methods():
    # Function views: require_http_methods / require_GET / require_POST /
    # require_safe; class views and DRF: their handlers; the admin: its site's
    # ``http_methods``. A view that declares nothing answers any method.
    undeclared = [route.id for route in ROUTES if route.allowed_methods is None]
    assert not undeclared, f"views declaring no HTTP methods: {undeclared}"


def _token_request(client, world: World, method: str, url: str):
    # Token-only endpoints (the partners' feeds) authenticate before they look
    # at the method: ask again with the staff user's token.
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=world.users["staff"])
    client.logout()
    response = getattr(client, method)(url, HTTP_AUTHORIZATION=f"Token {token.key}")
    client.force_login(world.users["staff"])
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("route", _method_params())
def test_wrong_method_is_405(route: Route, client):
    world = World()
    url, _ = _build_url(world, route)
    client.force_login(world.users["staff"])
    answers = {}
    for method in _wrong_methods(route):
        response = _request(client, method, url)
        if response.status_code == 401:
            response = _token_request(client, world, method, url)
        answers[method.upper()] = response.status_code
        if response.status_code == 405:
            allow = {m.strip().lower() for m in response.get("Allow", "").split(",")}
            assert method not in allow, f"{method.upper()} {url} → 405 but Allow: {allow}"
    assert set(answers.values()) == {405}, (
        f"{url} declares {sorted(route.allowed_methods)}; wrong methods got {answers}"
    )


def test_the_walk_found_routes_of_every_kind():
    names = {route.name for route in ROUTES}
    assert {"home", "login", "health", "audit_export_csv", "admin:index"} <= names
    assert any(route.pattern.startswith("api/") for route in ROUTES)
