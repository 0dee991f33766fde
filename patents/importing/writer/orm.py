"""The portable writer: Django's ``bulk_create`` on any backend (SQLite in embedded mode)."""

from __future__ import annotations

from django.db import transaction

from ...models import InventorMention, Organization, Patent, PatentApplicant, PatentClassification
from ...search.indexing import index_patents_after_commit
from ..records import PatentRecord
from .base import PATENT_COLUMNS, BaseWriter, OrgInfo, WriteResult, unique_by_number


class OrmWriter(BaseWriter):
    """Portable path through the ORM; fast enough for embedded mode and tests."""

    def write(self, records: list[PatentRecord]) -> WriteResult:
        batch, repeats = unique_by_number(records)
        with transaction.atomic():
            org_ids = self._organization_ids(batch)
            patent_ids, created = self._upsert_patents(batch)
            self._replace_children(batch, patent_ids, org_ids)
            # Queued for after the commit, so the index never holds a rolled-back row.
            index_patents_after_commit(patent_ids.values())
        return WriteResult(created=created, updated=len(batch) - created + repeats)

    def _upsert_organizations(self, wanted: dict[str, OrgInfo]) -> dict[str, int]:
        keys = list(wanted)
        existing = dict(
            Organization.objects.filter(normalized_name__in=keys).values_list(
                "normalized_name", "id"
            )
        )
        new = [
            Organization(
                name=info.name,
                normalized_name=key,
                kind=info.kind,
                country=info.country,
                address=info.address,
                region_id=info.region_code,
            )
            for key, info in wanted.items()
            if key not in existing
        ]
        Organization.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        # Fill what earlier imports did not know; never overwrite known facts.
        for key in existing:
            info = wanted[key]
            if info.kind != Organization.Kind.UNKNOWN:
                Organization.objects.filter(
                    normalized_name=key, kind=Organization.Kind.UNKNOWN
                ).update(kind=info.kind)
            if info.region_code:
                Organization.objects.filter(normalized_name=key, region__isnull=True).update(
                    region_id=info.region_code
                )
        return dict(
            Organization.objects.filter(normalized_name__in=keys).values_list(
                "normalized_name", "id"
            )
        )

    def _upsert_patents(self, batch: list[PatentRecord]) -> tuple[dict[str, int], int]:
        numbers = [r.publication_number for r in batch]
        existing = set(
            Patent.objects.filter(publication_number__in=numbers).values_list(
                "publication_number", flat=True
            )
        )
        objs = [
            Patent(**dict(zip(PATENT_COLUMNS, self._patent_values(r), strict=True))) for r in batch
        ]
        Patent.objects.bulk_create(
            objs,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["publication_number"],
            update_fields=[*(c.removesuffix("_id") for c in PATENT_COLUMNS[1:]), "updated_at"],
        )
        ids = dict(
            Patent.objects.filter(publication_number__in=numbers).values_list(
                "publication_number", "id"
            )
        )
        return ids, len(numbers) - len(existing)

    def _replace_children(
        self, batch: list[PatentRecord], patent_ids: dict[str, int], org_ids: dict[str, int]
    ) -> None:
        ids = list(patent_ids.values())
        for model in (PatentApplicant, InventorMention, PatentClassification):
            model.objects.filter(patent_id__in=ids).delete()
        applicants, inventors, classifications = self._child_rows(batch, patent_ids, org_ids)
        PatentApplicant.objects.bulk_create(
            [
                PatentApplicant(patent_id=p, organization_id=o, sequence=s, role=r, raw_name=n)
                for p, o, s, r, n in applicants
            ],
            batch_size=1000,
        )
        InventorMention.objects.bulk_create(
            [
                InventorMention(
                    patent_id=p,
                    sequence=s,
                    raw_name=raw,
                    normalized_name=norm,
                    affiliation=aff,
                    country=c,
                    source_person_id=sid,
                )
                for p, s, raw, norm, aff, c, sid in inventors
            ],
            batch_size=1000,
        )
        PatentClassification.objects.bulk_create(
            [
                PatentClassification(patent_id=p, scheme=s, code=c, subclass=sc, is_main=m)
                for p, s, c, sc, m in classifications
            ],
            batch_size=1000,
        )
