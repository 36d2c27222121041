"""The morning sweep: steps due within one working day (the agency's calendar) or overdue are reminded to
whoever holds them, overdue ones to the division leader too, once per step, kind and day."""

import io

import pytest
from django.core.management import call_command

from motcua.core import clock
from motcua.dossiers import reminders, services
from motcua.notify.models import Message, Notification
from tests.dossiers.conftest import at, intake


def act(fn, staff, dossier, instant, **kwargs):
    with clock.at(instant):
        return fn(actor=staff, code=dossier.code, version=dossier.version, **kwargs)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweep at an instant; what each reminder's transaction queues after commit runs at its end (the
    test itself is one transaction)."""

    def run(instant, **kwargs):
        with clock.at(instant), django_capture_on_commit_callbacks(execute=True):
            return reminders.send_reminders(**kwargs)

    return run


def sent(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(event=kind).order_by("pk"))


def to(n: Notification) -> set[int]:
    return {r["user_id"] for r in n.recipients}


@pytest.fixture
def received(world):
    with clock.at(at(2, 9)):
        return services.receive_at_desk(actor=world.desk, intake=intake())


@pytest.fixture
def with_division(world, received):
    return act(services.forward, world.desk, received, at(2, 10))  # step 2: 4 h for the division's leader, till 16:00


@pytest.fixture
def with_specialist(world, with_division):
    d = act(services.forward, world.division_leader, with_division, at(2, 11), assignee_id=world.specialist.pk)
    assert d.current_step.assignee == world.specialist and d.current_step.due_at == at(11, 11)  # 7 working days
    return d


def test_the_desk_is_reminded_in_the_morning_of_a_step_due_this_afternoon(world, received, sweep):
    result = sweep(at(2, 9, 30))
    assert (result.due_soon, result.overdue) == (1, 0)
    [n] = sent(reminders.DUE_SOON)
    assert to(n) == {world.desk.user_id}
    assert n.payload["step"] == "Tiếp nhận hồ sơ" and n.payload["url"] == f"/ho-so/{received.code}/"
    assert n.payload["remaining"].startswith("còn ")
    title = Message.objects.get(user=world.desk.user).title
    assert title == f"Hồ sơ {received.code} sắp đến hạn"


def test_running_the_sweep_twice_the_same_day_adds_nothing(world, received, sweep):
    sweep(at(2, 9, 30))
    again = sweep(at(2, 11))
    assert (again.due_soon, again.overdue, again.already) == (0, 0, 1)
    assert Notification.objects.filter(event__startswith="dossier.due_soon").count() == 1
    assert Message.objects.filter(user=world.desk.user).count() == 1


def test_an_unassigned_overdue_step_goes_to_everyone_holding_its_role_there_once_each(world, with_division, sweep):
    result = sweep(at(3, 8))
    assert result.overdue == 1
    [n] = sent(reminders.OVERDUE)
    assert to(n) == {world.division_leader.user_id}  # holder and supervisor are one person: told once
    assert n.payload["remaining"].startswith("quá ")


def test_an_assigned_step_is_reminded_to_its_assignee_only_until_it_is_overdue(world, with_specialist, sweep):
    assert sweep(at(10, 9)).due_soon == 0  # Wednesday 11:00 is more than one working day after Tuesday 09:00
    sweep(at(10, 12))
    [soon] = sent(reminders.DUE_SOON)
    assert to(soon) == {world.specialist.user_id}
    sweep(at(11, 12))
    [late] = sent(reminders.OVERDUE)
    assert to(late) == {world.specialist.user_id, world.division_leader.user_id}
    assert late.payload["holder"] == world.specialist.full_name


def test_one_working_day_is_counted_in_the_agency_calendar_across_a_weekend(world, sweep):
    with clock.at(at(6, 15, 30)):  # Friday after the cut-off: the desk step is due Monday 17:30
        d = services.receive_at_desk(actor=world.desk, intake=intake())
    assert d.current_step.due_at == at(9, 17, 30)
    assert sweep(at(6, 15, 45)).due_soon == 0  # one working day from Friday 15:45 is Monday 15:45
    # From Friday 17:45, after hours, one working day ends Monday 17:30 (a naive 24 hours would end Saturday).
    assert sweep(at(6, 17, 45)).due_soon == 1


def test_an_overdue_step_is_reminded_again_the_next_day(world, with_division, sweep):
    sweep(at(3, 8))
    sweep(at(4, 8))
    assert len(sent(reminders.OVERDUE)) == 2


def test_nothing_is_sent_on_a_day_off_unless_asked(world, with_division, sweep):
    saturday = at(7, 8)
    assert sweep(saturday).agencies_skipped and not sent(reminders.OVERDUE)
    assert sweep(saturday, working_days_only=False).overdue == 1


def test_a_suspended_or_finished_step_is_not_reminded(world, received, sweep):
    d = act(services.request_supplement, world.desk, received, at(2, 9, 10), reason="Thiếu giấy tờ",
            items=[services.MissingItem("Quyết định tuyển dụng")])
    assert d.state == "awaiting_supplement"
    assert sweep(at(3, 8)).overdue == 0


def test_the_command_reports_what_it_did(world, received, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with clock.at(at(2, 9, 30)), django_capture_on_commit_callbacks(execute=True):
        call_command("deadline_reminders", stdout=out)
    assert "Nhắc sắp đến hạn: 1; nhắc quá hạn: 0" in out.getvalue()


def test_the_agency_leaders_get_the_mornings_list_in_one_message_once_a_day(world, with_division, sweep):
    sweep(at(3, 8))  # the division leader's step was due 16:00 yesterday
    sweep(at(3, 9))  # again the same morning: nothing new
    digests = sent(reminders.DIGEST)
    assert len(digests) == 1 and to(digests[0]) == {world.leader.user_id}
    message = Message.objects.get(user=world.leader.user, delivery__notification=digests[0])
    assert "1 bước xử lý hồ sơ đã quá hạn" in message.body and with_division.code in message.body
    assert message.title.startswith("Sáng nay: 1 bước xử lý quá hạn") and message.link.endswith("/bao-cao/tong-quan/")


def test_no_list_is_sent_when_nothing_is_due(world, sweep):
    sweep(at(3, 8))
    assert sent(reminders.DIGEST) == []
