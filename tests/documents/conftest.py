"""The world of the documents tests: one agency with an office (VP) and a personnel division (TCCB), its clerk,
director, the TCCB leader and two specialists; the agency's demo signing key; small real files."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from motcua.core.files import Upload
from motcua.org.models import Agency, Division, Staff
from motcua.org.roles import Role
from tests.factories import AgencyFactory, DivisionFactory, make_staff


def ensure_document_types() -> None:
    """The rows of the documents data migration (a transactional test empties every table)."""
    import importlib

    from django.apps import apps

    importlib.import_module("motcua.documents.migrations.0002_document_types").add_types(apps, None)


@dataclass
class Office:
    agency: Agency
    office: Division
    personnel: Division
    clerk: Staff
    director: Staff
    leader: Staff  # leads the personnel division
    specialist: Staff  # personnel division
    other: Staff  # a specialist of the office division
    office_leader: Staff


def make_office(agency: Agency | None = None) -> Office:
    ensure_document_types()
    agency = agency or AgencyFactory(name="Sở Nội vụ tỉnh Thử", short_name="SNV")
    office = DivisionFactory(agency=agency, code="VP", name="Văn phòng Sở")
    personnel = DivisionFactory(agency=agency, code="TCCB", name="Phòng Tổ chức, biên chế")
    return Office(
        agency=agency, office=office, personnel=personnel,
        clerk=make_staff(role=Role.CLERK, agency=agency, division=office),
        director=make_staff(role=Role.AGENCY_LEADER, agency=agency),
        leader=make_staff(role=Role.DIVISION_LEADER, agency=agency, division=personnel),
        specialist=make_staff(role=Role.SPECIALIST, agency=agency, division=personnel),
        other=make_staff(role=Role.SPECIALIST, agency=agency, division=office),
        office_leader=make_staff(role=Role.DIVISION_LEADER, agency=agency, division=office),
    )


@pytest.fixture
def office(roles) -> Office:
    return make_office()


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory):
    from motcua.documents.demo_keys import ensure_demo_keys

    directory = tmp_path_factory.mktemp("signing")
    ensure_demo_keys(directory, agency_name="Sở Nội vụ tỉnh Thử")
    return directory


@pytest.fixture
def signing_key(settings, signing_dir):
    settings.SIGNING_CERT_FILE = str(signing_dir / "agency.pem")
    settings.SIGNING_KEY_FILE = str(signing_dir / "agency.key")
    settings.SIGNING_CHAIN_FILES = [str(signing_dir / "root.pem")]
    settings.SIGNING_TRUST_ROOTS = [str(signing_dir / "root.pem")]
    return signing_dir


def pdf_bytes(text: str = "Công văn số 12/UBND-NC về việc tuyển dụng công chức") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html lang='vi'><body><p>{text}</p></body></html>").write_pdf()


def upload(name: str = "scan.pdf", data: bytes | None = None) -> Upload:
    data = pdf_bytes() if data is None else data
    return Upload(name=name, stream=io.BytesIO(data), size=len(data))
