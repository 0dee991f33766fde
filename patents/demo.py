"""Demo records of the patents app (called by ``manage.py load_demo``).

The demo patents themselves are imported by ``load_demo`` from data/. Here the
Ministry of Education list of higher-education institutions (data/cn_universities,
real) becomes organizations with their region, so the other apps' demos have
Chinese universities to match, license to and report on — 143 of them in Shandong.
"""

from __future__ import annotations

import csv

from .models import Organization
from .normalize import normalize_organization_name
from .organizations import UNIVERSITY_LIST, resolve_region_code


def load_demo(*, stdout) -> None:
    if not UNIVERSITY_LIST.exists():
        return
    with UNIVERSITY_LIST.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    existing = set(
        Organization.objects.filter(
            normalized_name__in=[normalize_organization_name(r["name"]) for r in rows]
        ).values_list("normalized_name", flat=True)
    )
    new = []
    for row in rows:
        key = normalize_organization_name(row["name"])
        if key in existing:
            continue
        existing.add(key)
        new.append(
            Organization(
                name=row["name"],
                normalized_name=key,
                kind=Organization.Kind.UNIVERSITY,
                country="CN",
                region_id=resolve_region_code(name=row["name"], country="CN"),
            )
        )
    Organization.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    stdout.write(f"patents: {len(new)} universities added as organizations")
