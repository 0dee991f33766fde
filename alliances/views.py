"""Pages of alliances (centre staff)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from operations_center.views import staff_required

from .models import Alliance
from .selectors import pool_coverage


@staff_required
def alliance_list(request):
    alliances = Alliance.objects.select_related("chain").order_by("name")
    return render(request, "alliances/alliance_list.html", {"alliances": alliances})


@staff_required
def alliance_detail(request, alliance_id):
    alliance = get_object_or_404(Alliance.objects.select_related("chain"), pk=alliance_id)
    pools = [
        {
            "pool": pool,
            "coverage": pool_coverage(pool=pool),
            "contributions": pool.contributions.select_related("patent", "contributor"),
            "licences": pool.licences.select_related("licensee"),
        }
        for pool in alliance.pools.all()
    ]
    members = alliance.memberships.select_related("organization").order_by("role")
    return render(
        request,
        "alliances/alliance_detail.html",
        {"alliance": alliance, "members": members, "pools": pools},
    )
