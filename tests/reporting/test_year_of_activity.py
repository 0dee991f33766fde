"""A year of recorded activity, written through the owning apps' services, and every KPI
of the three programme lines checked against the count of its evidence (issue 8,
"Done means").

Edge cases: a deal with several patents, a cancelled deal, a cancelled event, a
withdrawn open licence (licences granted before the withdrawal still count, and so do
the pushes of it), a licence from an enterprise rather than a university, one person
trained twice, and records on either side of a year end (China time), also in a period
that crosses the year end. The services stamp ``now()``; the tests move those stamps to
the day the activity happened (as ``loaded_patent`` does for patents).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import types
from decimal import Decimal

import pytest
from django.utils import timezone

from matching.models import Push, TechNeed
from matching.services import PushItemSpec, push_create, push_send
from matching.services.needs import ReviewDecision, need_review, need_submit
from openlicense.push import open_licence_push, open_licence_push_items
from openlicense.services import (
    OpenLicenceError,
    declaration_announce,
    declaration_create,
    declaration_submit,
    declaration_withdraw,
    declaration_withdrawal_announce,
)
from openlicense.services.licences import open_licence_conclude
from operations_center.models import Event
from patents.models import Organization
from reporting.models import ReportingPeriod
from reporting.selectors import evidence_page, kpi_figures_live
from reporting.services import period_get_or_create, report_build_file
from talent.models import Course, Enrollment, SupplyItem, Trainee, TrainingSession
from talent.services import enrollment_assess, supply_item_create, talents_resolve
from tests.factories import (
    InventorMentionFactory,
    OrganizationFactory,
    UserFactory,
    open_licence_paid,
    withdrawal_documents,
)
from tests.trading.factories import granted_patent
from trading.services import deal_cancel, deal_create, deal_record

from .conftest import at
from .factories import ProjectFactory

pytestmark = pytest.mark.django_db

L1, L2, L3 = "industry_operations", "trading_hub", "talent"


@pytest.fixture(autouse=True)
def _events_seen_from_2027(monkeypatch):
    """The event selector never counts an event that has not started; look from 2027."""
    import operations_center.selectors.events as event_selectors

    clock = types.SimpleNamespace(**vars(timezone))
    clock.now = lambda: at(2027, 2, 1)
    monkeypatch.setattr(event_selectors, "timezone", clock)


def _org(name, kind):
    return OrganizationFactory(name=name, normalized_name=name, kind=kind)


def _sent(push, when):
    """Send the push through its channel, then date it to when it went out."""
    push_send(push_id=push.pk)
    Push.objects.filter(pk=push.pk).update(sent_at=when)
    push.refresh_from_db()
    assert push.status == Push.Status.SENT
    return push


def _announced(patent, holder, *, line, on):
    declaration = declaration_create(
        patent=patent,
        consenting=[holder],
        fee_lump_sum=20000,
        payment_method="one_off",
        term_years=3,
        declared_on=on - dt.timedelta(days=7),
        programme_line=line,
    )
    declaration_submit(declaration=declaration, on=on - dt.timedelta(days=7))
    return declaration_announce(
        declaration=declaration, announcement_number="CN2026OL000001", announced_on=on
    )


@pytest.fixture
def year(settings):
    """The recorded activity of 2026, with records just outside it on both sides."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    U = Organization.Kind
    sdu = _org("山东大学", U.UNIVERSITY)
    institute = _org("中国科学院海洋研究所", U.INSTITUTE)
    inspur = _org("浪潮集团有限公司", U.ENTERPRISE)
    haier = _org("海尔集团公司", U.ENTERPRISE)
    water = _org("山东黄河河务局供水局", U.ENTERPRISE)
    r = types.SimpleNamespace(orgs=(sdu, institute, inspur, haier, water))

    def patents(n, holder=sdu):
        return [granted_patent(holder=holder) for _ in range(n)]

    # --- Deals (line 1) -------------------------------------------------------------
    r.several = deal_create(  # one deal, three patents: three patents counted
        kind="transfer",
        assignor=sdu,
        assignee=inspur,
        patents=patents(3),
        amount=3_000_000,
        status="signed",
        signed_on=dt.date(2026, 3, 1),
        contract_number="HT2026001",
        programme_line=L1,
    )
    r.year_end = deal_create(  # signed on the last day of the year, then recorded
        kind="licence_ordinary",
        assignor=institute,
        assignee=haier,
        patents=patents(1, institute),
        amount=500_000,
        status="signed",
        signed_on=dt.date(2026, 12, 31),
        contract_number="HT2026002",
        programme_line=L1,
    )
    deal_record(deal=r.year_end, recordal_number="2026370000123", recorded_on=dt.date(2027, 1, 5))
    r.cancelled = deal_create(
        kind="transfer",
        assignor=sdu,
        assignee=inspur,
        patents=patents(1),
        amount=9_000_000,
        status="signed",
        signed_on=dt.date(2026, 5, 1),
        programme_line=L1,
    )
    deal_cancel(deal=r.cancelled, reason="受让方未付款，合同解除")
    r.from_enterprise = deal_create(  # an enterprise licensor: not university -> enterprise
        kind="licence_exclusive",
        assignor=water,
        assignee=inspur,
        patents=patents(1, water),
        amount=700_000,
        status="signed",
        signed_on=dt.date(2026, 6, 1),
        programme_line=L1,
    )
    r.before = deal_create(  # the last day of 2025
        kind="transfer",
        assignor=sdu,
        assignee=haier,
        patents=patents(1),
        amount=100_000,
        status="signed",
        signed_on=dt.date(2025, 12, 31),
        programme_line=L1,
    )
    r.equity = deal_create(  # line 3: an equity contribution of two patents
        kind="equity",
        assignor=sdu,
        assignee=haier,
        patents=patents(2),
        amount=2_000_000,
        status="signed",
        signed_on=dt.date(2026, 9, 9),
        programme_line=L3,
    )

    # --- Open licences (line 1) ---------------------------------------------------------
    kept = _announced(patents(1)[0], sdu, line=L1, on=dt.date(2026, 3, 9))
    withdrawn = _announced(patents(1)[0], sdu, line=L1, on=dt.date(2026, 3, 9))
    r.withdrawn_declaration = withdrawn
    r.licences = []
    lic = open_licence_conclude(
        declaration=kept, licensee=inspur, notice_sent_on=dt.date(2026, 4, 1)
    )
    r.licences.append(open_licence_paid(licence=lic, amount=20000, paid_on=dt.date(2026, 4, 10)))
    lic = open_licence_conclude(
        declaration=withdrawn, licensee=haier, notice_sent_on=dt.date(2026, 5, 1)
    )
    r.licences.append(open_licence_paid(licence=lic, amount=20000, paid_on=dt.date(2026, 5, 5)))
    # Not paid: not concluded.
    open_licence_conclude(declaration=kept, licensee=water, notice_sent_on=dt.date(2026, 12, 20))
    # Paid two days into 2027.
    lic = open_licence_conclude(
        declaration=kept, licensee=haier, notice_sent_on=dt.date(2026, 12, 28)
    )
    r.paid_2027 = open_licence_paid(licence=lic, amount=20000, paid_on=dt.date(2027, 1, 2))

    # --- Pushes (line 1) -------------------------------------------------------------
    def push(org, items, when):
        return _sent(
            push_create(organization=org, items=items, channel="log", programme_line=L1), when
        )

    pushed = patents(4)
    push(
        inspur,
        [PushItemSpec(kind="patent", patent_id=p.pk, title=p.title) for p in pushed[:3]],
        at(2026, 3, 10),
    )
    push(
        haier,
        [PushItemSpec(kind="patent", patent_id=pushed[3].pk, title="x")],
        at(2025, 12, 31, 23, 30),
    )  # 2025 in Shanghai
    push(
        haier,
        [PushItemSpec(kind="patent", patent_id=pushed[0].pk, title="x")],
        at(2026, 12, 31, 23, 30),
    )  # still 2026 in Shanghai
    # The same item again to the same enterprise: deduplicated, never counted twice.
    again = push_create(
        organization=inspur,
        items=[PushItemSpec(kind="patent", patent_id=pushed[0].pk)],
        channel="log",
        programme_line=L1,
    )
    assert again.status == Push.Status.SUPPRESSED
    # Open-licence items: openlicense's item specs sent through matching's push system.
    ol_items = [PushItemSpec(**spec) for spec in open_licence_push_items([kept, withdrawn])]
    ol_push = push_create(organization=water, items=ol_items, channel="log", programme_line=L1)
    _sent(ol_push, at(2026, 4, 2))
    # The withdrawal comes later; what was pushed and licensed before it still counts,
    # and the withdrawn item can no longer be pushed.
    declaration_withdraw(
        declaration=withdrawn,
        documents=withdrawal_documents(withdrawn),
        reason="专利权人书面撤回开放许可声明",
    )
    declaration_withdrawal_announce(declaration=withdrawn, announced_on=dt.date(2026, 7, 1))
    with pytest.raises(OpenLicenceError):
        open_licence_push(declaration=withdrawn, need_ids=[], channel="log")

    # --- Events (lines 1 and 3) ---------------------------------------------------------
    def event(title, kind, status, when, line=L1):
        return Event.objects.create(
            title=title,
            kind=kind,
            status=status,
            starts_at=when,
            place="济南",
            organizer="山东省知识产权运营中心",
            programme_line=line,
        )

    event("专利技术供需对接会", "matchmaking", "held", at(2026, 4, 10))
    event("高校专利路演", "roadshow", "held", at(2026, 12, 31, 23, 0))
    event("取消的对接会", "matchmaking", "cancelled", at(2026, 5, 10))
    event("知识产权运营培训", "training", "held", at(2026, 6, 10))
    event("跨年对接会", "matchmaking", "held", at(2027, 1, 1, 0, 30))
    event("技术经理人培训班", "training", "held", at(2026, 3, 1), line=L3)
    event("取消的培训班", "training", "cancelled", at(2026, 8, 1), line=L3)

    # --- Trainees (line 3) --------------------------------------------------------------
    course = Course.objects.create(title="技术经理人实务", hours=24, pass_mark=60)
    s1, s2, s3 = (
        TrainingSession.objects.create(
            course=course, starts_on=ends - dt.timedelta(days=2), ends_on=ends, place="济南"
        )
        for ends in (dt.date(2026, 3, 3), dt.date(2026, 12, 31), dt.date(2027, 1, 2))
    )
    wang, li, zhang, zhao = (
        Trainee.objects.create(name=n, organization=inspur, organization_name=inspur.name)
        for n in ("王伟", "李娜", "张敏", "赵磊")
    )
    for session, trainee, attended in (
        (s1, wang, True),
        (s2, wang, True),  # trained twice: one person
        (s1, li, False),  # enrolled, did not attend
        (s3, zhang, True),  # session ended in 2027
        (s2, zhao, True),
    ):
        enrollment = Enrollment.objects.create(session=session, trainee=trainee)
        enrollment_assess(enrollment=enrollment, attended=attended, score=80 if attended else None)

    # --- Supply items (line 3) and needs (line 2) ---------------------------------------
    # The KPI counts talent-linked items: the offered patents' inventors are resolved
    # into talents first, and one item whose inventors are not resolved is not counted.
    offered = patents(4)
    for sequence, patent in enumerate(offered[:3]):
        InventorMentionFactory(
            patent=patent, sequence=sequence, raw_name="孔令华", normalized_name="孔令华"
        )
    talents_resolve()
    for patent, when in zip(
        offered,
        (at(2026, 2, 1), at(2026, 12, 31, 23, 50), at(2025, 12, 31, 23, 50), at(2026, 3, 1)),
        strict=True,
    ):
        item = supply_item_create(patent=patent, kind="licence")
        SupplyItem.objects.filter(pk=item.pk).update(published_at=when)
    assert not SupplyItem.objects.get(patent=offered[3]).talents.exists()
    supply_item_create(patent=offered[0], kind="transfer", publish=False)  # a draft

    reviewer = UserFactory(username="reviewer", roles=["centre_staff"])
    for title, decision, when in (
        ("寻求高压输电线路巡检机器人技术", ReviewDecision.APPROVE, at(2026, 6, 1)),
        ("寻求水电站驱鸟保护装置", ReviewDecision.APPROVE, at(2026, 12, 31, 22, 0)),
        ("寻求不相关技术", ReviewDecision.REJECT, at(2026, 7, 1)),
    ):
        need = need_submit(
            organization=inspur,
            fields={
                "title": title,
                "description": f"{title}，用于生产线改造。",
                "industry": "electrical",
                "cooperation_mode": "licence",
                "contact_name": "王经理",
                "contact_mobile": "13905310000",
                "programme_line": L2,
            },
        )
        need_review(need=need, decision=decision, reviewer=reviewer, note="不符合征集范围")
        TechNeed.objects.filter(pk=need.pk, status="published").update(published_at=when)
    return r


def _figures(project, period):
    lines = kpi_figures_live(
        project=project, start=period.start, end=period.end, with_series=True, use_cache=False
    )
    return {f.code: f for line in lines for f in line.figures}


def _evidence(code, period):
    from reporting.models import KpiDefinition

    definition = KpiDefinition.objects.get(code=code)
    _m, outcome, _columns = evidence_page(
        definition=definition, start=period.start, end=period.end, personal_allowed=True
    )
    return outcome.evidence


EXPECTED_2026 = {
    # Items of sent pushes: 3 patents in March, 1 on 31 Dec 23:30, 2 open-licence items
    # (one of the withdrawn declaration); not the 2025 one, not the deduplicated one.
    "l1-pushes": 6,
    "l1-open-licence-pushes": 2,
    "l1-matchmaking": 2,  # matchmaking + roadshow held; not cancelled, training, 2027
    # University/institute -> enterprise: 3 patents of one deal, the institute's licence
    # of 31 Dec, the two paid open licences (one since withdrawn); not the cancelled
    # deal, not the enterprise's licence, not 2025, not the licence paid in 2027.
    "l1-academic-patents": 6,
    "l1-academic-amount": Decimal(3_000_000 + 500_000 + 20_000 + 20_000),
    "l1-open-licences": 2,
    "l2-needs": 2,
    "l3-events": 1,
    "l3-trained": 2,  # 王伟 (twice) and 赵磊
    "l3-supply": 2,
    "l3-patents": 2,  # the equity deal of line 3
    "l3-amount": Decimal(2_000_000),
}


def test_each_kpi_of_2026_equals_the_count_of_its_evidence(year):
    project = ProjectFactory(code="all-lines", programme_lines=[L1, L2, L3])
    period = period_get_or_create(year=2026)
    figures = _figures(project, period)
    for code, expected in EXPECTED_2026.items():
        figure = figures[code]
        assert figure.measurable, code
        assert figure.value == expected, code
        # The figure is the aggregate of the evidence a drill-down lists.
        evidence = _evidence(code, period)
        if code == "l3-trained":
            assert evidence.count() == 3  # one row per person per session
            assert evidence.values("trainee").distinct().count() == figure.value
        elif figure.unit == "rmb":
            assert sum(d.amount for d in evidence) == figure.value
            assert evidence.count() == figure.evidence_count
        else:
            assert evidence.count() == figure.value == figure.evidence_count, code
        # The monthly series ends at the figure.
        assert figure.series[-1] == ("2026-12", figure.value), code


def test_the_enterprise_licence_counts_as_a_patent_deal_but_not_from_academia(year):
    project = ProjectFactory(code="l1-only", programme_lines=[L1])
    period = period_get_or_create(year=2026)
    academic = {dp.deal_id for dp in _evidence("l1-academic-patents", period)}
    assert year.from_enterprise.pk not in academic and year.cancelled.pk not in academic
    assert year.several.pk in academic and year.year_end.pk in academic
    figures = _figures(project, period)
    # A deal with several patents: three patents, one amount.
    several = [
        dp for dp in _evidence("l1-academic-patents", period) if dp.deal_id == year.several.pk
    ]
    assert len(several) == 3
    assert figures["l1-academic-amount"].evidence_count == 4  # deals, not patents


def test_a_withdrawn_open_licence_keeps_its_licences_and_pushes(year):
    period = period_get_or_create(year=2026)
    withdrawn = year.withdrawn_declaration
    withdrawn.refresh_from_db()
    assert withdrawn.status == "withdrawn"
    licences = list(_evidence("l1-open-licences", period))
    assert withdrawn.pk in {lic.declaration_id for lic in licences}
    pushed = list(_evidence("l1-open-licence-pushes", period))
    assert withdrawn.pk in {item.object_id for item in pushed}


def test_periods_at_and_across_the_year_end(year):
    project = ProjectFactory(code="l1-l3", programme_lines=[L1, L3])
    q4 = _figures(project, period_get_or_create(year=2026, quarter=4))
    q1 = _figures(project, period_get_or_create(year=2027, quarter=1))
    assert q4["l1-matchmaking"].value == 1  # the roadshow at 23:00 on 31 Dec
    assert q1["l1-matchmaking"].value == 1  # the meeting at 00:30 on 1 Jan
    assert q4["l1-pushes"].value == 1 and q1["l1-pushes"].value == 0
    assert q4["l1-open-licences"].value == 0 and q1["l1-open-licences"].value == 1
    assert q4["l3-trained"].value == 2 and q1["l3-trained"].value == 1  # 王伟, 赵磊 | 张敏
    # A period that crosses the year end counts both sides, month by month.
    span = ReportingPeriod.objects.create(
        kind="custom", label="2026H2-2027H1", start=dt.date(2026, 7, 1), end=dt.date(2027, 7, 1)
    )
    both = _figures(project, span)
    assert both["l1-matchmaking"].value == 2
    series = dict(both["l1-matchmaking"].series)
    assert series["2026-11"] == 0 and series["2026-12"] == 1 and series["2027-01"] == 2
    assert both["l1-open-licences"].value == 1  # paid 2 Jan 2027
    # 王伟 trained in Dec 2026 (and in March, before the span) and 张敏 in Jan 2027.
    assert both["l3-trained"].value == 3
    assert dict(both["l3-trained"].series)["2026-12"] == 2
    # The institute's licence of 31 Dec and the open licence paid on 2 Jan 2027 (paying
    # creates its deal).
    assert both["l1-academic-patents"].value == 2


def test_the_annual_pdf_names_the_kpis_in_chinese_with_their_figures(year):
    project = ProjectFactory(
        code="pdf-all", name="山东省知识产权运营服务体系建设项目", programme_lines=[L1, L3]
    )
    period = period_get_or_create(year=2026)
    figures = _figures(project, period)
    pdf = report_build_file(project=project, period=period, fmt="pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = text.replace(" ", "")
    for code, name in (
        ("l1-pushes", "精准推送专利信息条数"),
        ("l1-matchmaking", "举办供需对接活动场次"),
        ("l1-academic-patents", "高校院所向企业转让许可专利件数"),
        ("l1-open-licences", "达成开放许可数"),
        ("l3-trained", "培训人数"),
    ):
        assert figures[code].name_zh == name
        # Its own section: the Chinese name as heading, then the table with its code
        # ("编号") and its figure in the "完成值" (figure: the value achieved) cell.
        before, section = flat.split(f"编号{code}", 1)
        assert before.rstrip().endswith(name), name
        assert f"完成值{figures[code].value:,.0f}完成率" in section[:200], (code, section[:200])
    assert "3,540,000" in flat  # the academic amount
    assert "王伟" not in flat  # no trainee or inventor names in the report
