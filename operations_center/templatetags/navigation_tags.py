from django import template

from ..reasons import tag_reason_sentence

register = template.Library()


@register.simple_tag
def tag_reason(tag, patent) -> str:
    """``{% tag_reason tag patent %}``: why the patent is tagged to the node, as a sentence."""
    return tag_reason_sentence(
        reason=tag.reason,
        node=tag.node.name,
        text=f"{patent.title} {patent.abstract}",
    )
