"""Fetch a partner market's feed over HTTP and import it (scheduled).

The partner serves the hub's own feed format (``docs/trading-feed.md``) under
``<feed_url>trading/feed/listings/`` and ``…/deals/``: token-authenticated,
cursor-paginated, filtered by ``since``. Each fetch asks for changes since the
start of the last complete fetch, follows ``next`` until it is null, and hands
the items to ``partner_feed_import`` — which deduplicates by (source, number),
so fetching the same page twice changes nothing. Failures (timeouts, HTTP
errors, bad JSON, a ``next`` link to another host) are recorded on the partner
and in its import run; ``fetched_until`` only moves when every section was read.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import PartnerImportRun, PartnerMarket
from .partner import partner_feed_import

logger = logging.getLogger(__name__)

SECTIONS = (("listings", "trading/feed/listings/"), ("deals", "trading/feed/deals/"))


class FeedFetchError(Exception):
    pass


def _timeout() -> tuple[float, float]:
    value = getattr(settings, "TRADING_PARTNER_TIMEOUT", (5.0, 30.0))
    return tuple(value) if isinstance(value, list | tuple) else (float(value), float(value))


def _same_origin(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return a.scheme in ("http", "https") and (a.scheme, a.netloc) == (b.scheme, b.netloc)


def _fetch_section(*, session, market: PartnerMarket, path: str, since) -> list[dict]:
    base = market.feed_url if market.feed_url.endswith("/") else market.feed_url + "/"
    url = urljoin(base, path)
    params = {"page_size": getattr(settings, "TRADING_PARTNER_PAGE_SIZE", 500)}
    if since is not None:
        params["since"] = since.isoformat()
    headers = {"Accept": "application/json"}
    if market.feed_token:
        headers["Authorization"] = f"Token {market.feed_token}"
    items: list[dict] = []
    max_pages = getattr(settings, "TRADING_PARTNER_MAX_PAGES", 200)
    for _page in range(max_pages):
        try:
            response = session.get(url, params=params, headers=headers, timeout=_timeout())
        except requests.Timeout as exc:
            raise FeedFetchError(_("timed out: %(url)s") % {"url": url}) from exc
        except requests.RequestException as exc:
            raise FeedFetchError(
                _("cannot reach %(url)s: %(error)s") % {"url": url, "error": exc}
            ) from exc
        if response.status_code != 200:
            raise FeedFetchError(
                _("%(url)s answered HTTP %(code)s") % {"url": url, "code": response.status_code}
            )
        try:
            body = response.json()
        except ValueError as exc:
            raise FeedFetchError(_("%(url)s did not answer JSON") % {"url": url}) from exc
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list):
            raise FeedFetchError(_("%(url)s has no 'results' list") % {"url": url})
        items.extend(results)
        next_url = body.get("next")
        if not next_url:
            return items
        if not _same_origin(next_url, base):
            # Never send the partner's token to another host.
            raise FeedFetchError(
                _("the next page %(url)s is not on the partner's host") % {"url": next_url}
            )
        url, params = next_url, None  # the cursor link carries its own query
    raise FeedFetchError(
        _("more than %(n)d pages at %(url)s; the rest waits for the next run")
        % {"n": max_pages, "url": url}
    )


def partner_feed_fetch(*, market: PartnerMarket, session=None) -> PartnerImportRun:
    """Fetch and import one partner's changes. Never raises for a partner's fault."""
    started = timezone.now()
    own_session = session is None
    session = session or requests.Session()
    payload: dict[str, list] = {}
    errors: list[dict] = []
    try:
        if not market.feed_url:
            raise FeedFetchError(_("no feed URL is configured"))
        for section, path in SECTIONS:
            try:
                payload[section] = _fetch_section(
                    session=session, market=market, path=path, since=market.fetched_until
                )
            except FeedFetchError as exc:
                errors.append({"section": section, "item": 0, "reason": str(exc)})
    except FeedFetchError as exc:
        errors.append({"section": "", "item": 0, "reason": str(exc)})
    finally:
        if own_session:
            session.close()
    if payload:
        run = partner_feed_import(market=market, payload=payload)
        if errors:
            run.errors = errors + run.errors
            run.save(update_fields=["errors"])
    else:
        run = PartnerImportRun.objects.create(market=market, errors=errors)
    market.last_fetch_at = started
    market.last_fetch_error = "; ".join(e["reason"] for e in errors)
    fields = ["last_fetch_at", "last_fetch_error"]
    if not errors:
        market.fetched_until = started
        fields.append("fetched_until")
    market.save(update_fields=fields)
    if errors:
        logger.warning("partner feed %s: %s", market.code, market.last_fetch_error)
    return run


def partner_feeds_fetch_all(*, session=None) -> dict[str, int]:
    """Every active partner with a feed URL; one partner's failure does not stop the others.
    Returns {market code: import run id}."""
    runs = {}
    for market in PartnerMarket.objects.filter(active=True).exclude(feed_url=""):
        try:
            runs[market.code] = partner_feed_fetch(market=market, session=session).pk
        except Exception:  # an unexpected bug is logged per partner, the loop goes on
            logger.exception("partner feed %s failed", market.code)
            PartnerMarket.objects.filter(pk=market.pk).update(
                last_fetch_at=timezone.now(),
                last_fetch_error=_("Unexpected error; see the server log."),
            )
    return runs
