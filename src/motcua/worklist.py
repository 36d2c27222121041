"""One person's work across the apps, for the staff home: the documents and the dossier steps waiting for them.

At the composition root because it joins two apps that must not import each other (documents and dossiers).
Each app's own queue decides what is whose: ``documents.queues.my_tasks`` and the dossiers' "Việc của tôi"
queue (``dossiers.selectors``, the filter behind the home page's "Việc của tôi" count). Both are turned into
``core.work.WorkItem`` and merged there, so the order and the "còn/quá …" wording are the same for both.
"""

from __future__ import annotations

from django.utils.translation import gettext

from motcua.core import clock, work
from motcua.core.work import WorkItem
from motcua.documents import queues as document_queues
from motcua.dossiers import access as dossier_access
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.states import STATE_LABELS, State
from motcua.org import calendars
from motcua.org.access import can
from motcua.org.models import Staff

LIMIT = 50


def dossier_items(staff: Staff, *, limit: int = LIMIT) -> list[WorkItem]:
    """The dossiers whose current step is the person's (two queries: the list and its capped count), due by
    the step's deadline; nothing for someone who does not work on dossiers."""
    if not can(staff, "dossiers.view_dossier"):
        return []
    actor = dossier_access.actor_of(staff)
    page = dossier_selectors.dossier_list(actor, queue=dossier_selectors.Queue.MINE, limit=limit)
    now = clock.now()
    items = []
    for row in page.rows:
        action = gettext(STATE_LABELS[State(row.state)])
        if row.overdue:  # the appointment with the applicant has passed too
            action = "{} — {}".format(action, gettext("trễ hẹn trả kết quả"))
        items.append(WorkItem(kind="dossier", title=f"{row.procedure_name} — {row.applicant_name}", code=row.code,
                              action=action, due_at=row.step_due_at, url=f"/ho-so/{row.code}/",
                              overdue=row.step_due_at is not None and row.step_due_at < now))
    return items


def for_staff(staff: Staff, *, limit: int = LIMIT, dossiers_waiting: int | None = None) -> list[WorkItem]:
    """Everything waiting for ``staff``: overdue first, then the nearest deadline, with the time left or past
    in the agency's working days. ``dossiers_waiting``: the caller's own count of the person's dossiers (the
    home page has it); zero spares the dossier list's queries."""
    documents = document_queues.my_tasks(staff, limit=limit)
    dossiers = dossier_items(staff, limit=limit) if dossiers_waiting != 0 else []
    merged = work.merge(documents, dossiers, limit=limit)
    return work.timed(merged, now=clock.now(), calendar=calendars.calendar_for(staff.agency))
