"""Register numbers: gap-free and unique under concurrency, restarting on 1 January, secret documents in their
own series; the symbol of an outgoing document; access to confidential documents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.documents import access, numbering, services
from motcua.documents.models import Document, Secrecy
from motcua.org.roles import Role
from tests.documents.conftest import make_office, upload
from tests.dossiers.test_concurrency import run_together
from tests.factories import make_staff


def at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour), timezone.get_default_timezone())


def register(office, symbol: str, **extra) -> Document:
    return services.register_incoming(actor=office.clerk, doc_type="cong-van", summary="Về việc báo cáo biên chế",
                                      sender_name="UBND tỉnh", symbol=symbol,
                                      issued_on=timezone.localdate(clock.now()),
                                      files=[upload()], **extra)


@given(number=st.integers(1, 10**6), abbreviation=st.sampled_from(["QĐ", "TTr", "KH"]))
def test_a_symbol_reads_back_as_its_number_and_notation(number, abbreviation):
    symbol = numbering.symbol(number, type_abbreviation=abbreviation, agency_short="SNV")
    assert symbol == f"{number}/{abbreviation}-SNV"
    assert numbering.notation(symbol) == (str(number), f"{abbreviation}-SNV")


def test_a_letter_takes_the_drafting_division_and_numbers_start_at_one():
    assert numbering.symbol(7, type_abbreviation="", agency_short="SNV", division_code="VP") == "7/SNV-VP"
    with pytest.raises(ValueError):
        numbering.symbol(0, type_abbreviation="QĐ", agency_short="SNV")


@pytest.mark.django_db
def test_numbers_restart_on_the_first_of_january_and_the_old_register_can_be_closed(roles):
    office = make_office()
    with clock.at(at(2026, 12, 30)):
        register(office, "1/UBND"), register(office, "2/UBND")
    with clock.at(at(2026, 12, 31, 16)):
        last = register(office, "3/UBND")
    with clock.at(at(2027, 1, 2)):
        first = register(office, "4/UBND")
        services.close_register(actor=office.clerk, register_id=last.register_id)
        with pytest.raises(DomainError, match="đã khóa"):
            services.register_for(office.agency.pk, "incoming", False, 2026)
    assert (last.number, last.register.year, first.number, first.register.year) == (3, 2026, 1, 2027)


@pytest.mark.django_db
def test_a_register_cannot_be_closed_before_its_last_day(roles):
    office = make_office()
    with clock.at(at(2026, 6, 1)):
        doc = register(office, "1/UBND")
        with pytest.raises(DomainError, match="31/12/2026"):
            services.close_register(actor=office.clerk, register_id=doc.register_id)
        with pytest.raises(DomainError) as refused:
            services.close_register(actor=office.specialist, register_id=doc.register_id)
    assert refused.value.code == "forbidden"


@pytest.mark.django_db(transaction=True)
def test_24_clerks_registering_at_once_get_numbers_1_to_24_without_gaps_or_duplicates(roles):
    office = make_office()
    clerks = [office.clerk, make_staff(role=Role.CLERK, agency=office.agency, division=office.office)]
    scan = upload().stream.getvalue()  # rendered once: the threads measure the register, not WeasyPrint

    def work(i: int) -> int:
        with clock.at(at(2026, 12, 30, 9)):
            return services.register_incoming(actor=clerks[i % 2], doc_type="cong-van", summary=f"Văn bản {i}",
                                              sender_name="UBND tỉnh", symbol=f"{i + 1}/UBND-NC",
                                              issued_on=dt.date(2026, 12, 30), files=[upload(data=scan)]).number

    numbers, errors = run_together(24, work)
    assert errors == []
    assert sorted(numbers) == list(range(1, 25))
    assert sorted(Document.objects.values_list("number", flat=True)) == list(range(1, 25))


@pytest.mark.django_db
def test_a_confidential_document_is_hidden_from_those_not_given_it_by_name(roles):
    office = make_office()
    secret = register(office, "9/CA-PV", secrecy=Secrecy.CONFIDENTIAL)
    normal = register(office, "10/UBND")
    services.direct(actor=office.director, document_id=normal.pk, note="", lead_division_id=office.personnel.pk)
    services.direct(actor=office.director, document_id=secret.pk, note="", lead_division_id=office.personnel.pk)
    # The personnel division's specialist sees the normal document through his division, not the secret one...
    assert set(access.visible(office.specialist)) == {normal}
    with pytest.raises(DomainError) as refused:
        access.access_document(office.specialist, secret.pk)
    assert refused.value.code == "not_found"
    # ...which reaches the division's leader, who gives it to him by name: then he (only) sees it too.
    assert set(access.visible(office.leader)) == {normal, secret}
    services.assign(actor=office.leader, task_id=secret.tasks.get().pk, assignee_id=office.specialist.pk)
    assert set(access.visible(office.specialist)) == {normal, secret}
    assert set(access.visible(office.director)) == {normal, secret}
    assert set(access.visible(office.other)) == set()
    assert set(access.visible(make_office().director)) == set()  # another agency
