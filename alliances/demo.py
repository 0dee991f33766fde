"""Demo alliance and pool for the new-energy-vehicle chain, from real tagged patents."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from operations_center.models import IndustryChain
from patents.models import Organization, PatentApplicant

from .models import Alliance, AllianceMember, PatentPool
from .services import alliance_member_add, pool_licence_grant, pool_patent_contribute


def load_demo(*, stdout) -> None:
    chain = IndustryChain.objects.filter(slug="new-energy-vehicles").first()
    if chain is None or Alliance.objects.exists():
        return
    holders = list(
        Organization.objects.filter(patent_links__patent__chain_tags__chain=chain)
        .annotate(n=Count("patent_links__patent", distinct=True))
        .order_by("-n")[:5]
    )
    if not holders:
        stdout.write("alliances: no tagged applicants, no demo alliance\n")
        return
    alliance = Alliance.objects.create(
        name="新能源汽车产业知识产权联盟（演示）",
        chain=chain,
        charter="成员共享专利信息，共建专利池，开展联合许可与维权。",
        founded_on=timezone.localdate(),
    )
    for i, org in enumerate(holders):
        role = AllianceMember.Role.CHAIR if i == 0 else AllianceMember.Role.MEMBER
        alliance_member_add(alliance=alliance, organization=org, role=role)
    pool = PatentPool.objects.create(
        alliance=alliance,
        name="动力电池专利池（演示）",
        licensing_terms="成员按年度标准费率非独占许可。",
    )
    links = PatentApplicant.objects.filter(
        organization__in=holders, patent__chain_tags__chain=chain
    ).select_related("patent", "organization")[:20]
    for link in links:
        pool_patent_contribute(pool=pool, patent=link.patent, contributor=link.organization)
    outsider = Organization.objects.exclude(pk__in=[h.pk for h in holders]).first()
    if outsider is not None:
        try:
            pool_licence_grant(
                pool=pool, licensee=outsider, royalty=None, signed_on=timezone.localdate()
            )
        except ValidationError as exc:  # e.g. no granted patent in the demo pool
            stdout.write(f"alliances: no demo pool licence ({'; '.join(exc.messages)})\n")
    stdout.write(f"alliances: 1 demo alliance, {pool.contributions.count()} pool patents\n")
