"""The staff home after login: one list of what waits for the person — documents and dossier steps together,
the nearest deadline first, overdue ones in red — the agency's announcements and this week's schedule, and a
quick search. Nobody sees another agency's."""
# ruff: noqa: F811 - the fixtures imported from the dossier tests are requested by their names

from __future__ import annotations

import datetime as dt
import functools

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core import clock
from motcua.core.work import WorkItem, merge
from motcua.documents import services as documents
from motcua.dossiers import services as dossiers
from motcua.org import office
from tests.documents.conftest import ensure_document_types, upload

# The dossier tests' world (Sở Nội vụ, its one-stop desk and civil-service division, one person per role) and
# their clock (Monday 2 March 2026, 09:00), shared here as the notify tests share them.
from tests.dossiers.conftest import at, intake, now, world  # noqa: F401

VN = dt.timezone(dt.timedelta(hours=7))


@functools.cache
def _scan() -> bytes:
    from tests.documents.conftest import pdf_bytes

    return pdf_bytes()


def incoming(world, summary: str, due: dt.date, urgency: str = "normal", assign: bool = True):
    """An incoming document registered by the clerk, given by the director to the civil division (due ``due``)
    and, unless told otherwise, by its leader to the specialist."""
    doc = documents.register_incoming(actor=world.clerk, doc_type="cong-van", summary=summary, urgency=urgency,
                                      sender_name="UBND tỉnh", symbol=f"{abs(hash(summary)) % 1000}/UBND-NC",
                                      issued_on=dt.date(2026, 2, 27), files=[upload(data=_scan())])
    doc = documents.direct(actor=world.leader, document_id=doc.pk, note="Giao phòng CCVC",
                           lead_division_id=world.civil.pk, due_on=due)
    if assign:
        documents.assign(actor=world.division_leader, task_id=doc.tasks.get().pk, assignee_id=world.specialist.pk)
    return doc


def work_list(client, staff) -> list[lxml.html.HtmlElement]:
    client.force_login(staff.user)
    tree = lxml.html.fromstring(client.get("/").content.decode())
    return tree.xpath("//section[@aria-labelledby='tasks-h']//ol[@class='work']/li")


def text(node) -> str:
    return " ".join(node.text_content().split())


@pytest.fixture
def home_world(world, now):
    ensure_document_types()
    return world


def test_the_home_lists_a_document_task_and_a_dossier_step_of_one_person_in_due_order(client, home_world):
    world = home_world
    first = incoming(world, "Về việc cử cán bộ dự tập huấn", dt.date(2026, 3, 4))
    later = incoming(world, "Về việc báo cáo biên chế năm 2026", dt.date(2026, 3, 13), urgency="urgent")
    dossier = dossiers.receive_at_desk(actor=world.desk, intake=intake())
    for staff, kwargs, instant in ((world.desk, {}, at(2, 10)),
                                   (world.division_leader, {"assignee_id": world.specialist.pk}, at(2, 11))):
        dossier.refresh_from_db()
        with clock.at(instant):
            dossier = dossiers.forward(actor=staff, code=dossier.code, version=dossier.version, **kwargs)
    assert dossier.current_step.due_at == at(11, 11)  # between the two documents' deadlines

    rows = work_list(client, world.specialist)
    assert [row.xpath("string(.//a/@href)") for row in rows] == [
        f"/van-ban/den/{first.pk}/", f"/ho-so/{dossier.code}/", f"/van-ban/den/{later.pk}/"]
    assert "Về việc cử cán bộ dự tập huấn" in text(rows[0]) and "Chủ trì xử lý" in text(rows[0])
    assert "Bổ nhiệm ngạch công chức" in text(rows[1]) and "còn " in text(rows[1])
    assert "Khẩn" in text(rows[2]) and not rows[0].xpath(".//*[contains(@class, 'urgent')]")
    # The division leader assigns new work; the director directs what has just arrived.
    incoming(world, "Về việc rà soát thủ tục hành chính", dt.date(2026, 3, 6), assign=False)
    [row] = work_list(client, world.division_leader)
    assert "Phân công xử lý (chủ trì)" in text(row) and "rà soát thủ tục" in text(row)
    arrived = documents.register_incoming(actor=world.clerk, doc_type="cong-van", summary="Về việc góp ý dự thảo",
                                          sender_name="Bộ Nội vụ", symbol="77/BNV-CCHC", issued_on=dt.date(2026, 3, 1),
                                          files=[upload(data=_scan())])
    [row] = work_list(client, world.leader)
    assert "Cho ý kiến chỉ đạo" in text(row) and row.xpath("string(.//a/@href)") == f"/van-ban/den/{arrived.pk}/"

    with clock.at(at(5, 9)):  # the first document was due at the close of 4 March
        rows = work_list(client, world.specialist)
        assert "overdue" in rows[0].get("class") and "quá " in text(rows[0])
        assert rows[0].xpath(".//span[@class='late']") and "overdue" not in (rows[1].get("class") or "")


def test_the_home_costs_the_same_queries_for_one_document_or_five(client, home_world):
    world = home_world
    incoming(world, "Văn bản 1", dt.date(2026, 3, 10))
    client.force_login(world.specialist.user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(2, 6):
        incoming(world, f"Văn bản {n}", dt.date(2026, 3, 10 + n))
    assert queries() == few
    assert len(work_list(client, world.specialist)) == 5


def test_the_home_shows_the_agencys_notices_and_week_and_an_empty_list_to_someone_with_nothing_waiting(
        client, home_world):
    world = home_world
    office.publish_announcement(actor=world.clerk, title="Kiểm tra công vụ tháng 3", pinned=True)
    office.add_schedule_entry(actor=world.clerk, day=dt.date(2026, 3, 3), start=dt.time(14, 0),
                              title="Làm việc với Sở Tư pháp", chaired_by="Giám đốc Sở")
    office.add_schedule_entry(actor=world.clerk, day=dt.date(2026, 3, 9), start=dt.time(8, 0),
                              title="Giao ban tuần sau")
    client.force_login(world.specialist.user)
    tree = lxml.html.fromstring(client.get("/").content.decode())
    notices = text(tree.xpath("//section[@aria-labelledby='notices-h']")[0])
    week = text(tree.xpath("//section[@aria-labelledby='week-h']")[0])
    assert "Kiểm tra công vụ tháng 3" in notices and "Ghim" in notices
    assert "Thứ Ba 03/03" in week and "14:00 — Làm việc với Sở Tư pháp (Giám đốc Sở)" in week
    assert "Giao ban tuần sau" not in week
    search = tree.xpath("//form[@role='search']")[0]
    assert search.get("action") == "/van-ban/tim-kiem/" and search.xpath(".//input[@name='q']")
    assert search.xpath(".//button[@formaction='/ho-so/']")
    assert tree.xpath("//section[@aria-labelledby='work-h']//div[@class='counts']")  # the dossier counts stay

    client.force_login(world.stranger.user)  # a desk officer of another agency
    tree = lxml.html.fromstring(client.get("/").content.decode())
    assert "Không có việc nào đang chờ bạn." in text(tree.xpath("//section[@aria-labelledby='tasks-h']")[0])
    html = client.get("/").content.decode()
    assert "Kiểm tra công vụ" not in html and "Sở Tư pháp (Giám đốc Sở)" not in html


def _item(due: dt.datetime | None, *, overdue: bool = False, urgency: str = "normal", code: str = "") -> WorkItem:
    return WorkItem(kind="document", title=code, code=code, action="", due_at=due, url=f"/{code}/",
                    urgency=urgency, overdue=overdue)


def test_merging_puts_overdue_first_then_the_nearest_deadline_then_the_most_urgent_and_no_deadline_last():
    t = dt.datetime(2026, 3, 2, 9, tzinfo=VN)
    documents_ = [_item(None, code="no-deadline"), _item(t + dt.timedelta(days=3), code="d3"),
                  _item(t + dt.timedelta(days=1), code="d1-normal")]
    dossiers_ = [_item(t + dt.timedelta(days=1), urgency="flash", code="d1-flash"),
                 _item(t - dt.timedelta(hours=1), overdue=True, code="late")]
    assert [i.code for i in merge(documents_, dossiers_)] == ["late", "d1-flash", "d1-normal", "d3", "no-deadline"]
    assert [i.code for i in merge(documents_, dossiers_, limit=2)] == ["late", "d1-flash"]
    assert merge() == []


_instants = st.one_of(st.none(), st.integers(min_value=-500, max_value=500).map(
    lambda h: dt.datetime(2026, 3, 2, 9, tzinfo=VN) + dt.timedelta(hours=h)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(_instants, st.sampled_from(["normal", "urgent", "flash"])), max_size=6),
                max_size=3))
def test_a_merged_list_keeps_every_item_and_never_puts_a_later_deadline_before_an_earlier_one(lists):
    now = dt.datetime(2026, 3, 2, 9, tzinfo=VN)
    inputs = [[_item(due, overdue=due is not None and due < now, urgency=u, code=f"{i}-{j}")
               for j, (due, u) in enumerate(items)] for i, items in enumerate(lists)]
    merged = merge(*inputs)
    assert sorted(i.code for i in merged) == sorted(i.code for items in inputs for i in items)
    dated = [i.due_at for i in merged if i.due_at is not None]
    assert dated == sorted(dated)
    assert all(i.due_at is None for i in merged[len(dated):])  # no deadline: last


def test_a_draft_waits_on_its_division_leader_then_the_director_and_when_sent_back_on_its_author(roles):
    from motcua.documents.queues import my_tasks
    from tests.documents.conftest import make_office

    people = make_office()

    def actions(staff) -> list[str]:
        return [f"{item.action}: {item.title}" for item in my_tasks(staff)]

    draft = documents.create_draft(actor=people.specialist, doc_type="cong-van", summary="V/v báo cáo biên chế",
                                   file=upload("du-thao.pdf", _scan()))
    assert actions(people.specialist) == []  # a fresh draft is still the author's own business
    documents.submit(actor=people.specialist, document_id=draft.pk)
    assert actions(people.leader) == ["Duyệt dự thảo của phòng: V/v báo cáo biên chế"]
    assert actions(people.office_leader) == []  # another division's draft
    documents.review(actor=people.leader, document_id=draft.pk)
    assert actions(people.director) == ["Phê duyệt dự thảo: V/v báo cáo biên chế"] and actions(people.leader) == []
    documents.send_back(actor=people.director, document_id=draft.pk, reason="Bổ sung số liệu quý IV")
    [item] = my_tasks(people.specialist)
    assert (item.action, item.url) == ("Sửa dự thảo bị trả lại, trình lại", f"/van-ban/di/{draft.pk}/")
    assert actions(people.director) == []
