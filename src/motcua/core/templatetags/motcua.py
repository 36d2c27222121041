"""Template filters for the wording of working time and money, shared by every app's pages."""

from __future__ import annotations

from django import template

from motcua.core.workdays import WorkingTime

register = template.Library()


@register.filter
def working_hours(hours: int) -> str:
    """8 → "1 ngày", 12 → "1 ngày 4 giờ" (a working day is 8 working hours)."""
    return str(WorkingTime.hours(int(hours)))


@register.filter
def vnd(amount: int | None) -> str:
    """1234567 → "1.234.567 đồng"; 0 → "Không thu"."""
    if not amount:
        return "Không thu"
    return f"{int(amount):,}".replace(",", ".") + " đồng"
