"""What the search page shows: hits joined to their patents, labelled facets, page links."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import QueryDict
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..models import IPCCode, LegalStatus, Organization, Patent, PatentApplicant, PatentType, Region
from .types import SearchHit

FACET_LABELS = {
    "ipc": "IPC",
    "cpc": "CPC",
    "country": _("Country"),
    "patent_type": _("Patent type"),
    "legal_status": _("Legal status"),
    "applicant_kind": _("Applicant kind"),
    "region": _("Region"),
}


@dataclass
class HitView:
    hit: SearchHit
    patent: Patent | None

    @property
    def title_html(self) -> str:
        return mark_safe(self.hit.highlights.get("title", ""))  # escaped by highlight()

    @property
    def abstract_html(self) -> str:
        return mark_safe(self.hit.highlights.get("abstract", ""))


def hits_with_patents(hits: list[SearchHit]) -> list[HitView]:
    patents = Patent.objects.filter(pk__in=[h.patent_id for h in hits]).prefetch_related(
        Prefetch("applicant_links", queryset=PatentApplicant.objects.select_related("organization"))
    )
    by_id = {p.pk: p for p in patents}
    return [HitView(hit=h, patent=by_id.get(h.patent_id)) for h in hits]


def _value_labels(key: str, values: list[str]) -> dict[str, str]:
    if key == "patent_type":
        return {v: str(PatentType(v).label) for v in values if v in PatentType.values}
    if key == "legal_status":
        return {v: str(LegalStatus(v).label) for v in values if v in LegalStatus.values}
    if key == "applicant_kind":
        return {v: str(Organization.Kind(v).label) for v in values if v in Organization.Kind.values}
    if key == "region":
        return dict(Region.objects.filter(code__in=values).values_list("code", "name"))
    if key == "ipc":
        titles = dict(IPCCode.objects.filter(code__in=values).values_list("code", "title_zh"))
        return {v: f"{v} {titles[v][:14]}" if titles.get(v) else v for v in values}
    return {}


def _toggle(params: QueryDict, key: str, value: str) -> str:
    query = params.copy()
    query.pop("page", None)
    if query.get(key) == value:
        query.pop(key)
    else:
        query[key] = value
    return "?" + query.urlencode()


def facet_groups(facets: dict, params: QueryDict) -> list[dict]:
    groups = []
    for key, buckets in facets.items():
        if not buckets:
            continue
        labels = _value_labels(key, [v for v, _n in buckets])
        groups.append(
            {
                "key": key,
                "label": FACET_LABELS.get(key, key),
                "items": [
                    {
                        "value": value,
                        "label": labels.get(value, value),
                        "count": count,
                        "selected": params.get(key) == value,
                        "url": _toggle(params, key, value),
                    }
                    for value, count in buckets
                ],
            }
        )
    return groups


def page_links(params: QueryDict, page: int, total: int, size: int) -> dict:
    last = max(1, -(-total // size))

    def url(number: int) -> str:
        query = params.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    return {
        "number": page,
        "last": last,
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < last else None,
    }


def patent_classification_titles(patent: Patent) -> list[tuple[str, str]]:
    codes = list(dict.fromkeys(c for c in [patent.main_ipc, *(patent.ipc_codes or [])] if c))
    titles = dict(IPCCode.objects.filter(code__in=codes).values_list("code", "title_zh"))
    return [(code, titles.get(code, "")) for code in codes]
