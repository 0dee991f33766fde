"""Template helpers of talent."""

from django import template
from django.utils.translation import get_language

from ..reasons import reason_labels

register = template.Library()


@register.filter
def link_reasons(reasons) -> str:
    """A link's stored reason keys as one translated, comma-separated line."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(reason_labels(reasons))
