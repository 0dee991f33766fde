"""Pushing open-licence items to matching enterprises: staff flow, daily batch, KPI."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from matching.models import Push, PushItem, TechNeed
from openlicense.push import open_licence_push, open_licence_push_new_items
from openlicense.selectors import (
    open_licence_items_pushed_in_period,
    open_licence_push_candidates,
)
from openlicense.services import OpenLicenceError, declaration_withdraw
from patents.tagging import keywords_extract
from portal.models import UserProfile
from portal.programme import ProgrammeLine
from portal.roles import Role
from tests.factories import UserFactory, withdrawal_documents
from tests.trading.factories import enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager_mail(settings):
    from portal.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _need(org, title, description, *, status=TechNeed.Status.PUBLISHED):
    need = TechNeed.objects.create(
        organization=org,
        title=title,
        description=description,
        industry="electrical",
        cooperation_mode="licence",
        contact_name="张",
        contact_mobile="13800138000",
        status=status,
        published_at=timezone.now() if status == TechNeed.Status.PUBLISHED else None,
    )
    need.keywords = keywords_extract(text=need.text, top=15)
    need.save(update_fields=["keywords"])
    return need


def _firm(name, email):
    org = enterprise(name=name)
    user = UserFactory(username=email.split("@")[0], email=email, roles=[Role.ENTERPRISE])
    UserProfile.objects.create(user=user, organization=org)
    return org


@pytest.fixture
def needs(holder):
    water = _firm("山东黄河河务局供水局", "water@example.org")
    grid = _firm("国网山东省电力公司", "grid@example.org")
    return {
        "water": _need(
            water, "输电线路驱鸟装置", "水电站高压输电线路鸟类筑巢造成跳闸，寻求驱鸟保护装置。"
        ),
        "water2": _need(water, "高压输电线路防鸟", "高压输电线路驱鸟保护装置的许可实施。"),
        "grid": _need(grid, "高压输电线路驱鸟保护", "输电线路驱鸟保护装置，电网运维使用。"),
        "holder": _need(holder, "输电线路驱鸟保护装置", "本校自有需求：高压输电线路驱鸟。"),
        "draft": _need(
            enterprise(name="青岛某电气有限公司"),
            "输电线路驱鸟",
            "未发布的驱鸟保护装置需求。",
            status=TechNeed.Status.SUBMITTED,
        ),
        "unrelated": _need(
            _firm("潍坊某食品有限公司", "food@example.org"),
            "酸奶发酵菌种",
            "乳制品发酵工艺改良，寻求菌种专利。",
        ),
    }


def test_candidates_are_matching_enterprises_without_patentees_or_drafts(announced, needs):
    candidates = open_licence_push_candidates(declaration=announced)
    ids = {c.need_id for c in candidates}
    assert {needs["water"].pk, needs["grid"].pk} <= ids
    assert needs["holder"].pk not in ids  # the patentee's own need
    assert needs["draft"].pk not in ids  # not published
    assert needs["unrelated"].pk not in ids  # shares nothing with the patent
    assert all(c.reasons for c in candidates)
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)


def test_staff_push_sends_one_item_per_enterprise_and_never_twice(
    announced, needs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = open_licence_push(
            declaration=announced,
            need_ids=[needs["water"].pk, needs["water2"].pk, needs["grid"].pk],
            channel="email",
            programme_line=ProgrammeLine.TRADING_HUB,
        )
    assert len(outcome.queued) == 2  # two needs of the water bureau: one push to it
    items = PushItem.objects.filter(kind="open_licence", object_id=announced.pk)
    assert sorted(items.values_list("organization__name", flat=True)) == [
        "国网山东省电力公司",
        "山东黄河河务局供水局",
    ]
    assert {m.to[0] for m in mail.outbox} == {"water@example.org", "grid@example.org"}
    assert Push.objects.filter(status=Push.Status.SENT).count() == 2

    again = open_licence_push(declaration=announced, need_ids=[needs["grid"].pk])
    assert again.queued == [] and again.skipped == ["国网山东省电力公司"]
    assert items.count() == 2
    marked = {
        c.need_id: c.already_pushed for c in open_licence_push_candidates(declaration=announced)
    }
    assert marked[needs["grid"].pk] is True


def test_push_refusals(announced, needs):
    with pytest.raises(OpenLicenceError, match="not matches of this item"):
        open_licence_push(declaration=announced, need_ids=[needs["unrelated"].pk])
    with pytest.raises(OpenLicenceError, match="at least one"):
        open_licence_push(declaration=announced, need_ids=[])
    with pytest.raises(OpenLicenceError, match="Unknown channel"):
        open_licence_push(declaration=announced, need_ids=[needs["grid"].pk], channel="fax")
    declaration_withdraw(
        declaration=announced,
        documents=withdrawal_documents(announced),
        reason="专利权人决定停止开放许可。",
    )
    with pytest.raises(OpenLicenceError, match="withdrawal pending"):
        open_licence_push(declaration=announced, need_ids=[needs["grid"].pk])
    assert not PushItem.objects.exists()


def test_kpi_selector_counts_open_licence_items_sent_per_line(
    announced, needs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_licence_push(
            declaration=announced,
            need_ids=[needs["water"].pk, needs["grid"].pk],
            programme_line=ProgrammeLine.INDUSTRY_OPERATIONS,
        )
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    assert open_licence_items_pushed_in_period(start=today, end=tomorrow).count() == 2
    assert (
        open_licence_items_pushed_in_period(
            start=today, end=tomorrow, programme_line=ProgrammeLine.TRADING_HUB
        ).count()
        == 0
    )
    assert (
        open_licence_items_pushed_in_period(
            start=today, end=tomorrow, programme_line=ProgrammeLine.INDUSTRY_OPERATIONS
        ).count()
        == 2
    )


def test_daily_batch_pushes_new_items_once(announced, needs):
    on = announced.announced_on + dt.timedelta(days=3)
    first = open_licence_push_new_items(today=on, window_days=30, top=10)
    assert first == 2  # the water bureau and the grid company
    pushes = Push.objects.count()
    assert open_licence_push_new_items(today=on, window_days=30, top=10) == 0
    assert Push.objects.count() == pushes  # nothing recorded on the second run
    # A new matching enterprise later gets the item; the others are not pushed again.
    late = _need(
        _firm("济南某电力设备有限公司", "late@example.org"),
        "输电线路驱鸟装置",
        "高压输电线路驱鸟保护装置采购。",
    )
    assert open_licence_push_new_items(today=on, window_days=30, top=10) == 1
    assert PushItem.objects.filter(organization=late.organization).count() == 1
    # Items announced before the window are left alone.
    assert open_licence_push_new_items(today=on + dt.timedelta(days=60), window_days=30) == 0


def test_staff_page_lists_matches_and_pushes(client, announced, needs):
    staff = UserFactory(username="ol-staff", roles=[Role.STAFF])
    client.force_login(staff)
    page = client.get(f"/open-licence/{announced.pk}/push/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "国网山东省电力公司" in body and "潍坊某食品有限公司" not in body
    response = client.post(
        f"/open-licence/{announced.pk}/push/",
        {"need_ids": [needs["grid"].pk], "channel": "email", "programme_line": "trading_hub"},
        follow=True,
    )
    assert response.status_code == 200
    assert PushItem.objects.filter(
        kind="open_licence", organization__name="国网山东省电力公司"
    ).exists()
    empty = client.post(
        f"/open-licence/{announced.pk}/push/",
        {"channel": "email", "programme_line": "trading_hub"},
        follow=True,
    )
    assert empty.status_code == 200 and "messages" in empty.content.decode()
    client.logout()
    firm = UserFactory(username="not-staff")
    client.force_login(firm)
    assert client.get(f"/open-licence/{announced.pk}/push/").status_code == 403
