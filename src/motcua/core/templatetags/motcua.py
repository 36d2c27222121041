"""Template filters for the wording of working time and money, shared by every app's pages, in the
reader's language (the pure ``workdays`` module words things in Vietnamese only)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.core.workdays import MINUTES_PER_DAY

register = template.Library()


@register.filter
def working_hours(hours: int) -> str:
    """8 → "1 ngày", 12 → "1 ngày 4 giờ" (a working day is 8 working hours)."""
    days, rest = divmod(int(hours) * 60, MINUTES_PER_DAY)
    parts = []
    if days:
        parts.append(ngettext("%(n)s ngày", "%(n)s ngày", days) % {"n": days})
    if rest // 60 or not days:
        parts.append(ngettext("%(n)s giờ", "%(n)s giờ", rest // 60) % {"n": rest // 60})
    return " ".join(parts)


@register.filter
def vnd(amount: int | None) -> str:
    """1234567 → "1.234.567 đồng" (Vietnamese thousands separator)."""
    return _("%(amount)s đồng") % {"amount": f"{int(amount or 0):,}".replace(",", ".")}


@register.filter
def fee(amount: int | None) -> str:
    """A fee or charge: "Không thu" when it is zero."""
    return vnd(amount) if amount else _("Không thu")
