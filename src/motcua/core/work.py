"""Work with a deadline, whichever app it comes from: the one shape the staff home lists, and its order.

A dossier's step and a document's handling are both "something this person must do by then". Each app turns
its own rows into ``WorkItem`` (documents in ``documents.queues``, dossiers at the composition root), and the
home page merges them here, so that the order (overdue first, then the nearest deadline, no deadline last), the
overdue test and the "còn/quá X ngày Y giờ" wording (``workdays.describe_remaining``) exist once. Pure: no
Django model is imported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from motcua.core import workdays

Kind = Literal["document", "dossier"]

# Most pressing first among items due at the same instant (the document urgency marks of NĐ 30/2020).
URGENCY_RANK = {"flash": 0, "very_urgent": 1, "urgent": 2, "normal": 3}

OVERDUE = "overdue"
DUE_SOON = "due_soon"


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting for someone: what it is, what to do, by when, and where to do it."""

    kind: Kind
    title: str
    code: str
    action: str  # what the person must do, in words ("Cho ý kiến chỉ đạo", "Phân công xử lý" …)
    due_at: dt.datetime | None
    url: str
    urgency: str = "normal"  # a key of URGENCY_RANK
    urgency_label: str = ""  # shown as a badge unless the urgency is normal
    overdue: bool = False
    remaining: str = ""  # "còn 2 ngày 3 giờ", "quá 1 ngày 4 giờ"; filled by ``timed``

    @property
    def urgent(self) -> bool:
        return self.urgency != "normal"


_LAST = dt.datetime.max.replace(tzinfo=dt.UTC)


def sort_key(item: WorkItem) -> tuple:
    """Overdue first, then due soonest, then the most urgent; items without a deadline last."""
    return (not item.overdue, item.due_at is None, item.due_at or _LAST, URGENCY_RANK.get(item.urgency, 9),
            item.kind, item.code, item.url)


def merge(*lists: Iterable[WorkItem], limit: int | None = None) -> list[WorkItem]:
    """The items of every list in one order (``sort_key``); at most ``limit`` of them."""
    items = [item for items in lists for item in items]
    if limit is not None:
        return heapq.nsmallest(limit, items, key=sort_key)
    return sorted(items, key=sort_key)


def timed(items: Sequence[WorkItem], *, now: dt.datetime, calendar: workdays.Calendar) -> list[WorkItem]:
    """The items with their overdue flag and remaining time as of ``now``, counted in the agency's working time."""
    out = []
    for item in items:
        if item.due_at is None:
            out.append(item)
            continue
        out.append(dataclasses.replace(item, overdue=item.due_at < now,
                                       remaining=workdays.describe_remaining(now, item.due_at, calendar)))
    return out


def reminder_kind(due_at: dt.datetime | None, *, now: dt.datetime, soon_until: dt.datetime) -> str | None:
    """What the morning sweep says of a deadline: ``overdue``, ``due_soon`` (by ``soon_until``, one working day
    ahead) or nothing. The dossier and document sweeps ask the same question."""
    if due_at is None or due_at > soon_until:
        return None
    return OVERDUE if due_at <= now else DUE_SOON
