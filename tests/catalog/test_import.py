"""Importing the catalogue: the whole file is checked first, then written all or nothing; re-importing
changes nothing; export gives back what was imported; stored versions never change."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from motcua.catalog import services
from motcua.catalog.models import Procedure, ProcedureVersion, ProcessStep
from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent
from motcua.org.roles import Role
from tests.catalog.conftest import as_bytes, document, procedure
from tests.factories import make_staff


def refused(data: bytes, **kwargs) -> list[str]:
    before = (Procedure.objects.count(), ProcedureVersion.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        services.import_catalog(actor=None, data=data, **kwargs)
    assert exc.value.code == "invalid"
    assert (Procedure.objects.count(), ProcedureVersion.objects.count(), AuditEvent.objects.count()) == before
    return exc.value.details["problems"]


def test_import_then_export_gives_the_same_document_and_a_second_import_changes_nothing(department):
    doc = document(procedure(), procedure(code="1.000415", name="Thông báo kết quả bổ nhiệm, bầu cử chức sắc"))
    result = services.import_catalog(actor=None, data=as_bytes(doc))
    assert result == services.ImportResult(procedures_created=2, procedures_updated=0, versions_created=2, unchanged=0)
    expected = json.loads(as_bytes(doc))
    expected["procedures"].sort(key=lambda p: p["code"])  # the export lists procedures by code
    assert services.export_document() == expected
    events = AuditEvent.objects.count()
    again = services.import_catalog(actor=None, data=as_bytes(doc))
    assert again == services.ImportResult(0, 0, 0, 2)
    assert AuditEvent.objects.count() == events


def test_a_new_version_is_added_and_the_old_one_kept(department):
    doc = document(procedure())
    services.import_catalog(actor=None, data=as_bytes(doc))
    v2 = copy.deepcopy(doc["procedures"][0]["versions"][0]) | {"number": 2, "effective_from": "2099-07-01",
                                                                "time_limit": 7, "change_note": "Rút ngắn 3 ngày"}
    v2["steps"][2]["hours"] = 16
    doc["procedures"][0]["versions"].append(v2)
    assert services.import_catalog(actor=None, data=as_bytes(doc)).versions_created == 1
    p = Procedure.objects.get(code="1.005384")
    assert list(p.versions.values_list("number", "time_limit")) == [(1, 10), (2, 7)]
    assert p.current_version().number == 1  # version 2 waits for its date
    assert p.current_version(on=dt.date(2099, 7, 1)).number == 2


def test_changing_a_stored_version_is_refused(department):
    doc = document(procedure())
    services.import_catalog(actor=None, data=as_bytes(doc))
    doc["procedures"][0]["versions"][0]["documents"].pop()
    problems = refused(as_bytes(doc))
    assert "phiên bản 1 của thủ tục 1.005384 đã có với nội dung khác" in problems[0]


def test_step_shares_that_do_not_add_up_are_refused_with_the_numbers(department):
    problems = refused(as_bytes(document(procedure(hours=(8, 16, 40, 8)))))
    assert problems == ["procedures[0].versions[0].steps: tổng thời gian các bước là 72 giờ làm việc, phải bằng "
                        "đúng thời hạn giải quyết 80 giờ (10 ngày × 8 giờ)"]


@pytest.mark.parametrize(("change", "expected"), [
    (lambda p: p.pop("name"), "procedures[1].name: thiếu giá trị bắt buộc"),
    (lambda p: p.update(colour="đỏ"), "procedures[1].colour: trường không được biết đến"),
    (lambda p: p["versions"][0].update(time_limit="mười"), "procedures[1].versions[0].time_limit: phải là số nguyên"),
    (lambda p: p["versions"][0].update(time_limit=0), "procedures[1].versions[0].time_limit: phải từ 1 đến 3650"),
    (lambda p: p["versions"][0]["fees"][0].update(amount=-5), "procedures[1].versions[0].fees[0].amount: phải từ 0"),
    (lambda p: p.update(online_level="level4"), "procedures[1].online_level: phải là một trong"),
    (lambda p: p["versions"][0].update(effective_from="31/12/2024"), "effective_from: phải là ngày dạng YYYY-MM-DD"),
    (lambda p: p["versions"][0]["documents"][1].update(condition=""), "documents[1].condition: giấy tờ không bắt buộc"),
    (lambda p: p.update(resolving_agency="000.00.99.H99"), "không có cơ quan mã 000.00.99.H99"),
    (lambda p: p["versions"][0]["steps"][1].update(division="KHONGCO"), "SNV không có phòng/đơn vị mã KHONGCO"),
    (lambda p: p.update(field="XYZ"), "procedures[1].field: không có lĩnh vực mã XYZ"),
    (lambda p: p["versions"][0].update(steps=[]), "procedures[1].versions[0].steps: cần ít nhất một bước"),
])
def test_each_kind_of_bad_value_is_named_and_nothing_is_written(department, change, expected):
    bad = procedure(code="2.000001")
    change(bad)
    problems = refused(as_bytes(document(procedure(), bad)))
    assert any(expected in p for p in problems), problems


def test_every_problem_of_a_file_is_reported_at_once(department):
    bad = procedure(code="1.005384")  # duplicate of the first
    bad["versions"][0]["time_limit"] = -1
    problems = refused(as_bytes(document(procedure(), bad)))
    assert any("bị trùng với procedures[0]" in p for p in problems)
    assert any("time_limit" in p for p in problems)


def test_files_that_are_not_a_catalogue_are_refused(department, settings):
    assert "không phải văn bản UTF-8" in refused("{\"format\": \"Tết\"}".encode("utf-16"))[0]
    assert "JSON không hợp lệ ở dòng 1" in refused(b"{not json")[0]
    assert refused(b"[]") == ["phải là một đối tượng"]
    big = b" " * (20 * 1024 * 1024) + as_bytes(document(procedure()))
    assert "vượt giới hạn 10 MB" in refused(big)[0]


def test_import_by_an_administrator_is_limited_to_their_agency(department):
    admin = make_staff(role=Role.ADMINISTRATOR, agency=department)
    result = services.import_catalog(actor=admin, data=as_bytes(document(procedure())))
    assert result.procedures_created == 1
    assert AuditEvent.objects.filter(action="catalog.procedure.create", actor_username=admin.user.username).exists()
    outsider = make_staff(role=Role.ADMINISTRATOR)
    with pytest.raises(DomainError) as exc:
        services.import_catalog(actor=outsider, data=as_bytes(document(procedure(code="9.9"))))
    assert "chỉ được nhập thủ tục của cơ quan mình" in str(exc.value.details["problems"])


def test_import_is_forbidden_to_a_specialist(department):
    with pytest.raises(DomainError) as exc:
        services.import_catalog(actor=make_staff(role=Role.SPECIALIST, agency=department),
                                data=as_bytes(document(procedure())))
    assert exc.value.code == "forbidden"
    assert not Procedure.objects.exists()


def test_steps_at_a_unit_or_another_agency_are_kept(department):
    p = procedure(hours=(8, 16, 40, 16))
    p["versions"][0]["steps"][2].update(division="BTG")
    p["versions"][0]["steps"][3].update(other_agency="000.00.00.H22", role="agency_leader")
    services.import_catalog(actor=None, data=as_bytes(document(p)))
    steps = list(ProcessStep.objects.order_by("order"))
    assert steps[2].division_kind == "BTG"  # the unit's code: a kind, found in whichever agency performs it
    assert steps[3].other_agency.identifier == "000.00.00.H22"
    assert services.export_document()["procedures"][0]["versions"][0]["steps"][2]["division"] == "BTG"


def test_a_version_cannot_be_backdated_or_share_a_date(department):
    doc = document(procedure())
    services.import_catalog(actor=None, data=as_bytes(doc))
    later = copy.deepcopy(doc["procedures"][0]["versions"][0]) | {"number": 2}
    for day, message in (("2021-06-01", "phải sau ngày áp dụng của các phiên bản đã có (01/01/2024)"),
                         ("2024-01-01", "phải sau ngày áp dụng của các phiên bản đã có"),
                         ("2025-06-01", "không được áp dụng hồi tố")):
        doc["procedures"][0]["versions"] = [later | {"effective_from": day}]
        assert any(message in p for p in refused(as_bytes(doc))), day


def test_versions_in_one_file_must_take_effect_in_order(department):
    p = procedure()
    p["versions"].append(copy.deepcopy(p["versions"][0]) | {"number": 2, "effective_from": "2023-01-01"})
    assert any("phiên bản 2 phải áp dụng sau phiên bản 1" in x for x in refused(as_bytes(document(p))))


def test_a_future_version_is_accepted_and_waits_for_its_date(department):
    import datetime as dt

    from django.utils import timezone

    doc = document(procedure())
    services.import_catalog(actor=None, data=as_bytes(doc))
    tomorrow = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    doc["procedures"][0]["versions"] = [copy.deepcopy(doc["procedures"][0]["versions"][0])
                                        | {"number": 2, "effective_from": tomorrow}]
    assert services.import_catalog(actor=None, data=as_bytes(doc)).versions_created == 1
    assert Procedure.objects.get().current_version().number == 1
