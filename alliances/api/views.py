"""API of alliances: alliances, their pools, contributions, licences and pool
analytics. Reads are scoped by ``portal.permissions`` (staff see everything of
their programme lines; a member organization's users see their alliances and
a licensee its licences); every write is for centre staff and goes through
``alliances.services`` (a refusal answers 400 with the reason)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from portal.audit import audit_record
from portal.permissions import is_line_staff
from portal.programme import ProgrammeLine

from .. import services
from ..models import PatentPool
from ..selectors import alliances_visible, pool_analytics, pool_licences_visible
from .serializers import (
    AllianceSerializer,
    ContributionSerializer,
    LicenceCancelSerializer,
    LicenceGrantSerializer,
    LicenceSerializer,
    MemberAddSerializer,
    MemberSerializer,
    PoolAnalyticsSerializer,
    PoolSerializer,
)


class StaffWrites(BasePermission):
    message = "Only industry IP operations staff may change alliances, pools and licences."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or is_line_staff(
            request.user, ProgrammeLine.INDUSTRY_OPERATIONS
        )


def _service(call):
    try:
        return call()
    except DjangoValidationError as exc:
        raise ValidationError({"detail": exc.messages}) from exc


class AllianceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AllianceSerializer
    permission_classes = [IsAuthenticated, StaffWrites]

    def get_queryset(self):
        return alliances_visible(user=self.request.user).prefetch_related(
            "memberships__organization", "pools"
        )

    def perform_create(self, serializer):
        alliance = _service(lambda: services.alliance_create(**serializer.validated_data))
        serializer.instance = alliance
        audit_record(request=self.request, action="alliances.alliance_create", target=alliance)

    def perform_update(self, serializer):
        alliance = _service(
            lambda: services.alliance_update(
                alliance=serializer.instance, **serializer.validated_data
            )
        )
        audit_record(request=self.request, action="alliances.alliance_update", target=alliance)

    @extend_schema(request=MemberAddSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None, **kwargs):
        """Add a member organization (or change its role)."""
        alliance = self.get_object()
        data = MemberAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = _service(
            lambda: services.alliance_member_add(alliance=alliance, **data.validated_data)
        )
        audit_record(request=request, action="alliances.member_add", target=member)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)


class PoolViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PoolSerializer
    permission_classes = [IsAuthenticated, StaffWrites]

    def get_queryset(self):
        return PatentPool.objects.filter(
            alliance__in=alliances_visible(user=self.request.user)
        ).order_by("name", "id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        alliance = data.pop("alliance")
        if not alliances_visible(user=self.request.user).filter(pk=alliance.pk).exists():
            raise ValidationError({"alliance": ["Unknown alliance."]})
        pool = _service(lambda: services.pool_create(alliance=alliance, **data))
        serializer.instance = pool
        audit_record(request=self.request, action="alliances.pool_create", target=pool)

    # GET lists every contribution (not paginated: a pool holds few); POST adds one.
    @extend_schema(methods=["GET"], responses=ContributionSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ContributionSerializer, responses={201: ContributionSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def contributions(self, request, pk=None, **kwargs):
        """The pool's contributed patents; POST adds one (``patent`` id, ``contributor``)."""
        pool = self.get_object()
        if request.method == "GET":
            rows = pool.contributions.select_related("patent").order_by("id")
            return Response(ContributionSerializer(rows, many=True).data)
        data = ContributionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        contribution = _service(
            lambda: services.pool_patent_contribute(
                pool=pool,
                patent=values["patent"],
                contributor=values["contributor"],
                contributed_on=values.get("contributed_on"),
            )
        )
        audit_record(request=request, action="alliances.pool_patent_contribute", target=pool)
        return Response(ContributionSerializer(contribution).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LicenceGrantSerializer, responses=LicenceSerializer)
    @action(detail=True, methods=["post"])
    def licences(self, request, pk=None, **kwargs):
        """Grant a licence: recorded as one trading deal of kind pool licence."""
        pool = self.get_object()
        data = LicenceGrantSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("royalty", None)
        licence = _service(
            lambda: services.pool_licence_grant(pool=pool, created_by=request.user, **values)
        )
        audit_record(request=request, action="alliances.pool_licence_grant", target=licence)
        return Response(LicenceSerializer(licence).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PoolAnalyticsSerializer)
    @action(detail=True, methods=["get"])
    def analytics(self, request, pk=None, **kwargs):
        """Coverage of the chain's leaf nodes, the gaps, and licensing so far."""
        pool = self.get_object()
        region = request.query_params.get("region") or "370000"
        try:
            result = pool_analytics(pool=pool, region_code=region)
        except ValueError as exc:
            raise ValidationError({"region": [str(exc)]}) from exc
        return Response(PoolAnalyticsSerializer(result).data)


class LicenceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LicenceSerializer
    permission_classes = [IsAuthenticated, StaffWrites]

    def get_queryset(self):
        return pool_licences_visible(user=self.request.user)

    @extend_schema(request=LicenceCancelSerializer, responses=LicenceSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, **kwargs):
        """Cancel the licence and its deal (the KPIs stop counting it)."""
        licence = self.get_object()
        data = LicenceCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        licence = _service(
            lambda: services.pool_licence_cancel(
                licence=licence, reason=data.validated_data["reason"], actor=request.user
            )
        )
        audit_record(request=request, action="alliances.pool_licence_cancel", target=licence)
        return Response(LicenceSerializer(licence).data)
