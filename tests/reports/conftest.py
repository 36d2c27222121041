"""The reports' world: the dossier tests' agency and procedures (``tests.dossiers.conftest``) and a known
month of dossiers walked through the real services, each chosen to land in one column of March 2026's
report.

March 2026 (period 1–31 March), ordinary procedure of 10 working days:

=====================  ===========================================  ==========================
name                   what happens                                 column in March
=====================  ===========================================  ==========================
carried                received Fri 27 Feb, resolved Tue 3 Mar      carried over; early
early                  received 2 Mar, resolved 6 Mar, returned     received direct; early
on_time                received 2 Mar 09:00, resolved 16 Mar 08:30  on time (the due day)
late                   received 2 Mar, resolved 17 Mar              late
overdue                received 2 Mar, still open                   in progress, overdue
within                 received 25 Mar, still open                  in progress, within time
suspended              received 23 Mar, supplement asked 24 Mar     waiting for a supplement
withdrawn              received 3 Mar, withdrawn 4 Mar              withdrawn
online                 submitted online 5 Mar, received, resolved   received online; early
rejected               received 4 Mar, rejected 6 Mar               early (and rejected)
=====================  ===========================================  ==========================
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.dossiers.conftest import VN, World, at, intake, world  # noqa: F401 - the fixture

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
EXPECTED_MARCH = {
    "carried_over": 1, "received_online": 1, "received_direct": 8, "received": 10,
    "resolved": 6, "early": 4, "on_time": 1, "late": 1,
    "in_progress": 2, "in_progress_within": 1, "in_progress_overdue": 1,
    "awaiting_supplement": 1, "withdrawn": 1,
}


def act(fn, staff, dossier: Dossier, instant: dt.datetime, **kwargs) -> Dossier:
    with clock.at(instant):
        return fn(actor=staff, code=dossier.code, version=dossier.version, **kwargs)


def receive(w: World, instant: dt.datetime, *, channel: str = "desk") -> Dossier:
    with clock.at(instant):
        if channel == "online":
            d = services.submit_online(actor=w.desk, intake=intake(channel="online"))
            return services.receive(actor=w.desk, code=d.code, version=d.version)
        return services.receive_at_desk(actor=w.desk, intake=intake())


def resolve(w: World, d: Dossier, finish: dt.datetime) -> Dossier:
    """Every step of the ordinary procedure, the last (the leader's approval) at ``finish``."""
    start = max(d.received_at, finish - dt.timedelta(hours=6))
    chain = [(services.forward, w.desk, {}), (services.forward, w.division_leader, {}),
             (services.assign, w.division_leader, {"assignee_id": w.specialist.pk}),
             (services.forward, w.specialist, {}), (services.forward, w.division_leader, {})]
    for n, (fn, who, kwargs) in enumerate(chain, start=1):
        d = act(fn, who, d, start + (finish - start) * n / 7, **kwargs)
    return act(services.approve, w.leader, d, finish, result=services.Result(number="1/QĐ-SNV"))


@pytest.fixture
def history(world) -> dict[str, Dossier]:  # noqa: F811 - the imported fixture
    out: dict[str, Dossier] = {}
    out["carried"] = resolve(world, receive(world, dt.datetime(2026, 2, 27, 9, tzinfo=VN)), at(3, 10))
    d = resolve(world, receive(world, at(2, 9, 5)), at(6, 9))
    d = act(services.mark_ready, world.desk, d, at(6, 10))
    out["early"] = act(services.return_result, world.desk, d, at(9, 8), returned_to="Trần Thị Mai", method="desk")
    out["on_time"] = resolve(world, receive(world, at(2, 9)), at(16, 8, 30))
    out["late"] = resolve(world, receive(world, at(2, 9, 10)), at(17, 10))
    out["overdue"] = receive(world, at(2, 9, 15))
    out["within"] = receive(world, at(25, 9))
    d = receive(world, at(23, 9))
    out["suspended"] = act(services.request_supplement, world.desk, d, at(24, 9), reason="Thiếu giấy tờ",
                           items=[services.MissingItem("Tờ trình đề nghị")])
    d = receive(world, at(3, 9))
    out["withdrawn"] = act(services.withdraw, world.desk, d, at(4, 9), reason="Đơn xin rút")
    out["online"] = resolve(world, receive(world, at(5, 9), channel="online"), at(10, 15))
    d = receive(world, at(4, 10))
    out["rejected"] = act(services.reject, world.leader, d, at(6, 11), reason="Không đủ điều kiện")
    return out
