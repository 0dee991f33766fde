"""Fields every record shared with partner markets carries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerSharedRecord(models.Model):
    """A record the partner feed publishes and the partner importer may create.

    An imported record is deduplicated on (``external_source``, ``external_number``);
    each concrete model declares that unique constraint under its own name.
    ``updated_at`` is indexed because the feed pages by "changed since".
    """

    external_source = models.CharField(_("source market"), max_length=64, blank=True)
    external_number = models.CharField(_("number at source"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True
