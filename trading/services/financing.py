"""Financing requests: an organization asks the hub's financing partners for money."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from patents.models import Organization

from ..models import FinancingRequest, Listing
from .errors import TradingError


def financing_request_create(
    *,
    organization: Organization | None,
    listing: Listing | None = None,
    amount: Decimal,
    stage: str = "",
    industry: str = "",
    description: str = "",
) -> FinancingRequest:
    """File a request in the name of the organization the user acts for.

    The request is always the caller's own organization's: a listing can be attached
    only by its holder (another organization's listing never lends its holder's name)."""
    if organization is None:
        raise TradingError(_("Your account acts for no organization."))
    if listing is not None and listing.holder_id != organization.pk:
        raise TradingError(_("Only the holder of a listing can request financing for it."))
    return FinancingRequest.objects.create(
        organization=organization,
        listing=listing,
        amount=amount,
        stage=stage,
        industry=industry,
        description=description,
    )
