"""Writes and domain rules of alliances."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from patents.models import Organization, Patent, PatentApplicant

from .models import Alliance, AllianceMember, PatentPool, PoolLicence, PoolPatent


def alliance_member_add(
    *,
    alliance: Alliance,
    organization: Organization,
    role: str = AllianceMember.Role.MEMBER,
    joined_on: dt.date | None = None,
) -> AllianceMember:
    member, _created = AllianceMember.objects.update_or_create(
        alliance=alliance,
        organization=organization,
        defaults={"role": role, "joined_on": joined_on},
    )
    return member


def pool_patent_contribute(
    *,
    pool: PatentPool,
    patent: Patent,
    contributor: Organization,
    contributed_on: dt.date | None = None,
) -> PoolPatent:
    """A member contributes a patent it holds (as applicant or assignee)."""
    if not AllianceMember.objects.filter(alliance=pool.alliance, organization=contributor).exists():
        raise ValidationError(_("Only members of the alliance can contribute patents."))
    if not PatentApplicant.objects.filter(patent=patent, organization=contributor).exists():
        raise ValidationError(
            _("%(org)s is not an applicant or assignee of %(patent)s.")
            % {"org": contributor.name, "patent": patent.publication_number}
        )
    contribution, _created = PoolPatent.objects.get_or_create(
        pool=pool,
        patent=patent,
        defaults={"contributor": contributor, "contributed_on": contributed_on},
    )
    return contribution


def pool_licence_grant(
    *,
    pool: PatentPool,
    licensee: Organization,
    royalty: Decimal | None,
    signed_on: dt.date,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> PoolLicence:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The licence cannot end before it starts."))
    return PoolLicence.objects.create(
        pool=pool,
        licensee=licensee,
        royalty=royalty,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        status=PoolLicence.Status.SIGNED,
    )
