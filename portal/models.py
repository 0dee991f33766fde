"""Who a portal user is beyond Django's ``User``: the organization they act for.

Enterprise users, patent holders and brokers act for one ``Organization``;
querysets scope what they see by it (objects of another organization are 404).
Centre staff may be assigned to programme lines.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .programme import ProgrammeLine
from .uploads import RandomUploadPath, get_private_storage


class UserProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organization = models.ForeignKey(
        "patents.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organization"),
    )
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    mobile_verified_at = models.DateTimeField(_("mobile verified at"), null=True, blank=True)
    programme_lines = models.JSONField(
        _("programme lines"),
        default=list,
        blank=True,
        help_text=_("For centre staff: the lines of work this person serves."),
    )
    # Membership evidence (portal.membership): when and how this user's right to act
    # for ``organization`` was established, and whether they manage its members.
    membership_verified_at = models.DateTimeField(
        _("membership verified at"), null=True, blank=True
    )
    is_organization_admin = models.BooleanField(
        _("organization administrator"),
        default=False,
        help_text=_("Invites and removes the organization's members."),
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)

    def serves_line(self, line: ProgrammeLine) -> bool:
        return line.value in self.programme_lines


class MembershipRequest(models.Model):
    """A claim to act for an organization, decided by centre staff on its evidence.

    Raised when a new account names an organization that already exists (it is
    never attached by name or credit code), and when a registrant's new
    organization awaits verification (the first verified member becomes its
    administrator).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("applicant"),
    )
    organization = models.ForeignKey(
        "patents.Organization",
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("organization"),
    )
    claimed_uscc = models.CharField(_("claimed credit code"), max_length=18, blank=True)
    evidence = models.FileField(
        _("business licence"),
        storage=get_private_storage,
        upload_to=RandomUploadPath("membership-evidence"),
        blank=True,
    )
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} → {self.organization} ({self.status})"


class OrganizationInvitation(models.Model):
    """A one-time code an organization administrator (or staff) gives a new member.

    Only the SHA-256 of the code is stored; the code is shown once to its creator.
    """

    organization = models.ForeignKey(
        "patents.Organization",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organization"),
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("organization invitation")
        verbose_name_plural = _("organization invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} #{self.pk}"


# --- Audit log -----------------------------------------------------------------


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit record through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only; use the audit_purge command")

    def _purge_expired(self, *, before):
        # The one sanctioned delete: records past retention (the database trigger
        # refuses younger ones anyway). Used only by ``audit_purge``.
        return models.QuerySet.delete(self.filter(created_at__lt=before))


class AuditEvent(models.Model):
    """One thing someone did. Written by ``portal.audit.audit_record`` only."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # No database constraint and DO_NOTHING: deleting a user must neither fail
    # nor rewrite the trail; ``actor_label`` keeps who it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("record type"), max_length=100, blank=True, db_index=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    target_repr = models.CharField(_("record"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


# --- PIPL: consent and data-subject rights -----------------------------------------


class ConsentPurpose(models.TextChoices):
    CONTACT_BY_CENTRE = "contact_by_centre", _("Be contacted by the centre about matches")
    PUSH_RECOMMENDATIONS = "push_recommendations", _("Receive recommended patents and needs")
    TALENT_PROFILE = "talent_profile", _("Publish contact details in the talent profile")
    PARTNER_SHARING = "partner_sharing", _("Share contact details with a matched party")


class ConsentRecord(models.Model):
    """A grant or withdrawal of consent. Never edited: a withdrawal is a new row.

    The subject is either a portal user or a person held in another app's data
    (a talent, an enterprise contact), named by ``subject_reference``
    (``"<app>.<Model>:<pk>"``) so this app needs no foreign key to them.
    """

    class Method(models.TextChoices):
        WEB_FORM = "web_form", _("Web form")
        PAPER = "paper", _("Signed paper form")
        PHONE = "phone", _("Recorded phone call")
        IMPORT = "import", _("Imported with the source record")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("user"),
    )
    subject_reference = models.CharField(
        _("data subject"), max_length=100, blank=True, db_index=True
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("granted"))
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(subject_reference=""),
                name="consent_has_subject",
            )
        ]

    def __str__(self) -> str:
        who = self.user or self.subject_reference
        return f"{who} {self.purpose} {'+' if self.granted else '-'}"


class DataRightsRequest(models.Model):
    """A person exercising a PIPL right (Arts. 44–47); staff answer by ``due_on``."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access or copy of my personal data")
        CORRECTION = "correction", _("Correct my personal data")
        DELETION = "deletion", _("Delete my personal data")
        OBJECTION = "objection", _("Object to or restrict processing")
        WITHDRAW_CONSENT = "withdraw_consent", _("Withdraw consent")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected with reasons")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)

    kind = models.CharField(_("request"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_rights_requests",
        verbose_name=_("requester account"),
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    contact = models.CharField(
        _("email or mobile number"), max_length=120, help_text=_("Where we send the answer.")
    )
    description = models.TextField(_("details of the request"), max_length=4000)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("answer due on"), db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    resolution = models.TextField(_("answer given"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data rights request")
        verbose_name_plural = _("data rights requests")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_on < timezone.localdate()


# --- Working-day calendar ------------------------------------------------------


class WorkCalendarYear(models.Model):
    """A year whose holidays and make-up working days (调休) are on record.

    ``portal.workdays`` computes working days only inside years listed here and
    refuses (with a message) for any other year, rather than guess. Staff add a
    year in the admin from the State Council General Office's notice (国务院办公厅
    关于某年部分节假日安排的通知), usually published in November for the next year.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    notice = models.CharField(
        _("source notice"),
        max_length=200,
        help_text=_("The State Council notice the days of this year come from."),
    )

    class Meta:
        verbose_name = _("holiday calendar year")
        verbose_name_plural = _("holiday calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class WorkCalendarDay(models.Model):
    """A day that differs from the Monday–Friday week: a statutory holiday (off
    even on a weekday) or a make-up working day (a worked Saturday or Sunday)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (day off)")
        WORKDAY = "workday", _("Make-up working day")

    year = models.ForeignKey(
        WorkCalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("year")
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
