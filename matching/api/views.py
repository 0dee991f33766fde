"""Matching API: technology needs, their match results, pushes and feedback.

Scoping follows the pages (``portal.permissions``): an enterprise user sees and
submits its own organization's needs and the pushes it received; centre staff
see every need and push of their programme lines, review needs, read match
results and send pushes. Another organization's record is a 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from patents.models import Organization, Patent
from portal.api_errors import ERROR_SCHEMA
from portal.permissions import OrganizationScopedViewSetMixin, scope_to_organization
from portal.ratelimit import rate_limit_check, rate_limited_api_response
from portal.roles import is_centre_staff, user_organization_id

from ..matcher import match_need
from ..models import Push, TechNeed
from ..services import (
    need_push,
    need_review,
    need_submit,
    need_update,
    push_item_record_feedback,
)
from ..views.public import FORM_RATE as NEED_RATE
from .serializers import (
    FeedbackSerializer,
    MatchQuerySerializer,
    MatchSerializer,
    PushCreateSerializer,
    PushSerializer,
    ReviewSerializer,
    TechNeedSerializer,
)

ERROR = ERROR_SCHEMA


def _valid(serializer) -> dict:
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _staff_only(request) -> None:
    if not is_centre_staff(request.user):
        raise PermissionDenied(_("Only centre staff may do this."))


class TechNeedViewSet(
    OrganizationScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Technology needs: an enterprise's own (submit, edit when returned); staff see all."""

    serializer_class = TechNeedSerializer
    queryset = TechNeed.objects.select_related("organization", "region").order_by("-created_at")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in TechNeed.Status.values:
                raise ValidationError(
                    {"status": [_("Unknown status: %(status)s") % {"status": wanted}]}
                )
            queryset = queryset.filter(status=wanted)
        return queryset

    @extend_schema(responses={201: TechNeedSerializer, 400: ERROR, 403: ERROR})
    def create(self, request, *args, **kwargs):
        """Submit a need for the signed-in enterprise (staff enter needs in the admin)."""
        organization_id = user_organization_id(request.user)
        if organization_id is None:
            raise PermissionDenied(_("Only a user acting for an enterprise may submit a need."))
        # The same counter as the need form (which also has a captcha): the API is
        # not a way around the limit.
        verdict = rate_limit_check(
            request._request, group="matching.need_create", key="user_or_ip", rate=NEED_RATE
        )
        if verdict is not None:
            return rate_limited_api_response(verdict)
        serializer = self.get_serializer(data=request.data)
        fields = _valid(serializer)
        organization = get_object_or_404(Organization, pk=organization_id)
        need = need_submit(
            organization=organization,
            fields=dict(fields),
            created_by=request.user,
            source=TechNeed.Source.FORM,
        )
        return Response(self.get_serializer(need).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: TechNeedSerializer, 400: ERROR, 404: ERROR})
    def partial_update(self, request, *args, **kwargs):
        """Edit a need that was returned for changes; it goes back to review."""
        need = self.get_object()
        if need.status != TechNeed.Status.RETURNED:
            return Response(
                {"detail": _("Only a need returned for changes can be edited.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        serializer = self.get_serializer(need, data=request.data, partial=True)
        fields = _valid(serializer)
        need = need_update(need=need, fields=dict(fields))
        return Response(self.get_serializer(need).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=ReviewSerializer, responses={200: TechNeedSerializer, 400: ERROR})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None, version=None, format=None):
        """Staff: approve (publish), return with a note, or reject with a note."""
        _staff_only(request)
        need = self.get_object()
        body = _valid(ReviewSerializer(data=request.data))
        need = need_review(
            need=need, decision=body["decision"], reviewer=request.user, note=body["note"]
        )
        return Response(self.get_serializer(need).data)

    @extend_schema(
        parameters=[MatchQuerySerializer],
        responses={200: MatchSerializer(many=True), 400: ERROR, 403: ERROR},
    )
    # One ranked list, not paginated (``top`` bounds it): the schema says so too.
    @action(detail=True, methods=["get"], pagination_class=None)
    def matches(self, request, pk=None, version=None, format=None):
        """Staff: ranked patents for this need, with scores, signals and reasons."""
        _staff_only(request)
        need = self.get_object()
        query = _valid(MatchQuerySerializer(data=request.query_params))
        results = match_need(need=need, top=query["top"])
        return Response(MatchSerializer(results, many=True).data)


class PushViewSet(
    OrganizationScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Pushes: the ones an enterprise received; staff see all and send new ones."""

    serializer_class = PushSerializer
    queryset = (
        Push.objects.select_related("organization")
        .prefetch_related("items__patent")
        .order_by("-created_at")
    )

    @extend_schema(request=PushCreateSerializer, responses={201: PushSerializer, 400: ERROR})
    def create(self, request, *args, **kwargs):
        """Staff: push patents to the enterprise behind a published need."""
        _staff_only(request)
        body = _valid(PushCreateSerializer(data=request.data))
        need = body["need"]
        if not scope_to_organization(TechNeed.objects.filter(pk=need.pk), request.user).exists():
            return Response({"detail": _("No such need.")}, status=status.HTTP_404_NOT_FOUND)
        numbers = [n.strip().upper() for n in body["patents"]]
        patents = dict(
            Patent.objects.filter(publication_number__in=numbers).values_list(
                "publication_number", "pk"
            )
        )
        unknown = [n for n in numbers if n not in patents]
        if unknown:
            return Response(
                {
                    "detail": _("Unknown publication numbers."),
                    "errors": {"patents": unknown},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        # Refusals (an unpublished need, a bad channel) are the service's
        # ValidationError, answered 400 by portal.api_errors.
        with transaction.atomic():
            push = need_push(
                need=need,
                channel=body["channel"],
                patent_ids=[patents[n] for n in numbers],
                created_by=request.user,
            )
        push = self.get_queryset().get(pk=push.pk)
        return Response(PushSerializer(push).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FeedbackSerializer, responses={200: PushSerializer, 400: ERROR})
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None, version=None, format=None):
        """The receiving enterprise: interested or not (with a reason) for one item."""
        push = self.get_object()
        if user_organization_id(request.user) != push.organization_id:
            raise PermissionDenied(_("Only the receiving enterprise gives feedback."))
        body = _valid(FeedbackSerializer(data=request.data))
        item = push.items.filter(pk=body["item"]).first()
        if item is None:
            return Response(
                {
                    "detail": _("This push has no such item."),
                    "errors": {"item": [_("This push has no such item.")]},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        push_item_record_feedback(
            item=item,
            feedback=body["feedback"],
            reason=body["reason"],
            note=body["note"],
        )
        return Response(PushSerializer(self.get_queryset().get(pk=push.pk)).data)
