"""Read-only KPI API for funders' and the centre's own systems."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from portal.permissions import is_line_staff
from portal.roles import Role, user_has_role

from .. import selectors, services
from ..models import Project


class IsStaffOrFunder(permissions.BasePermission):
    message = _("KPI reports are for centre staff and funders.")

    def has_permission(self, request, view) -> bool:
        return is_line_staff(request.user) or user_has_role(request.user, Role.FUNDER)


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "name", "programme_lines", "funder_name", "starts_on", "ends_on"]


def _dec(value) -> str | None:
    # Amounts in RMB as exact decimal strings, never floats.
    return None if value is None else str(value)


def _figure(f) -> dict:
    return {
        "code": f.code,
        "name": f.name,
        "programme_line": f.programme_line,
        "unit": f.unit,
        "comparison": f.comparison,
        "target": _dec(f.target),
        "measurable": f.measurable,
        "value": _dec(f.value),
        "evidence_count": f.evidence_count,
        "completion_percent": _dec(f.completion),
        "met": f.met,
        "either_group": f.either_group,
        "note": f.note,
    }


class ProjectKpiViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects the caller may see; ``kpis`` gives each KPI's figure for ``?period=``
    (a year, a quarter such as 2026Q1, or a defined period's label)."""

    serializer_class = ProjectSerializer
    permission_classes = [permissions.IsAuthenticated, IsStaffOrFunder]

    def get_queryset(self):
        return selectors.project_list_for(user=self.request.user)

    @action(detail=True, methods=["get"])
    def kpis(self, request, *args, **kwargs):
        project = self.get_object()
        text = request.query_params.get("period", "")
        if not text:
            raise ApiValidationError({"period": [_("This parameter is required.")]})
        try:
            period = services.period_parse(text=text, create=False)
        except ValidationError as exc:
            raise ApiValidationError({"period": exc.messages}) from exc
        lines = selectors.kpi_figures_live(project=project, start=period.start, end=period.end)
        return Response(
            {
                "project": project.code,
                "period": {"label": period.label, "start": period.start, "end": period.end},
                "kpis": [_figure(f) for line in lines for f in line.figures],
            }
        )
