"""A year of recorded activity, written through the owning apps' services, and every KPI
of the three programme lines checked against the count of its evidence (issue 8,
"Done means").

Edge cases: a deal with several patents, a cancelled deal, a cancelled event, a
withdrawn open licence (licences granted before the withdrawal still count, and so do
the pushes of it), a licence from an enterprise rather than a university, one person
trained twice, and records on either side of a year end (China time), also in a period
that crosses the year end. Issue 15 adds: a logged push and an SMS-stub push (never
delivered), a partner market's deal (shown beside, never summed), an out-of-province
receiver, a planned-but-not-held event and a "held" one nobody attended, an enrolled and
attending trainee who did not pass, a payment reported but not confirmed, a deal with
no recordal or payment evidence, and a deal signed in one year and paid in the next.
The services stamp ``now()``; the tests move those stamps to
the day the activity happened (as ``loaded_patent`` does for patents).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import types
from decimal import Decimal

import pytest
from django.utils import timezone

from matching.models import Push, PushPreference, TechNeed
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
from openlicense.services.licences import (
    open_licence_conclude,
    open_licence_record_payment,
)
from operations_center.models import Event, EventRegistration
from patents.models import Organization
from portal.models import UserProfile
from reporting.models import ReportingPeriod
from reporting.selectors import evidence_page, kpi_figures_live
from reporting.services import period_get_or_create, report_build_file
from talent.models import Course, Enrollment, SupplyItem, Trainee, TrainingSession
from talent.services import enrollment_assess, supply_item_create, talents_resolve
from tests.factories import (
    InventorMentionFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    consent_documents,
    open_licence_paid,
    withdrawal_documents,
    written_document,
)
from tests.trading.factories import granted_patent
from trading.services import (
    deal_cancel,
    deal_create,
    deal_record,
    milestone_add,
    milestone_mark_paid,
)

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


@pytest.fixture(autouse=True)
def _caps_out_of_the_way(settings):
    # A year of pushes is recorded on one real day: the daily cap is not under test.
    settings.MATCHING_PUSH_DAILY_CAP = 1000


def _sent(push, when):
    """Send the push through its channel, then date it to when it went out. An e-mail
    push is delivered when its provider reports so (issue 16): the receipt is recorded
    at ``when``. The log channel and an SMS provider that is not configured deliver
    nothing."""
    from matching.delivery.base import Receipt
    from matching.services import push_receipt_record

    push_send(push_id=push.pk)
    push.refresh_from_db()
    if push.channel == Push.Channel.EMAIL and push.status == Push.Status.SENT:
        message_id = f"<year-{push.pk}@portal>"
        Push.objects.filter(pk=push.pk).update(
            provider="smtp", provider_message_id=message_id, delivery=Push.Delivery.PENDING
        )
        push_receipt_record(receipt=Receipt("smtp", message_id, Push.Delivery.DELIVERED), now=when)
    Push.objects.filter(pk=push.pk).update(sent_at=when)
    push.refresh_from_db()
    expected = Push.Status.SENT if push.channel != Push.Channel.SMS else push.status
    assert push.status == expected
    return push


def _announced(patent, holder, *, line, on):
    declaration = declaration_create(
        patent=patent,
        consent_documents=consent_documents(holder),
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
    # Regions (GB/T 2260): Jinan and Qingdao are in Shandong, Suzhou in Jiangsu and
    # Shenzhen in Guangdong (neither in province nor a Yellow River province).
    jinan, qingdao = RegionFactory(code="370100"), RegionFactory(code="370200", name="青岛市")
    suzhou = RegionFactory(code="320500", name="苏州市", short_name="苏州")
    shenzhen = RegionFactory(code="440300", name="深圳市", short_name="深圳")
    Organization.objects.filter(pk__in=[inspur.pk, water.pk]).update(region=jinan)
    Organization.objects.filter(pk=haier.pk).update(region=qingdao)
    for org in r.orgs:
        org.refresh_from_db()
    outsider = _org("苏州纳米科技有限公司", U.ENTERPRISE)
    Organization.objects.filter(pk=outsider.pk).update(region=suzhou)
    southern = _org("深圳储能科技有限公司", U.ENTERPRISE)
    Organization.objects.filter(pk=southern.pk).update(region=shenzhen)
    outsider.refresh_from_db()
    southern.refresh_from_db()
    # The patentees' addresses: the licensees' written notices are delivered to them.
    for org, email in ((sdu, "ip@sdu.edu.cn"), (institute, "ip@qdio.ac.cn")):
        member = UserFactory(username=f"member-{org.pk}", email=email)
        UserProfile.objects.create(user=member, organization=org)
    # The enterprises' push addresses (the e-mail channel confirms an accepted hand-off).
    for org in (inspur, haier, water):
        PushPreference.objects.update_or_create(
            organization=org, defaults={"email": f"push-{org.pk}@example.cn"}
        )

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
    milestone_mark_paid(  # payment evidence
        milestone=milestone_add(deal=r.several, kind="final_payment", amount=3_000_000),
        paid_on=dt.date(2026, 3, 20),
        reference="BANK-2026-0320",
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
    deal_record(deal=r.equity, recordal_number="2026370000456", recorded_on=dt.date(2026, 10, 9))
    r.out_of_province = deal_create(  # line 3: the receiver is in Jiangsu, not Shandong
        kind="transfer",
        assignor=sdu,
        assignee=outsider,
        patents=patents(1),
        amount=600_000,
        status="recorded",
        signed_on=dt.date(2026, 8, 8),
        recordal_number="2026370000789",
        recorded_on=dt.date(2026, 8, 20),
        programme_line=L3,
    )
    r.unevidenced = deal_create(  # line 3: signed, but no recordal and no payment
        kind="transfer",
        assignor=sdu,
        assignee=inspur,
        patents=patents(1),
        amount=400_000,
        status="signed",
        signed_on=dt.date(2026, 7, 7),
        contract_number="HT2026077",
        programme_line=L3,
    )
    r.over_two_years = deal_create(  # signed in November 2026, paid in January 2027
        kind="licence_ordinary",
        assignor=sdu,
        assignee=haier,
        patents=patents(1),
        amount=800_000,
        status="signed",
        signed_on=dt.date(2026, 11, 20),
        contract_number="HT2026110",
        programme_line=L1,
    )
    milestone_mark_paid(
        milestone=milestone_add(deal=r.over_two_years, kind="final_payment", amount=800_000),
        paid_on=dt.date(2027, 1, 15),
    )
    r.partner = deal_create(  # a partner market's deal: beside the hub's own, never in it
        kind="transfer",
        assignor=sdu,
        assignee=inspur,
        patents=patents(2),
        amount=5_000_000,
        status="recorded",
        signed_on=dt.date(2026, 6, 6),
        recordal_number="2026410000001",
        recorded_on=dt.date(2026, 6, 26),
        external_source="zhengzhou-tech-market",
        external_number="ZZ-2026-0606",
        programme_line=L1,
    )
    # Line 2: university -> enterprise in a Yellow River province counts; an enterprise
    # licensor and a Guangdong receiver do not.
    r.l2_counted = deal_create(
        kind="transfer",
        assignor=institute,
        assignee=inspur,
        patents=patents(1, institute),
        amount=1_200_000,
        status="recorded",
        signed_on=dt.date(2026, 4, 4),
        recordal_number="2026370000999",
        recorded_on=dt.date(2026, 4, 24),
        programme_line=L2,
    )
    for assignor, assignee in ((water, haier), (sdu, southern)):
        deal_create(
            kind="transfer",
            assignor=assignor,
            assignee=assignee,
            patents=patents(1, assignor),
            amount=300_000,
            status="recorded",
            signed_on=dt.date(2026, 5, 5),
            recordal_number=f"2026-{assignor.pk}-{assignee.pk}",
            recorded_on=dt.date(2026, 5, 25),
            programme_line=L2,
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
    # Paid and reported with proof, never confirmed: not concluded.
    third = _announced(patents(1)[0], sdu, line=L1, on=dt.date(2026, 3, 9))
    lic = open_licence_conclude(
        declaration=third, licensee=inspur, notice_sent_on=dt.date(2026, 6, 1)
    )
    r.unconfirmed = open_licence_record_payment(
        licence=lic, amount=20000, paid_on=dt.date(2026, 6, 5), proof=written_document()
    )
    # Paid two days into 2027.
    lic = open_licence_conclude(
        declaration=kept, licensee=haier, notice_sent_on=dt.date(2026, 12, 28)
    )
    r.paid_2027 = open_licence_paid(licence=lic, amount=20000, paid_on=dt.date(2027, 1, 2))

    # --- Pushes (line 1) -------------------------------------------------------------
    def push(org, items, when, channel="email"):
        return _sent(
            push_create(organization=org, items=items, channel=channel, programme_line=L1), when
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
    # A push through the development log channel and one through the SMS stub: each
    # says "delivered", neither was (issue 15).
    extra = patents(2)
    push(inspur, [PushItemSpec(kind="patent", patent_id=extra[0].pk)], at(2026, 5, 1), "log")
    push(haier, [PushItemSpec(kind="patent", patent_id=extra[1].pk)], at(2026, 5, 2), "sms")
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
    ol_push = push_create(organization=water, items=ol_items, channel="email", programme_line=L1)
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
    def event(title, kind, status, when, line=L1, attended=True):
        e = Event.objects.create(
            title=title,
            kind=kind,
            status=status,
            starts_at=when,
            place="济南",
            organizer="山东省知识产权运营中心",
            programme_line=line,
        )
        if attended:  # a checked-in registration: the attendance record
            EventRegistration.objects.create(
                event=e,
                kind="enterprise",
                organization_name=inspur.name,
                organization=inspur,
                contact_name="王经理",
                mobile="13905310000",
                checked_in_at=when,
            )
        return e

    event("专利技术供需对接会", "matchmaking", "held", at(2026, 4, 10))
    event("高校专利路演", "roadshow", "held", at(2026, 12, 31, 23, 0))
    event("取消的对接会", "matchmaking", "cancelled", at(2026, 5, 10))
    event("知识产权运营培训", "training", "held", at(2026, 6, 10))
    event("跨年对接会", "matchmaking", "held", at(2027, 1, 1, 0, 30))
    event("技术经理人培训班", "training", "held", at(2026, 3, 1), line=L3)
    event("取消的培训班", "training", "cancelled", at(2026, 8, 1), line=L3)
    # Issue 15: still "planned" after its date, and "held" with nobody checked in.
    event("仍为计划的对接会", "matchmaking", "planned", at(2026, 9, 1), attended=False)
    event("无人签到的路演", "roadshow", "held", at(2026, 10, 1), attended=False)

    # --- Trainees (line 3) --------------------------------------------------------------
    course = Course.objects.create(title="技术经理人实务", hours=24, pass_mark=60)
    s1, s2, s3 = (
        TrainingSession.objects.create(
            course=course, starts_on=ends - dt.timedelta(days=2), ends_on=ends, place="济南"
        )
        for ends in (dt.date(2026, 3, 3), dt.date(2026, 12, 31), dt.date(2027, 1, 2))
    )
    wang, li, zhang, zhao, sun = (
        Trainee.objects.create(name=n, organization=inspur, organization_name=inspur.name)
        for n in ("王伟", "李娜", "张敏", "赵磊", "孙丽")
    )
    for session, trainee, attended, score in (
        (s1, wang, True, 80),
        (s2, wang, True, 80),  # trained twice: one person
        (s1, li, False, None),  # enrolled, did not attend
        (s3, zhang, True, 80),  # session ended in 2027
        (s2, zhao, True, 80),
        (s2, sun, True, 40),  # attended, did not pass: not completed
    ):
        enrollment = Enrollment.objects.create(session=session, trainee=trainee)
        enrollment_assess(enrollment=enrollment, attended=attended, score=score)

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
                "description": f"{title}，用于生产线改造，要求能在现有设备上加装。",
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
    # Items of delivered pushes: 3 patents in March, 1 on 31 Dec 23:30, 2 open-licence
    # items (one of the withdrawn declaration); not the 2025 one, not the deduplicated
    # one, not the logged one, not the SMS stub's.
    "l1-pushes": 6,
    "l1-open-licence-pushes": 2,
    # Matchmaking + roadshow held with attendance; not cancelled, training, 2027, the
    # planned one, the held one nobody attended.
    "l1-matchmaking": 2,
    # University/institute -> enterprise with recordal or payment evidence: 3 patents of
    # one paid deal, the institute's recorded licence of 31 Dec, the two confirmed open
    # licences (one since withdrawn), the licence signed in November and paid in January;
    # not the cancelled deal, the enterprise's licence, 2025, the licence paid in 2027,
    # the unconfirmed payment, nor the partner market's deal.
    "l1-academic-patents": 7,
    "l1-academic-amount": Decimal(3_000_000 + 500_000 + 20_000 + 20_000 + 800_000),
    "l1-open-licences": 2,
    "l2-needs": 2,
    # Institute -> Jinan enterprise; not enterprise -> enterprise, not the Guangdong one.
    "l2-patents": 1,
    "l2-amount": Decimal(1_200_000),
    "l3-events": 1,
    "l3-trained": 2,  # 王伟 (twice) and 赵磊; not 李娜 (absent), not 孙丽 (failed)
    "l3-supply": 2,
    # The recorded equity deal to a Qingdao enterprise; not the Jiangsu receiver, not
    # the deal with no recordal or payment.
    "l3-patents": 2,
    "l3-amount": Decimal(2_000_000),
    "l3-talent-records": 1,  # one person (孔令华) named on three patents
}

# Imported records shown beside the figure, never in it.
IMPORTED_2026 = {"l1-academic-patents": 2, "l1-academic-amount": Decimal(5_000_000)}


def test_each_kpi_of_2026_equals_the_count_of_its_evidence(year):
    project = ProjectFactory(code="all-lines", programme_lines=[L1, L2, L3])
    period = period_get_or_create(year=2026)
    figures = _figures(project, period)
    for code, expected in EXPECTED_2026.items():
        figure = figures[code]
        assert figure.measurable, code
        assert figure.value == expected, code
        assert figure.evidence_type, code
        assert (figure.imported_value or 0) == IMPORTED_2026.get(code, 0), code
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
    assert_direct_counts(figures)


def assert_direct_counts(figures):
    """Each KPI equals a count written straight over the evidence tables (issue 15)."""
    from matching.models import PushItem
    from openlicense.models import OpenLicence
    from operations_center.models import Event
    from talent.models import Enrollment, Talent
    from trading.models import Deal, DealPatent, SettlementMilestone

    y0, y1 = dt.date(2026, 1, 1), dt.date(2027, 1, 1)
    delivered = PushItem.objects.filter(
        push__status="sent",
        push__delivered_at__isnull=False,
        push__sent_at__gte=at(2026, 1, 1, 0, 0),
        push__sent_at__lt=at(2027, 1, 1, 0, 0),
        push__channel="email",  # the only channel here with a real hand-off
    )
    assert figures["l1-pushes"].value == delivered.count()
    held = Event.objects.filter(
        status="held",
        starts_at__gte=at(2026, 1, 1, 0, 0),
        starts_at__lt=at(2027, 1, 1, 0, 0),
        registrations__checked_in_at__isnull=False,
    ).distinct()
    assert (
        figures["l1-matchmaking"].value
        == held.filter(programme_line=L1, kind__in=["matchmaking", "roadshow"]).count()
    )
    paid = SettlementMilestone.objects.filter(status__in=["paid", "confirmed"]).values("deal")
    own = Deal.objects.filter(
        external_source="", signed_on__gte=y0, signed_on__lt=y1, status__in=["signed", "recorded"]
    )
    evidenced = (
        own.exclude(recordal_number="") | own.filter(pk__in=paid) | own.filter(kind="open_licence")
    )
    academic = evidenced.filter(
        programme_line=L1,
        assignor__kind__in=["university", "institute"],
        assignee__kind="enterprise",
    ).exclude(kind="equity")
    assert (
        figures["l1-academic-patents"].value == DealPatent.objects.filter(deal__in=academic).count()
    )
    assert (
        figures["l3-patents"].value
        == DealPatent.objects.filter(
            deal__in=evidenced.filter(
                programme_line=L3,
                assignee__kind="enterprise",
                assignee__region__code__startswith="37",
            )
        ).count()
    )
    assert (
        figures["l1-open-licences"].value
        == OpenLicence.objects.filter(
            paid_on__gte=y0,
            paid_on__lt=y1,
            notice_delivered_at__isnull=False,
            payment_confirmed_at__isnull=False,
        ).count()
    )
    assert figures["l3-trained"].value == (
        Enrollment.objects.filter(
            attended=True, passed=True, session__ends_on__gte=y0, session__ends_on__lt=y1
        )
        .values("trainee")
        .distinct()
        .count()
    )
    assert (
        figures["l3-talent-records"].value
        == Talent.objects.filter(links__isnull=False).distinct().count()
    )


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
    assert figures["l1-academic-amount"].evidence_count == 5  # deals, not patents


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
    # And the licence signed in November 2026 (paid in January 2027), counted once.
    assert both["l1-academic-patents"].value == 3
    q1_2027 = _figures(project, period_get_or_create(year=2027, quarter=1))
    assert year.over_two_years.pk not in {
        dp.deal_id for dp in _evidence("l1-academic-patents", period_get_or_create(year=2027))
    }
    assert q1_2027["l1-academic-patents"].value == 1  # only the open licence paid 2 Jan


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
    assert "4,340,000" in flat  # the academic amount
    assert "5,000,000" in flat  # the partner market's deal, shown beside as imported
    assert "HT2026001" not in flat  # no contract numbers in the funders' report
    assert "王伟" not in flat  # no trainee or inventor names in the report


def test_the_excel_report_shows_imported_beside_and_the_evidence_type(year):
    import io

    from openpyxl import load_workbook

    project = ProjectFactory(code="xlsx-l1", programme_lines=[L1])
    period = period_get_or_create(year=2026)
    data = report_build_file(project=project, period=period, fmt="xlsx")
    summary = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(summary.iter_rows(values_only=True))
    header = next(r for r in rows if (r and r[1] == "编号") or (r and r[1] == "Code"))
    imported_col = header.index(next(h for h in header if h and "导入" in str(h)))
    type_col = header.index(next(h for h in header if h and "佐证类型" in str(h)))
    by_code = {r[1]: r for r in rows if r and r[1] and str(r[1]).startswith("l1-")}
    assert by_code["l1-academic-amount"][5] == 4_340_000  # the hub's own
    assert by_code["l1-academic-amount"][imported_col] == 5_000_000  # beside, not summed
    assert "备案" in by_code["l1-academic-amount"][type_col]
    flat = " ".join(
        str(c)
        for ws in load_workbook(io.BytesIO(data))
        for r in ws.iter_rows(values_only=True)
        for c in r
        if c is not None
    )
    assert "HT2026001" not in flat and "浪潮集团有限公司" not in flat  # no parties, no contracts
