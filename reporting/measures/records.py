"""Measures over records that exist on every installation: the patent database."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from patents.models import InventorMention, Patent

from .core import Column, day_start, measure, now


@measure(
    "patents_held",
    label=_("Patent records held"),
    stock=True,
    date_field="created_at",
    columns=(
        Column(_("Publication number"), "publication_number", identifier=True),
        Column(_("Title"), "title"),
        Column(_("Type"), "patent_type"),
        Column(_("Application date"), "application_date"),
        Column(_("Loaded on"), "created_at"),
    ),
    source="patents.models.Patent",
    evidence_type=_("Patent record loaded (source file and line)"),
)
def patents_held(*, end: dt.date, programme_line: str | None = None) -> QuerySet:
    # The patent database serves every line; a record counts once it is loaded.
    # Newest first by primary key (rows are numbered as they are loaded): an index
    # walk, where ordering by the unindexed created_at would sort the whole table.
    patents = Patent.objects.order_by("-id")
    if day_start(end) > now():
        # Nothing is loaded in the future: a period not yet over holds every record,
        # and counting without the filter spares a scan of the dates.
        return patents
    return patents.filter(created_at__lt=day_start(end))


@measure(
    "talent_records_held",
    label=_("Talent records held"),
    stock=True,
    date_field="patent__created_at",
    personal_records=True,
    columns=(
        Column(_("Publication number"), "patent__publication_number", identifier=True),
        Column(_("Inventor as named"), "raw_name", personal=True),
        Column(_("Affiliation"), "affiliation", personal=True),
    ),
    select_related=("patent",),
    source="patents.models.InventorMention",
    evidence_type=_("Inventor mention on a patent record"),
    note=_(
        "Interim: counted as inventor mentions on patent records until the talent "
        "registry (talent.selectors.talents_held) is connected."
    ),
)
def talent_records_held(*, end: dt.date, programme_line: str | None = None) -> QuerySet:
    mentions = InventorMention.objects.order_by("patent_id", "sequence")
    if day_start(end) > now():
        return mentions  # as for patents_held: no join to the patents needed
    return mentions.filter(patent__created_at__lt=day_start(end))
