"""Who a portal user is beyond Django's ``User``: the organization they act for.

Enterprise users, patent holders and brokers act for one ``Organization``;
querysets scope what they see by it (objects of another organization are 404).
Centre staff may be assigned to programme lines.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .programme import ProgrammeLine


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

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)

    def serves_line(self, line: ProgrammeLine) -> bool:
        return line.value in self.programme_lines
