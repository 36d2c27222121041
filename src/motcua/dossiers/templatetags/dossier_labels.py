"""Labels of the dossier's states, actions and outcomes on pages, in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from motcua.dossiers.outcomes import OUTCOME_LABELS, Outcome
from motcua.dossiers.states import ACTION_LABELS, STATE_LABELS, Action, State

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    return _(STATE_LABELS[State(value)]) if value in State._value2member_map_ else value


@register.filter
def action_label(value: str) -> str:
    return _(ACTION_LABELS[Action(value)]) if value in Action._value2member_map_ else value


@register.filter
def outcome_label(value: str) -> str:
    return _(OUTCOME_LABELS[Outcome(value)]) if value in Outcome._value2member_map_ else ""


@register.filter
def code_breaks(code: str) -> SafeString:
    """A dossier code that may wrap only after its dashes (000.00.12.H22-<wbr>261129-<wbr>0001), never inside
    a number staff read aloud and type."""
    return mark_safe("-<wbr>".join(escape(part) for part in str(code).split("-")))  # noqa: S308 - escaped parts
