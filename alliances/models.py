"""Industry IP alliances and their patent pools."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from operations_center.models import IndustryChain
from patents.models import Organization, Patent
from portal.programme import ProgrammeLine


class Alliance(models.Model):
    name = models.CharField(_("name"), max_length=200)
    chain = models.ForeignKey(
        IndustryChain,
        on_delete=models.PROTECT,
        related_name="alliances",
        verbose_name=_("industry chain"),
    )
    charter = models.TextField(_("charter"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    members = models.ManyToManyField(Organization, through="AllianceMember", related_name="+")

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AllianceMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice chair")
        SECRETARIAT = "secretariat", _("Secretariat")
        MEMBER = "member", _("Member")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "organization"], name="alliance_member_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} @ {self.alliance_id}"


class PatentPool(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="pools")
    name = models.CharField(_("name"), max_length=200)
    licensing_terms = models.TextField(_("licensing terms"), blank=True)
    standard_royalty = models.DecimalField(
        _("standard royalty (RMB per year)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    patents = models.ManyToManyField(Patent, through="PoolPatent", related_name="+")

    class Meta:
        verbose_name = _("patent pool")
        verbose_name_plural = _("patent pools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PoolPatent(models.Model):
    pool = models.ForeignKey(PatentPool, on_delete=models.CASCADE, related_name="contributions")
    patent = models.ForeignKey(Patent, on_delete=models.PROTECT, related_name="+")
    contributor = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("contributor")
    )
    contributed_on = models.DateField(_("contributed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("contributed patent")
        verbose_name_plural = _("contributed patents")
        constraints = [models.UniqueConstraint(fields=["pool", "patent"], name="pool_patent_uniq")]

    def __str__(self) -> str:
        return f"{self.patent_id} in {self.pool_id}"


class PoolLicence(models.Model):
    """A licence granted from the pool. Its transaction is the one ``trading.Deal``
    (kind ``pool_licence``) created or linked through trading's services, so KPIs
    count every pool licence once, through the deal."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        CANCELLED = "cancelled", _("Cancelled")

    pool = models.ForeignKey(PatentPool, on_delete=models.CASCADE, related_name="licences")
    licensee = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("licensee")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="draft")
    royalty = models.DecimalField(
        _("royalty (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    programme_line = models.CharField(
        _("programme line"),
        max_length=32,
        choices=ProgrammeLine.choices,
        default=ProgrammeLine.INDUSTRY_OPERATIONS,
    )
    deal = models.OneToOneField(
        "trading.Deal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deal"),
        help_text=_("The trading record of this licence; the KPIs count the deal."),
    )

    class Meta:
        verbose_name = _("pool licence")
        verbose_name_plural = _("pool licences")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return f"{self.pool_id} → {self.licensee_id}"
