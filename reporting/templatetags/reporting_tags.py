from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

from ..rendering.charts import progress_chart_svg

register = template.Library()


@register.filter
def kpi_number(value) -> str:
    """1234 → "1,234"; 1234.5 → "1,234.50"; None → "—"."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


@register.simple_tag
def kpi_chart(figure, target_label: str = "") -> str:
    # Every piece of text inside the SVG is escaped by the chart function.
    return mark_safe(
        progress_chart_svg(
            series=figure.series,
            target=figure.target,
            title=figure.name,
            target_label=target_label,
        )
    )
