"""Factories that build the organisational world tests need, through the same services the app uses."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from motcua.core.models import WorkCalendar
from motcua.org import services
from motcua.org.models import Agency, Division, Position, Staff, Unit
from motcua.org.roles import Role

_seq = itertools.count(1)


class CalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkCalendar

    name = factory.Sequence(lambda n: f"Lịch {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    # Unique for ten million agencies, and never one of the fixtures' and the demo's H22 identifiers.
    identifier = factory.Sequence(lambda n: f"{n // 10000 % 1000:03d}.{n // 100 % 100:02d}.{n % 100:02d}.G90")
    name = factory.Sequence(lambda n: f"Sở Nội vụ {n}")
    short_name = "SNV"
    kind = Agency.Kind.DEPARTMENT


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"Phòng {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"Ban {n}")


def position(code: str) -> Position:
    defaults = {
        "giam_doc": ("Giám đốc", "agency", True),
        "truong_phong": ("Trưởng phòng", "division", True),
        "chuyen_vien": ("Chuyên viên", "staff", False),
    }[code]
    pos, _ = Position.objects.get_or_create(code=code, defaults=dict(zip(("name", "level", "single_holder"), defaults,
                                                                         strict=True)))
    return pos


ROLE_POSITION = {
    Role.AGENCY_LEADER: "giam_doc",
    Role.DIVISION_LEADER: "truong_phong",
}


def make_staff(*, role: Role | None = Role.SPECIALIST, agency: Agency | None = None, division: Division | None = None,
               password: str = "mat-khau-thu-nghiem",  # noqa: S107 - the test password
               username: str | None = None, position_code: str | None = None,
               start_date: dt.date = dt.date(2024, 1, 1)) -> Staff:
    """A staff member with a login and one role, in post since 2024."""
    agency = agency or AgencyFactory()
    code = position_code or ROLE_POSITION.get(role, "chuyen_vien")
    pos = position(code)
    if pos.level != "agency" and division is None:
        division = DivisionFactory(agency=agency)
    return services.create_staff(
        actor=None, agency=agency, username=username or f"user{next(_seq)}", full_name="Nguyễn Văn Thử",
        position=pos, division=division if pos.level != "agency" else None, start_date=start_date,
        roles=[role] if role else [], password=password,
    )


def ensure_dossier_defaults() -> None:
    """The rows the dossier app's data migrations install (the one-stop time rules, the TT 01/2018 forms).

    A test that runs in a transactional database (threads, the browser's live server) ends with every table
    emptied, data-migration rows included; the tests after it get them back from here, through the
    migrations' own functions (idempotent)."""
    import importlib

    from django.apps import apps

    for name, function in (("0002_default_rules", "add_rules"), ("0003_tt01_2018_forms", "add_forms")):
        getattr(importlib.import_module(f"motcua.dossiers.migrations.{name}"), function)(apps, None)


def make_agency(identifier: str, name: str, short: str, kind: str, calendar,
                *divisions: tuple[str, str, bool]) -> Agency:
    """An agency of the province with its divisions (code, name, whether it is the one-stop desk)."""
    agency = Agency.objects.create(identifier=identifier, name=name, short_name=short, kind=kind, calendar=calendar)
    for code, title, desk in divisions:
        Division.objects.create(agency=agency, code=code, name=title, is_one_stop_desk=desk)
    return agency


def make_person(role: Role, agency: Agency, division_code: str | None = None) -> Staff:
    """A staff member of ``agency`` with one role, in the division of that code (none: the agency's leaders)."""
    division = Division.objects.get(agency=agency, code=division_code) if division_code else None
    return make_staff(role=role, agency=agency, division=division)
