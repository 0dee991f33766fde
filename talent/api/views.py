from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from patents.search import SearchQueryError
from portal.permissions import IsLineStaff

from .. import selectors
from ..models import ProfileAccess
from ..services import profile_access_record
from .serializers import ExpertQuerySerializer, SupplyItemSerializer, TalentBriefSerializer


class SupplyItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The public directory of patents on offer with the talents behind them."""

    serializer_class = SupplyItemSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.supply_directory(text=self.request.query_params.get("q", "")).order_by(
            "-id"
        )


class TalentViewSet(viewsets.ReadOnlyModelViewSet):
    """Talents: centre staff of every line only (personal data under PIPL; every
    detail read is audited). Enterprises read the supply directory instead."""

    serializer_class = TalentBriefSerializer
    permission_classes = [permissions.IsAuthenticated, IsLineStaff]

    def get_queryset(self):
        return selectors.talents_visible().order_by("-patent_count", "id")

    def retrieve(self, request, *args, **kwargs):
        talent = self.get_object()
        profile_access_record(
            talent=talent,
            user=request.user,
            action=ProfileAccess.Action.VIEW,
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        return Response(self.get_serializer(talent).data)

    @action(detail=False, methods=["get"])
    def experts(self, request, version=None, format=None):
        """``?q=<need text>&region=shandong|yellow_river|overseas``: ranked talents with reasons."""
        query = ExpertQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            hits = selectors.experts_find(
                text=query.validated_data["q"],
                region=query.validated_data["region"],
                limit=query.validated_data["limit"],
            )
        except SearchQueryError as exc:
            return Response({"detail": str(exc)}, status=400)
        return Response(
            [
                {
                    "talent": TalentBriefSerializer(h.talent).data,
                    "score": h.score,
                    "reasons": h.reasons,
                    "patents": [{"publication_number": n, "title": t} for n, t, _pk in h.patents],
                }
                for h in hits
            ]
        )
