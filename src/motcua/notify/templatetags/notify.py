from __future__ import annotations

from typing import Any

from django import template

from motcua.notify import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context: dict[str, Any]) -> int:
    """Unread in-app messages of the signed-in person (one indexed count), for the header's bell."""
    return selectors.unread_count(context.get("user"))
