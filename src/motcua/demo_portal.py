"""The demo's citizen: an account on the public portal (``congdan@example.vn``) with dossiers filed online at
every stage a citizen meets — a result returned online and waiting for a rating, a supplement to answer, a
submission waiting for the desk — and a draft. Made through the portal's and the one-stop's own services, at
instants before now, like the rest of the demo."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.contrib.auth import get_user_model

from motcua.catalog.models import Procedure
from motcua.core import calendars as core_calendars
from motcua.core import clock
from motcua.demo_dossiers import _people, _Walker, _working_days_before
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Attachment, Dossier
from motcua.notify import services as notify
from motcua.org.models import Agency
from motcua.portal import services
from motcua.portal.models import Citizen

CITIZEN_LOGIN = "congdan@example.vn"
PROCEDURE = "SNV.HG.VTLT.01"
DETAILS = {"type": "individual", "name": "Nguyễn Thị Minh Anh", "id_number": "002190008888",
           "birth_date": "1990-03-12", "address": "Số 12 đường Nguyễn Trãi, phường Hà Giang 1, tỉnh Hà Giang",
           "phone": "0987654321", "email": CITIZEN_LOGIN}


def _pdf(text: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=f"<h1>{text}</h1><p>Bản minh họa do motcua tạo.</p>").write_pdf()


def _upload(name: str, text: str) -> dossier_services.Upload:
    data = _pdf(text)
    return dossier_services.Upload(name=name, stream=io.BytesIO(data), size=len(data))


def load(agency: Agency, password: str) -> int:
    """Add the citizen and their dossiers once; the number of dossiers added."""
    User = get_user_model()
    if User.objects.filter(username=CITIZEN_LOGIN).exists():
        return 0
    account = User.objects.create_user(username=CITIZEN_LOGIN, email=CITIZEN_LOGIN, password=password)
    Citizen.objects.create(user=account, full_name=DETAILS["name"], phone=DETAILS["phone"], created_at=clock.now(),
                           email_confirmed_at=clock.now())
    # A practising certificate for archivists: for individuals, fully online, a short time limit.
    online = Procedure.objects.filter(agency=agency, status=Procedure.Status.ACTIVE, channel_online=True,
                                      for_individuals=True, online_level=Procedure.OnlineLevel.FULL)
    procedure = online.filter(code=PROCEDURE).first() or online.order_by("code").first()
    if procedure is None:
        return 0
    cal = core_calendars.load_calendar(agency.calendar_id)
    now = clock.now()
    walker = _Walker(random.Random(2026), _people(agency), cal, limit=now - dt.timedelta(minutes=5))
    desk = walker.pick(walker.people.desk, "desk", 1.0)
    days = procedure.current_version().time_limit_hours // 8

    def file_online(working_days_ago: int) -> Dossier:
        start = _working_days_before(cal, now, working_days_ago) if working_days_ago else now
        with clock.at(start - dt.timedelta(minutes=10)):
            draft = services.start_draft(account=account, procedure_code=procedure.code)
            files = [(d.pk, _upload(f"{d.order}-giay-to.pdf", d.name))
                     for d in procedure.current_version().documents.order_by("order") if d.mandatory]
            services.save_draft(account=account, draft_id=draft.pk, data=DETAILS, files=files)
            return services.submit_draft(account=account, draft_id=draft.pk)

    # Returned online with its signed result: the citizen can download it and rate the service.
    with notify.quiet():  # weeks ago: recorded, not mailed again at every demo load
        done = file_online(days + 4)
        done = walker.act(walker.later(done.submitted_at, 2), dossier_services.receive, desk, done)
        done = walker.walk(done, done.received_at, collect=False)
        if done.state == "resolved" and done.result_ready_at is not None:
            with clock.at(walker.later(done.result_ready_at, 1)):
                dossier_services.attach(actor=desk, code=done.code, kind=Attachment.Kind.RESULT,
                                        upload=_upload("ket-qua.pdf", f"Quyết định {done.result_number}"))
            walker.act(walker.later(done.result_ready_at, 2), dossier_services.return_result, desk, done,
                       returned_to=DETAILS["name"], method="online")
    # Received, then asked for a supplement the citizen has to upload (she is told of the request).
    with notify.quiet():
        waiting = file_online(3)
        waiting = walker.act(walker.later(waiting.submitted_at, 2), dossier_services.receive, desk, waiting)
    walker.act(walker.later(waiting.received_at, 4), dossier_services.request_supplement, desk, waiting,
               reason="Bản scan Tờ khai không đọc được chữ ký.",
               items=[dossier_services.MissingItem("Bản scan rõ nét của tờ khai có chữ ký")])
    # Just submitted: waiting for the desk's check; and a draft begun.
    file_online(0)
    with clock.at(now - dt.timedelta(minutes=2)):
        services.start_draft(account=account, procedure_code=procedure.code)
    return 3
