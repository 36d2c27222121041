"""Labels of the dossier's states, actions and outcomes on pages, in the reader's language."""

from __future__ import annotations

from django import template
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
