"""Import a partner market's feed (the format of ``trading.api.feed``).

Idempotent and deduplicated by (source, number): the same item imported twice
updates one record; items that originate here (our own market code) are
skipped, so importing our own feed back creates nothing. Each bad item is
reported with its position and reason; good ones are kept.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization, Patent
from patents.normalize import normalize_organization_name
from patents.organizations import infer_organization_kind

from ..api.feed import IncomingDealSerializer, IncomingListingSerializer, market_code
from ..models import Deal, DealPatent, Listing, ListingPatent, PartnerImportRun, PartnerMarket
from .deals import deal_create
from .errors import TradingError


def _organization(party: dict) -> Organization:
    uscc = (party.get("uscc") or "").strip().upper() or None
    if uscc:
        org = Organization.objects.filter(uscc=uscc).first()
        if org:
            return org
    name = party["name"].strip()
    normalized = normalize_organization_name(name)
    org = Organization.objects.filter(normalized_name=normalized).first()
    if org:
        return org
    return Organization.objects.create(
        name=name,
        normalized_name=normalized,
        kind=party.get("kind")
        if party.get("kind") in Organization.Kind.values
        else infer_organization_kind(name),
        uscc=uscc,
        country="CN",
    )


def _patents(numbers: list[str]) -> tuple[list[Patent], list[str]]:
    found = {p.publication_number: p for p in Patent.objects.filter(publication_number__in=numbers)}
    return [found[n] for n in numbers if n in found], [n for n in numbers if n not in found]


def _errors(serializer) -> str:
    return "; ".join(
        f"{field}: {' '.join(map(str, msgs))}" for field, msgs in serializer.errors.items()
    )


def _import_listing(data: dict, counts: dict) -> None:
    patents, missing = _patents(data["patents"])
    if missing and not patents and data["subject"] != Listing.Subject.PROJECT:
        raise TradingError(
            _("none of its patents is known here: %(n)s") % {"n": ", ".join(missing)}
        )
    fields = {
        "title": data["title"],
        "subject": data["subject"],
        "purpose": data["purpose"],
        "status": data["status"],
        "asking_price": data.get("asking_price"),
        "terms": data["terms"],
        "description": data["description"],
        "listed_at": data.get("listed_at"),
        "holder": _organization(data["holder"]),
    }
    listing = Listing.objects.filter(
        external_source=data["source"], external_number=data["number"]
    ).first()
    if listing is None:
        listing = Listing.objects.create(
            external_source=data["source"], external_number=data["number"], **fields
        )
        counts["created"] += 1
    elif any(getattr(listing, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(listing, k, v)
        listing.save()
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1
    for patent in patents:
        ListingPatent.objects.get_or_create(listing=listing, patent=patent)


def _import_deal(data: dict, counts: dict) -> None:
    patents, missing = _patents(data["patents"])
    if missing:
        raise TradingError(_("unknown patents: %(n)s") % {"n": ", ".join(missing)})
    deal = Deal.objects.filter(
        external_source=data["source"], external_number=data["number"]
    ).first()
    if deal is None:
        status = data["status"]
        deal = deal_create(
            kind=data["kind"],
            status=Deal.Status.SIGNED if status == Deal.Status.CANCELLED else status,
            title=data["title"],
            assignor=_organization(data["assignor"]),
            assignee=_organization(data["assignee"]),
            patents=patents,
            amount=data["amount"],
            signed_on=data.get("signed_on"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            contract_number=data["contract_number"],
            recordal_number=data["recordal_number"],
            external_source=data["source"],
            external_number=data["number"],
            today=data.get("signed_on"),
        )
        if status == Deal.Status.CANCELLED:
            Deal.objects.filter(pk=deal.pk).update(status=status)
        counts["created"] += 1
        return
    fields = {
        k: data.get(k)
        for k in ("status", "amount", "signed_on", "ends_on", "contract_number", "recordal_number")
    }
    if any(getattr(deal, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(deal, k, v)
        deal.save()
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1
    existing = set(deal.deal_patents.values_list("patent_id", flat=True))
    DealPatent.objects.bulk_create(
        [DealPatent(deal=deal, patent=p) for p in patents if p.pk not in existing]
    )


def partner_feed_import(*, market: PartnerMarket, payload: dict) -> PartnerImportRun:
    """Import ``{"listings": [...], "deals": [...]}`` (each a list of feed items)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    errors: list[dict] = []
    ours = market_code()
    sections = (
        ("listings", IncomingListingSerializer, _import_listing),
        ("deals", IncomingDealSerializer, _import_deal),
    )
    if not isinstance(payload, dict):
        errors.append({"section": "", "item": 0, "reason": _("The feed must be a JSON object.")})
        payload = {}
    for section, serializer_class, importer in sections:
        items = payload.get(section) or []
        if not isinstance(items, list):
            errors.append({"section": section, "item": 0, "reason": _("must be a list")})
            continue
        for position, item in enumerate(items, start=1):
            serializer = serializer_class(data=item)
            if not serializer.is_valid():
                errors.append({"section": section, "item": position, "reason": _errors(serializer)})
                continue
            data = serializer.validated_data
            if data["source"] == ours:
                counts["unchanged"] += 1  # our own record coming back
                continue
            try:
                with transaction.atomic():
                    importer(data, counts)
            except TradingError as exc:
                errors.append(
                    {"section": section, "item": position, "reason": "; ".join(exc.messages)}
                )
    market.last_import_at = timezone.now()
    market.save(update_fields=["last_import_at"])
    return PartnerImportRun.objects.create(market=market, errors=errors, **counts)
