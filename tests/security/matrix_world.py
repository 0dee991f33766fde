"""Objects the permission matrix requests: one of each routed kind, owned by the
owner's organization (or by the funder / reserved to staff), created on first use.

Titles and numbers come from the shipped real records (data/cn_patents_zh via the
shared factories); nothing here asserts anything, it only builds the world a URL
argument points into. ``Access`` says who must get in and who must not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cached_property

from django.core.files.base import ContentFile
from django.utils import timezone

from portal.roles import Role
from tests.factories import (
    InventorMentionFactory,
    OrganizationFactory,
    PatentApplicantFactory,
    PatentFactory,
    UserFactory,
    consent_documents,
)

from .generic_rows import generic_row

VISITORS = ("anonymous", "other_org", "read_only", "owner", "staff")


@dataclass
class Access:
    """A URL argument naming an object only some visitors may reach.

    ``allowed`` visitors must get in (no 401/403/404, no login redirect);
    ``denied`` visitors must get 403 or 404 (or the login page).
    """

    value: object
    allowed: tuple[str, ...] = ("owner", "staff")
    denied: tuple[str, ...] = ("other_org",)


def Owned(value) -> Access:
    """Belongs to the owner's organization: the owner gets in, another organization not."""
    return Access(value, allowed=("owner", "staff"), denied=("other_org", "read_only"))


def StaffOnly(value) -> Access:
    """A staff tool on one record: every non-staff visitor is refused."""
    return Access(value, allowed=("staff",), denied=("other_org", "read_only", "owner"))


def FunderOwned(value) -> Access:
    """A project record the read-only funder funds: the funder reads, enterprises do not."""
    return Access(value, allowed=("read_only", "staff"), denied=("other_org", "owner"))


class World:
    def __init__(self):
        from portal.models import UserProfile

        self.org = OrganizationFactory(kind="enterprise")
        self.other_org = OrganizationFactory(kind="enterprise")
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

    # --- matching ----------------------------------------------------------------
    def _need(self, status):
        from matching.models import TechNeed

        return TechNeed.objects.create(
            organization=self.org,
            title="寻求110kV线路驱鸟技术",
            description="输电线路鸟害频发，寻求可靠的驱鸟装置与安装方案。" * 2,
            industry="mechanical",
            cooperation_mode="transfer",
            contact_name="王",
            contact_mobile="13800138000",
            status=status,
        )

    @cached_property
    def need(self):
        from matching.models import TechNeed

        return self._need(TechNeed.Status.SUBMITTED)

    @cached_property
    def published_need(self):
        from matching.models import TechNeed

        return self._need(TechNeed.Status.PUBLISHED)

    @cached_property
    def push(self):
        from matching.models import Push
        from portal.programme import ProgrammeLine

        return Push.objects.create(
            organization=self.org, channel="email", programme_line=ProgrammeLine.INDUSTRY_OPERATIONS
        )

    @cached_property
    def push_item(self):
        from matching.models import PushItem

        return PushItem.objects.create(
            push=self.push,
            organization=self.org,
            kind="patent",
            patent=self.patent,
            title=self.patent.title,
            dedup_key=f"patent:{self.patent.pk}",
        )

    # --- operations_center / alliances -----------------------------------------------
    @cached_property
    def chain(self):
        from operations_center.models import IndustryChain

        return IndustryChain.objects.create(slug="matrix-nev", name="新能源汽车")

    @cached_property
    def chain_node(self):
        from operations_center.models import ChainNode

        return ChainNode.objects.create(chain=self.chain, key="battery", name="动力电池")

    @cached_property
    def node_tag(self):
        from operations_center.models import PatentNodeTag

        return PatentNodeTag.objects.create(
            patent=self.patent, node=self.chain_node, chain=self.chain, source="ipc", reason="H01M"
        )

    @cached_property
    def tagging_run(self):
        from operations_center.models import TaggingRun

        return TaggingRun.objects.create(chain=self.chain)

    @cached_property
    def navigation_report(self):
        from operations_center.models import NavigationReport

        report = NavigationReport(
            chain=self.chain,
            region_code="370000",
            year_from=2019,
            year_to=2023,
            status=NavigationReport.Status.SUCCEEDED,
        )
        report.pdf.save("matrix.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        report.xlsx.save("matrix.xlsx", ContentFile(b"PK\x03\x04"), save=False)
        report.save()
        return report

    @cached_property
    def event(self):
        from operations_center.models import Event

        return Event.objects.create(
            kind=Event.Kind.MATCHMAKING,
            title="新能源汽车产业专利对接会",
            starts_at=timezone.now() + dt.timedelta(days=10),
            place="济南",
            organizer="山东省知识产权运营中心",
        )

    @cached_property
    def alliance(self):
        from alliances.models import Alliance

        return Alliance.objects.create(name="新能源汽车产业知识产权联盟", chain=self.chain)

    @cached_property
    def alliance_member(self):
        """The owner's organization is the alliance's secretariat (it signs pool licences)."""
        from alliances.models import AllianceMember
        from alliances.services import alliance_member_add

        return alliance_member_add(
            alliance=self.alliance, organization=self.org, role=AllianceMember.Role.SECRETARIAT
        )

    @cached_property
    def pool(self):
        from alliances.services import pool_create

        return pool_create(alliance=self.alliance, name="动力电池专利池")

    @cached_property
    def pool_contribution(self):
        from alliances.services import pool_patent_contribute
        from tests.trading.factories import granted_patent

        self.alliance_member  # noqa: B018 - only members contribute
        return pool_patent_contribute(
            pool=self.pool, patent=granted_patent(holder=self.org), contributor=self.org
        )

    @cached_property
    def pool_licence(self):
        """A signed pool licence to the other organization (recorded as a trading deal)."""
        from decimal import Decimal

        from alliances.services import pool_licence_grant

        self.pool_contribution  # noqa: B018 - a pool licenses its contributed patents
        return pool_licence_grant(
            pool=self.pool,
            licensee=self.other_org,
            royalty=Decimal("10000"),
            signed_on=dt.date(2026, 3, 1),
        )

    # --- openlicense ----------------------------------------------------------------
    def _declaration(self, announced: bool):
        from openlicense.services import (
            declaration_announce,
            declaration_create,
            declaration_submit,
        )
        from tests.trading.factories import granted_patent

        patent = granted_patent(holder=self.org)
        declaration = declaration_create(
            patent=patent,
            consent_documents=consent_documents(self.org),
            fee_lump_sum=20000,
            royalty_rate="0.03",
            royalty_base="sales",
            payment_method="lump_plus_royalty",
            term_years=3,
            declared_on=dt.date(2026, 3, 2),
        )
        if announced:
            declaration_submit(declaration=declaration, on=dt.date(2026, 3, 2))
            declaration_announce(
                declaration=declaration,
                announcement_number="CN2026OL000001",
                announced_on=dt.date(2026, 3, 9),
            )
        return declaration

    @cached_property
    def declaration(self):
        """A draft of the owner's organization: only its patentee (and staff) see it."""
        return self._declaration(announced=False)

    @cached_property
    def announced_declaration(self):
        return self._declaration(announced=True)

    @cached_property
    def consent(self):
        return self.declaration.consents.first()

    @cached_property
    def licence(self):
        """An open licence the owner's organization took on another patentee's patent."""
        from openlicense.models import OpenLicence

        declaration = self.announced_declaration
        holder = OrganizationFactory(kind="university")
        declaration.consents.update(organization=holder)
        return OpenLicence.objects.create(
            declaration=declaration, licensee=self.org, notice_sent_on=dt.date(2026, 4, 1)
        )

    # --- trading --------------------------------------------------------------------
    @cached_property
    def listing(self):
        """A draft listing of the owner's organization."""
        from trading.models import Listing, ListingPatent

        listing = Listing.objects.create(
            title=self.patent.title,
            subject=Listing.Subject.PATENT,
            purpose=Listing.Purpose.TRANSFER,
            holder=self.org,
        )
        ListingPatent.objects.create(listing=listing, patent=self.patent)
        return listing

    @cached_property
    def objection(self):
        from trading.models import Objection

        return Objection.objects.create(listing=self.listing, objector_name="李", reason="权属争议")

    @cached_property
    def deal(self):
        from trading.models import Deal

        return Deal.objects.create(
            kind=Deal.Kind.TRANSFER, assignor=self.org, assignee=self.other_org
        )

    @cached_property
    def milestone(self):
        from trading.models import SettlementMilestone

        return SettlementMilestone.objects.create(
            deal=self.deal, kind=SettlementMilestone.Kind.DEPOSIT, amount=10000
        )

    @cached_property
    def broker(self):
        from trading.models import Broker

        return Broker.objects.create(name="山东省技术市场经纪人")

    @cached_property
    def trading_session(self):
        """An announced online bidding on the owner's listing (issue 23)."""

        from django.utils import timezone

        from trading.models import TradingSession

        starts = timezone.now() + dt.timedelta(days=10)
        return TradingSession.objects.create(
            listing=self.listing,
            mode=TradingSession.Mode.BIDDING,
            status=TradingSession.Status.ANNOUNCED,
            rules={"deposit_required": True},
            starting_price=100000,
            increment=1000,
            deposit_amount=10000,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
        )

    @cached_property
    def trading_deposit(self):
        from trading.models import Deposit

        return Deposit.objects.create(
            session=self.trading_session,
            bidder=self.other_org,
            amount=10000,
            status=Deposit.Status.RECEIVED,
            received_on=dt.date(2026, 11, 2),
        )

    # --- talent ---------------------------------------------------------------------
    @cached_property
    def talent(self):
        from talent.models import Talent

        return Talent.objects.create(display_name="王伟")

    @cached_property
    def talent_link(self):
        from talent.models import TalentLink

        mention = InventorMentionFactory(
            patent=self.patent, sequence=0, raw_name="王伟", normalized_name="王伟"
        )
        return TalentLink.objects.create(mention=mention, talent=self.talent, confidence=0.9)

    @cached_property
    def talent_objection(self):
        from talent.models import Objection

        return Objection.objects.create(
            talent=self.talent,
            requester_name="王伟",
            requester_contact="wang@example.org",
            message="请更正",
        )

    @cached_property
    def supply_item(self):
        from talent.models import SupplyItem

        return SupplyItem.objects.create(
            patent=self.patent,
            kind=SupplyItem.Kind.TRANSFER,
            title=self.patent.title,
            holder=self.org,
            status=SupplyItem.Status.PUBLISHED,
        )

    @cached_property
    def enrollment(self):
        from talent.models import Course, Enrollment, Trainee, TrainingSession

        course = Course.objects.create(title="专利运营实务")
        session = TrainingSession.objects.create(
            course=course, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 3)
        )
        return Enrollment.objects.create(
            session=session, trainee=Trainee.objects.create(name="李娜")
        )

    # --- reporting ------------------------------------------------------------------
    @cached_property
    def project(self):
        from tests.reporting.factories import ProjectFactory

        project = ProjectFactory(code="matrix-project")
        project.funders.add(self.users["read_only"])
        return project

    @cached_property
    def kpi_code(self):
        from reporting.selectors import definitions_for

        definitions = definitions_for(project=self.project)
        if not definitions:
            raise LookupError("the project has no KPI definitions")
        return definitions[0][0].code

    @cached_property
    def report(self):
        """An issued report of the funder's project with both files generated."""
        from reporting.models import Report

        report = Report(project=self.project, period=self.period, status=Report.Status.ISSUED)
        pdf, xlsx = b"%PDF-1.4\n%%EOF\n", b"PK\x03\x04matrix"
        report.pdf_file.save("matrix.pdf", ContentFile(pdf), save=False)
        report.xlsx_file.save("matrix.xlsx", ContentFile(xlsx), save=False)
        for field, data in (("pdf_sha256", pdf), ("xlsx_sha256", xlsx)):
            if hasattr(report, field):
                setattr(report, field, hashlib.sha256(data).hexdigest())
        report.save()
        return report

    @cached_property
    def period(self):
        from tests.reporting.factories import PeriodFactory

        return PeriodFactory()

    @cached_property
    def consent_record(self):
        from portal.models import ConsentPurpose, ConsentRecord

        return ConsentRecord.objects.create(
            user=self.users["owner"],
            purpose=ConsentPurpose.choices[0][0],
            granted=True,
            notice_version="2026-01",
            method=ConsentRecord.Method.choices[0][0],
        )

    # --- the admin: a row of any model -------------------------------------------------
    # Models with a builder above; the rest get a row from ``generic_row``.
    BUILDERS = {
        "matching.techneed": "need",
        "matching.push": "push",
        "matching.pushitem": "push_item",
        "operations_center.industrychain": "chain",
        "operations_center.chainnode": "chain_node",
        "operations_center.patentnodetag": "node_tag",
        "operations_center.taggingrun": "tagging_run",
        "operations_center.navigationreport": "navigation_report",
        "operations_center.event": "event",
        "alliances.alliance": "alliance",
        "alliances.alliancemember": "alliance_member",
        "alliances.patentpool": "pool",
        "alliances.poolpatent": "pool_contribution",
        "alliances.poollicence": "pool_licence",
        "openlicense.declaration": "declaration",
        "openlicense.openlicence": "licence",
        "trading.listing": "listing",
        "trading.objection": "objection",
        "trading.deal": "deal",
        "trading.settlementmilestone": "milestone",
        "trading.broker": "broker",
        "trading.tradingsession": "trading_session",
        "trading.deposit": "trading_deposit",
        "talent.talent": "talent",
        "talent.talentlink": "talent_link",
        "talent.objection": "talent_objection",
        "talent.supplyitem": "supply_item",
        "talent.enrollment": "enrollment",
        "reporting.project": "project",
        "reporting.report": "report",
        "reporting.reportingperiod": "period",
        "portal.consentrecord": "consent_record",
    }

    def row_of(self, model):
        """A saved row of ``model`` (an existing one, a built one, or a generic one)."""
        existing = model._default_manager.order_by("pk").first()
        if existing is not None:
            return existing
        builder = self.BUILDERS.get(model._meta.label_lower)
        if builder:
            return getattr(self, builder)
        return generic_row(model, self)
