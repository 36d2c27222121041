"""Early, on time or late: how a finished dossier (or step) compares with its due time (pure).

Derived only from stored instants and stored facts, never from today's calendar, so a figure once
reported never changes. "Early" means finished on a day before the appointed day, "on time" finished on
the appointed day no later than the appointed instant, as one-stop offices report them. Decision
766/QĐ-TTg counts a dossier with more than one supplement request as late, and a dossier that needed an
apology and a new appointment stays late in every statistic.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def gettext_noop(text: str) -> str:
    """Marks a label for the translation catalogue (makemessages finds this name) and returns it unchanged:
    this module stays free of Django; pages translate the label when they show it."""
    return text


class Outcome(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


OUTCOME_LABELS = {Outcome.EARLY: gettext_noop("Trước hạn"), Outcome.ON_TIME: gettext_noop("Đúng hạn"),
                  Outcome.LATE: gettext_noop("Quá hạn")}


def classify(finished_at: dt.datetime, due_at: dt.datetime, *, supplement_requests: int = 0,
             supplements_allowed_on_time: int = 1, apologized: bool = False, zone: ZoneInfo = ZONE) -> Outcome:
    if finished_at.tzinfo is None or due_at.tzinfo is None:
        raise ValueError("outcomes are computed from aware instants")
    if apologized or supplement_requests > supplements_allowed_on_time or finished_at > due_at:
        return Outcome.LATE
    if finished_at.astimezone(zone).date() < due_at.astimezone(zone).date():
        return Outcome.EARLY
    return Outcome.ON_TIME
