"""Template helpers of talent."""

from django import template

from ..reasons import reason_labels

register = template.Library()


@register.filter
def link_reasons(reasons) -> str:
    """A link's stored reason keys as one translated, comma-separated line."""
    return "、".join(reason_labels(reasons))
