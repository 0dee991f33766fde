"""The programme's talent services: supply directory, training, talent + patent projects."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from patents.models import Organization, Patent, Region
from portal.programme import ProgrammeLine

from .people import Talent


class SupplyItem(models.Model):
    """A patent offered for transfer or licence, with the talents behind it and its holder."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("Transfer")
        LICENCE = "licence", _("Licence")
        OPEN_LICENCE = "open_licence", _("Open licence")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by staff")
        LISTING = "listing", _("Trading listing")
        OPEN_LICENCE = "open_licence", _("Open licence")

    patent = models.ForeignKey(Patent, on_delete=models.PROTECT, related_name="supply_items")
    holder = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    talents = models.ManyToManyField(Talent, blank=True, related_name="supply_items")
    kind = models.CharField(_("offer"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    # Id of the trading Listing / open licence it came from (no FK: wired at merge).
    source_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    programme_line = models.CharField(
        max_length=32, choices=ProgrammeLine.choices, default=ProgrammeLine.TALENT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supply item")
        verbose_name_plural = _("supply items")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                # One item per patent of a listing (a package lists several patents).
                fields=["source", "source_object_id", "patent"],
                condition=models.Q(source_object_id__isnull=False),
                name="supply_item_source_patent_uniq",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Course(models.Model):
    """A course for technology-transfer professionals (brokers, managers)."""

    title = models.CharField(_("title"), max_length=255)
    audience = models.CharField(_("audience"), max_length=255, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), default=0)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), default=60)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    # The operations_center event (of kind "training") the session was announced as.
    event = models.ForeignKey(
        "operations_center.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_sessions",
        verbose_name=_("event"),
    )
    programme_line = models.CharField(
        max_length=32, choices=ProgrammeLine.choices, default=ProgrammeLine.TALENT
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_on})"


class Trainee(models.Model):
    name = models.CharField(pgettext_lazy("person", "name"), max_length=128)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organization_name = models.CharField(_("organization"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=64, blank=True)
    id_document = models.CharField(_("ID number (for the certificate)"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")

    def __str__(self) -> str:
        return self.name


class Enrollment(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="enrollments"
    )
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="enrollments")
    attended = models.BooleanField(_("attended"), default=False)
    assessment_score = models.PositiveSmallIntegerField(
        _("assessment score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    passed = models.BooleanField(_("passed"), default=False)
    certificate_number = models.CharField(max_length=32, blank=True, db_index=True)
    certificate_issued_at = models.DateTimeField(null=True, blank=True)
    programme_line = models.CharField(
        max_length=32, choices=ProgrammeLine.choices, default=ProgrammeLine.TALENT
    )

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["session", "trainee"], name="enrollment_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} @ {self.session_id}"


class TalentProject(models.Model):
    """人才+专利: a high-level talent bringing a high-value patent project to Shandong."""

    class Stage(models.TextChoices):
        FIRST_CONTACT = "first_contact", _("First contact")
        NEGOTIATION = "negotiation", _("Negotiation")
        AGREEMENT = "agreement", _("Agreement signed")
        COMPANY_REGISTERED = "company_registered", _("Company registered")
        LANDED = "landed", _("Landed (investment and patents in place)")
        DROPPED = "dropped", _("Dropped")

    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("title"), max_length=255)
    patents = models.ManyToManyField(Patent, blank=True, related_name="+")
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.FIRST_CONTACT, db_index=True
    )
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    company = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    company_registered_on = models.DateField(null=True, blank=True)
    investment_rmb = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    patents_transferred = models.PositiveIntegerField(default=0)
    # The recorded transfers / licences that brought the patents here.
    deals = models.ManyToManyField(
        "trading.Deal", blank=True, related_name="talent_projects", verbose_name=_("deals")
    )
    programme_line = models.CharField(
        max_length=32, choices=ProgrammeLine.choices, default=ProgrammeLine.TALENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("talent project")
        verbose_name_plural = _("talent projects")

    def __str__(self) -> str:
        return self.title


class TalentProjectStep(models.Model):
    project = models.ForeignKey(TalentProject, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=20, choices=TalentProject.Stage.choices)
    happened_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.stage} {self.happened_on}"
