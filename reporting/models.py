"""KPI reporting: the programme's targets as data, the periods they are measured
over, the funded projects, and reports whose figures are frozen when issued.

A KPI's number is never typed in: ``KpiDefinition.measure`` names a function in
``reporting.measures`` that computes it from the records other apps keep.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.programme import ProgrammeLine
from portal.uploads import RandomUploadPath


class Unit(models.TextChoices):
    ITEMS = "items", _("items")
    EVENTS = "events", pgettext_lazy("unit", "events")
    PATENTS = "patents", pgettext_lazy("unit", "patents")
    RMB = "rmb", _("RMB")
    PEOPLE = "people", _("people")
    RECORDS = "records", _("records")
    MARKETS = "markets", _("markets")
    LICENCES = "licences", _("licences")


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "≥"
    MORE_THAN = "gt", ">"


class KpiDefinition(models.Model):
    """One performance target of the funding guide, for one programme line."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    programme_line = models.CharField(
        _("programme line"), max_length=32, choices=ProgrammeLine.choices, db_index=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    # Empty where the funding guide names a KPI without a number (it is reported only).
    target_value = models.DecimalField(
        _("yearly target"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    comparison = models.CharField(
        _("comparison"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    measure = models.CharField(
        _("measure"),
        max_length=64,
        help_text=_("Name of the function in reporting.measures that computes the figure."),
    )
    measure_params = models.JSONField(_("measure parameters"), default=dict, blank=True)
    # KPIs with the same non-empty group are alternatives ("≥100 patents or ≥10M RMB"):
    # the group is met when any one of them is.
    either_group = models.CharField(_("alternative group"), max_length=40, blank=True)
    computation_zh = models.TextField(_("how it is computed (Chinese)"), blank=True)
    computation_en = models.TextField(_("how it is computed (English)"), blank=True)
    evidence_zh = models.TextField(_("evidence (Chinese)"), blank=True)
    evidence_en = models.TextField(_("evidence (English)"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("KPI definition")
        verbose_name_plural = _("KPI definitions")
        ordering = ["programme_line", "position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        from .measures import MEASURES

        if self.measure not in MEASURES:
            raise ValidationError(
                {
                    "measure": _("Unknown measure. Choose one of: %(names)s")
                    % {"names": ", ".join(sorted(MEASURES))}
                }
            )
        if not isinstance(self.measure_params, dict):
            raise ValidationError({"measure_params": _("Enter a JSON object.")})

    @property
    def name(self) -> str:
        return self.name_zh if _is_chinese() else self.name_en

    @property
    def computation(self) -> str:
        return self.computation_zh if _is_chinese() else self.computation_en

    @property
    def evidence(self) -> str:
        return self.evidence_zh if _is_chinese() else self.evidence_en


def _is_chinese() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("zh")


class Project(models.Model):
    """A funded project: the lines of work it answers for and who funds it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    programme_lines = models.JSONField(
        _("programme lines"),
        default=list,
        help_text=_("The lines of work whose KPIs this project reports on."),
    )
    funder_name = models.CharField(_("funding body"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    funders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="funded_projects",
        verbose_name=_("funder accounts"),
        help_text=_("Funder accounts that may see this project's dashboard and reports."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("funded project")
        verbose_name_plural = _("funded projects")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        valid = set(ProgrammeLine.values)
        if not isinstance(self.programme_lines, list) or not self.programme_lines:
            raise ValidationError({"programme_lines": _("Choose at least one programme line.")})
        bad = [line for line in self.programme_lines if line not in valid]
        if bad:
            raise ValidationError(
                {
                    "programme_lines": _("Unknown programme line: %(lines)s")
                    % {"lines": ", ".join(map(str, bad))}
                }
            )
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The end must be after the start.")})


class ProjectTarget(models.Model):
    """A project's own target for a KPI where it differs from the funding guide's."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    definition = models.ForeignKey(
        KpiDefinition, on_delete=models.CASCADE, related_name="project_targets"
    )
    target_value = models.DecimalField(_("yearly target"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("project target")
        verbose_name_plural = _("project targets")
        constraints = [
            models.UniqueConstraint(fields=["project", "definition"], name="project_target_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.definition.code}"


class ReportingPeriod(models.Model):
    """A span KPIs are measured over: ``start`` inclusive, ``end`` exclusive (dates)."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")
        CUSTOM = "custom", _("Custom")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=40, unique=True)
    start = models.DateField(_("start (inclusive)"))
    end = models.DateField(_("end (exclusive)"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["start", "-end"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="period_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


class Report(models.Model):
    """A quarterly or annual report of one project; frozen once issued."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    class RenderState(models.TextChoices):
        IDLE = "idle", _("Not generated")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Generated")
        FAILED = "failed", _("Failed")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    narrative = models.TextField(
        _("narrative"), blank=True, help_text=_("The centre's own account of the period.")
    )
    render_state = models.CharField(
        _("generation"), max_length=8, choices=RenderState.choices, default=RenderState.IDLE
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    failure = models.TextField(_("failure"), blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to="reports/%Y/", blank=True, max_length=255)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    xlsx_file = models.FileField(_("Excel"), upload_to="reports/%Y/", blank=True, max_length=255)
    xlsx_sha256 = models.CharField(_("Excel SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period__start", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="report_project_period_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.period}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class KpiSnapshot(models.Model):
    """One KPI's figure as it stood when its report was issued; never updated."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="snapshots")
    definition = models.ForeignKey(
        KpiDefinition, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Copied, so a later edit of the definition cannot change an issued report.
    code = models.CharField(max_length=40)
    programme_line = models.CharField(max_length=32, choices=ProgrammeLine.choices)
    position = models.PositiveSmallIntegerField(default=0)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    unit = models.CharField(max_length=16, choices=Unit.choices)
    comparison = models.CharField(max_length=3, choices=Comparison.choices)
    either_group = models.CharField(max_length=40, blank=True)
    target_value = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    measurable = models.BooleanField()
    value = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    evidence_count = models.PositiveBigIntegerField(null=True)
    # Records imported from partner markets / the master platform, shown beside the
    # figure and never summed into it (null where the measure has no imported records).
    imported_value = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    imported_count = models.PositiveBigIntegerField(null=True)
    evidence_type = models.TextField(blank=True)
    note = models.TextField(blank=True)
    series = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("KPI snapshot")
        verbose_name_plural = _("KPI snapshots")
        ordering = ["programme_line", "position", "code"]

    def __str__(self) -> str:
        return f"{self.report} · {self.code}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("An issued KPI snapshot cannot be changed.")
        super().save(*args, **kwargs)


class HeldCount(models.Model):
    """Stored monthly counts of one held-records measure (``reporting.measures.held``):
    how many records are dated in each month that is over. Kept by a nightly job so a
    report does not regroup a million patents by month; never a figure by itself."""

    key = models.CharField(max_length=100, unique=True)
    measure = models.CharField(max_length=64)
    # {"2026-01": 1234, ...}: records dated in that month (local time).
    months = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("stored held-record count")
        verbose_name_plural = _("stored held-record counts")

    def __str__(self) -> str:
        return f"{self.measure} @ {self.computed_at:%Y-%m-%d %H:%M}"


class QualitativeEvidence(models.Model):
    """A document proving a qualitative target of the funding guide (issue 15): an
    agreement signed, a body established, a work model adopted elsewhere. The KPI counts
    these records, each with its document's SHA-256, instead of narrative prose."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement")
        ESTABLISHMENT = "establishment", _("Establishment record")
        ADOPTION = "adoption", _("Adoption / promotion record")

    kind = models.CharField(_("evidence type"), max_length=16, choices=Kind.choices)
    programme_line = models.CharField(
        _("programme line"), max_length=32, choices=ProgrammeLine.choices, db_index=True
    )
    title = models.CharField(_("title"), max_length=255)
    # Who signed, established or adopted it (an organization name; the parties'
    # business record: staff see it, funders see the type, date and checksum).
    counterparty = models.CharField(_("counterparty"), max_length=255, blank=True)
    dated_on = models.DateField(_("dated on"), db_index=True)
    document = models.FileField(
        _("document"), upload_to=RandomUploadPath("reporting/evidence"), max_length=255
    )
    document_sha256 = models.CharField(_("document SHA-256"), max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("qualitative evidence")
        verbose_name_plural = _("qualitative evidence")
        ordering = ["-dated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.title}"
