"""Writes and domain rules of alliances.

A pool licence is a transaction: its one record is a ``trading.Deal`` of kind
``pool_licence``, created (or an existing one linked) through trading's
services, never a second record. The KPIs count deals, so each pool licence is
counted once. The licensor of a pool's deals is the alliance's secretariat
(the pool administrator), or its chair when it has no secretariat.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from operations_center.models import IndustryChain
from patents.models import Organization, Patent, PatentApplicant
from trading.services import TradingError, deal_cancel, deal_create
from trading.services.patent_rules import patent_trade_refusal

from .models import Alliance, AllianceMember, PatentPool, PoolLicence, PoolPatent

POOL_LICENCE_KIND = "pool_licence"  # trading.Deal.Kind.POOL_LICENCE


def alliance_create(
    *,
    name: str,
    chain: IndustryChain,
    charter: str = "",
    founded_on: dt.date | None = None,
) -> Alliance:
    if not name.strip():
        raise ValidationError(_("Give the alliance a name."))
    return Alliance.objects.create(
        name=name.strip(), chain=chain, charter=charter, founded_on=founded_on
    )


def alliance_update(*, alliance: Alliance, **fields) -> Alliance:
    allowed = {"name", "chain", "charter", "founded_on"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "name" in fields and not str(fields["name"]).strip():
        raise ValidationError(_("Give the alliance a name."))
    for key, value in fields.items():
        setattr(alliance, key, value)
    alliance.save()
    return alliance


def alliance_member_add(
    *,
    alliance: Alliance,
    organization: Organization,
    role: str = AllianceMember.Role.MEMBER,
    joined_on: dt.date | None = None,
) -> AllianceMember:
    if role not in AllianceMember.Role.values:
        raise ValidationError(_("Unknown member role: %(role)s.") % {"role": role})
    member, _created = AllianceMember.objects.update_or_create(
        alliance=alliance,
        organization=organization,
        defaults={"role": role, "joined_on": joined_on},
    )
    return member


def alliance_member_remove(*, member: AllianceMember) -> None:
    if PoolPatent.objects.filter(
        pool__alliance=member.alliance, contributor=member.organization
    ).exists():
        raise ValidationError(
            _("%(org)s still has patents in the alliance's pools; withdraw them first.")
            % {"org": member.organization.name}
        )
    member.delete()


def pool_create(
    *,
    alliance: Alliance,
    name: str,
    licensing_terms: str = "",
    standard_royalty: Decimal | None = None,
) -> PatentPool:
    if not name.strip():
        raise ValidationError(_("Give the pool a name."))
    if standard_royalty is not None and standard_royalty < 0:
        raise ValidationError(_("The royalty cannot be negative."))
    return PatentPool.objects.create(
        alliance=alliance,
        name=name.strip(),
        licensing_terms=licensing_terms,
        standard_royalty=standard_royalty,
    )


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


def pool_patent_withdraw(*, contribution: PoolPatent) -> None:
    contribution.delete()


def pool_licensor(*, pool: PatentPool) -> Organization:
    """The organization that signs the pool's licences: secretariat, else chair."""
    for role in (AllianceMember.Role.SECRETARIAT, AllianceMember.Role.CHAIR):
        member = (
            AllianceMember.objects.filter(alliance_id=pool.alliance_id, role=role)
            .select_related("organization")
            .order_by("id")
            .first()
        )
        if member is not None:
            return member.organization
    raise ValidationError(
        _(
            "The alliance has no secretariat or chair to sign licences for the pool; "
            "give a member one of these roles first."
        )
    )


def _licensable_patents(*, pool: PatentPool, on: dt.date) -> list[Patent]:
    patents = [c.patent for c in pool.contributions.select_related("patent").order_by("id")]
    if not patents:
        raise ValidationError(_("The pool holds no patents yet; nothing can be licensed."))
    usable = [p for p in patents if patent_trade_refusal(p, on=on, licence=True) is None]
    if not usable:
        reasons = [patent_trade_refusal(p, on=on, licence=True) for p in patents[:5]]
        raise ValidationError(
            [_("None of the pool's patents can be licensed on %(date)s.") % {"date": on}]
            + [str(r) for r in reasons]
        )
    return usable


@transaction.atomic
def pool_licence_grant(
    *,
    pool: PatentPool,
    licensee: Organization,
    royalty: Decimal | None,
    signed_on: dt.date,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    contract_number: str = "",
    source_event_id: int | None = None,
    created_by=None,
) -> PoolLicence:
    """Grant a licence and record it as one signed ``trading.Deal`` (kind
    pool licence) covering the pool's patents that can be licensed that day."""
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The licence cannot end before it starts."))
    if royalty is not None and royalty < 0:
        raise ValidationError(_("The royalty cannot be negative."))
    if not signed_on:
        raise ValidationError(_("Give the signing date of the licence."))
    licensor = pool_licensor(pool=pool)
    if licensor.pk == licensee.pk:
        raise ValidationError(_("The pool cannot license itself: choose another licensee."))
    licence = PoolLicence(
        pool=pool,
        licensee=licensee,
        royalty=royalty,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        status=PoolLicence.Status.SIGNED,
    )
    try:
        licence.deal = deal_create(
            kind=POOL_LICENCE_KIND,
            assignor=licensor,
            assignee=licensee,
            patents=_licensable_patents(pool=pool, on=signed_on),
            amount=royalty or 0,
            status="signed",
            signed_on=signed_on,
            starts_on=starts_on,
            ends_on=ends_on,
            contract_number=contract_number,
            title=_("Pool licence: %(pool)s") % {"pool": pool.name},
            programme_line=licence.programme_line,
            source_event_id=source_event_id,
            created_by=created_by,
        )
    except TradingError as exc:
        raise ValidationError(exc.messages) from exc
    licence.save()
    return licence


@transaction.atomic
def pool_licence_link_deal(*, licence: PoolLicence, deal) -> PoolLicence:
    """Attach a deal already recorded in trading (instead of creating a second one)."""
    if licence.deal_id is not None:
        raise ValidationError(_("This licence already has its deal."))
    if deal.kind != POOL_LICENCE_KIND:
        raise ValidationError(_("Only a deal of kind “pool licence” can record a pool licence."))
    if deal.assignee_id != licence.licensee_id:
        raise ValidationError(_("The deal's licensee is not the licensee of this licence."))
    if PoolLicence.objects.filter(deal=deal).exclude(pk=licence.pk).exists():
        raise ValidationError(_("That deal already records another pool licence."))
    licence.deal = deal
    if deal.signed_on and not licence.signed_on:
        licence.signed_on = deal.signed_on
    licence.save(update_fields=["deal", "signed_on"])
    return licence


@transaction.atomic
def pool_licence_cancel(*, licence: PoolLicence, reason: str, actor=None) -> PoolLicence:
    """Cancel the licence and its deal (so the KPIs stop counting it)."""
    if licence.status == PoolLicence.Status.CANCELLED:
        raise ValidationError(_("The licence is already cancelled."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling the licence."))
    if licence.deal is not None and licence.deal.status != "cancelled":
        try:
            deal_cancel(deal=licence.deal, reason=reason, actor=actor)
        except TradingError as exc:
            raise ValidationError(exc.messages) from exc
    licence.status = PoolLicence.Status.CANCELLED
    licence.save(update_fields=["status"])
    return licence
