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
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.response import Response

from patents.models import Organization, Patent
from portal.audit import audit_record
from portal.permissions import OrganizationScopedViewSetMixin, scope_to_organization
from portal.ratelimit import rate_limit_check, rate_limited_api_response
from portal.roles import is_centre_staff, user_organization_id

from ..matcher import match_need
from ..models import Push, PushItem, TechNeed
from ..services import (
    PushItemSpec,
    need_review,
    need_submit,
    need_update,
    push_create,
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

ERROR = inline_serializer(
    name="MatchingError",
    fields={"detail": serializers.CharField(), "errors": serializers.DictField(required=False)},
)


class BadInput(APIException):
    """400 with the one error body every endpoint here documents: detail + errors."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, errors: dict):
        super().__init__()
        self.detail = {"detail": _("Check the fields listed in errors."), "errors": errors}


def _valid(serializer) -> dict:
    if not serializer.is_valid():
        raise BadInput(serializer.errors)
    return serializer.validated_data


def _bad_request(error: ValidationError) -> Response:
    errors = getattr(error, "message_dict", None)
    body = {"detail": " ".join(error.messages)}
    if errors:
        body["errors"] = errors
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


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
                raise BadInput({"status": [_("Unknown status: %(status)s") % {"status": wanted}]})
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
        try:
            need = need_submit(
                organization=organization,
                fields=dict(fields),
                created_by=request.user,
                source=TechNeed.Source.FORM,
            )
        except ValidationError as error:
            return _bad_request(error)
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
        try:
            need = need_update(need=need, fields=dict(fields))
        except ValidationError as error:
            return _bad_request(error)
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
        try:
            need = need_review(
                need=need, decision=body["decision"], reviewer=request.user, note=body["note"]
            )
        except ValidationError as error:
            return _bad_request(error)
        audit_record(
            request=request,
            action="matching.need_review",
            target=need,
            details={"decision": body["decision"]},
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
        if need.status != TechNeed.Status.PUBLISHED:
            return Response(
                {"detail": _("Only published needs receive pushes.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        numbers = [n.strip().upper() for n in body["patents"]]
        patents = {
            p.publication_number: p for p in Patent.objects.filter(publication_number__in=numbers)
        }
        unknown = [n for n in numbers if n not in patents]
        if unknown:
            return Response(
                {
                    "detail": _("Unknown publication numbers."),
                    "errors": {"patents": unknown},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        specs = [
            PushItemSpec(kind=PushItem.Kind.PATENT, patent_id=patents[n].pk, title=patents[n].title)
            for n in numbers
        ]
        try:
            with transaction.atomic():
                push = push_create(
                    organization=need.organization,
                    items=specs,
                    channel=body["channel"],
                    programme_line=need.programme_line,
                    need=need,
                    created_by=request.user,
                )
        except ValidationError as error:
            return _bad_request(error)
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
                {"detail": _("This push has no such item."), "errors": {"item": ["not found"]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            push_item_record_feedback(
                item=item,
                feedback=body["feedback"],
                reason=body["reason"],
                note=body["note"],
            )
        except ValidationError as error:
            return _bad_request(error)
        return Response(PushSerializer(self.get_queryset().get(pk=push.pk)).data)
