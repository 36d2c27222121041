"""Who performs each step of a dossier's process in the province: the catalogue names a role and a division
kind; the dossier says which agencies take part. The first desk step is the receiving point's desk, the final
return step the delivery point's desk, a step naming an agency on the system is that partner's, any other
step the resolving agency's; the division is the performing agency's division of that kind. A step at an
agency off the system (a ministry, another province) is reached by transfer and receive-back, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from motcua.catalog.models import ProcessStep
from motcua.dossiers import routing
from motcua.org.models import Agency, Division, Unit


@dataclass(frozen=True)
class Performer:
    agency: Agency
    division: Division | None = None
    unit: Unit | None = None
    external: Agency | None = None  # an agency off the system: the step is a transfer there

    @property
    def place_name(self) -> str:
        place = self.external or self.division or self.unit
        return str(place) if place is not None else ""


class MissingPlace(Exception):
    """The performing agency has no division (or desk) for a step; the message says which."""


def external_agency_id(row: ProcessStep) -> int | None:
    """The step's agency when it is off the system (a transfer), else None (a step of the deployment)."""
    return row.other_agency_id if row.other_agency_id and not row.other_agency.on_system else None


def plan_of(rows: Sequence[ProcessStep]) -> routing.Plan:
    return routing.Plan(tuple(routing.PlannedStep(i, row.role, external_agency_id(row))
                              for i, row in enumerate(rows)))


def partner_agencies(rows: Sequence[ProcessStep]) -> list[Agency]:
    """The liên thông partners on the system that the process names, in order of their first step."""
    seen: dict[int, Agency] = {}
    for row in rows:
        if row.other_agency_id and row.other_agency.on_system:
            seen.setdefault(row.other_agency_id, row.other_agency)
    return list(seen.values())


def performing_agency(rows: Sequence[ProcessStep], index: int, *, receiving: Agency, resolving: Agency,
                      delivery: Agency) -> Agency:
    row = rows[index]
    if row.other_agency_id:
        return resolving if external_agency_id(row) else row.other_agency
    if row.role == routing.DESK:
        if index == 0:
            return receiving
        if index == plan_of(rows).return_index:
            return delivery
    return resolving


def one_stop_desk(agency: Agency) -> Division | None:
    return Division.objects.filter(agency=agency, is_one_stop_desk=True, is_active=True).order_by("pk").first()


class Places:
    """An agency's active divisions and units, read once (two queries) for as long as this object lives: one
    intake or one action, which asks about the same few agencies several times."""

    def __init__(self) -> None:
        self._divisions: dict[int, list[Division]] = {}
        self._units: dict[int, list[Unit]] = {}

    def divisions(self, agency: Agency) -> list[Division]:
        if agency.pk not in self._divisions:
            self._divisions[agency.pk] = list(Division.objects.filter(agency=agency, is_active=True).order_by("pk"))
        return self._divisions[agency.pk]

    def desk(self, agency: Agency) -> Division | None:
        return next((d for d in self.divisions(agency) if d.is_one_stop_desk), None)

    def of_kind(self, agency: Agency, kind: str) -> Division | Unit | None:
        found = next((d for d in self.divisions(agency) if d.kind == kind), None)
        if found is not None:
            return found
        if agency.pk not in self._units:
            self._units[agency.pk] = list(Unit.objects.filter(agency=agency, is_active=True).order_by("pk"))
        return next((u for u in self._units[agency.pk] if u.code == kind), None)


def performer(rows: Sequence[ProcessStep], index: int, *, receiving: Agency, resolving: Agency,
              delivery: Agency, receiving_desk: Division | None = None, places: Places | None = None) -> Performer:
    """Who performs step ``index``, or ``MissingPlace`` when that agency lacks the division it needs."""
    places = places or Places()
    row = rows[index]
    if external_agency_id(row):
        return Performer(resolving, external=row.other_agency)
    agency = performing_agency(rows, index, receiving=receiving, resolving=resolving, delivery=delivery)
    if row.role == routing.DESK:
        desk = receiving_desk if index == 0 and receiving_desk and receiving_desk.agency_id == agency.pk else None
        desk = desk or places.desk(agency)
        if desk is None:
            raise MissingPlace(f"{agency.name} chưa có bộ phận một cửa để thực hiện bước \u201c{row.name}\u201d.")
        return Performer(agency, division=desk)
    if not row.division_kind:
        return Performer(agency)
    place = places.of_kind(agency, row.division_kind)
    if isinstance(place, Division):
        return Performer(agency, division=place)
    if isinstance(place, Unit):
        return Performer(agency, unit=place)
    raise MissingPlace(f"{agency.name} chưa có phòng, đơn vị loại {row.division_kind} để thực hiện bước "
                       f"\u201c{row.name}\u201d; không giao hồ sơ cho cơ quan này được.")


def of_dossier(dossier, rows: Sequence[ProcessStep], index: int, places: Places | None = None) -> Performer:
    """Who performs step ``index`` of ``dossier`` (its receiving, resolving, partner or delivery agency)."""
    return performer(rows, index, receiving=dossier.receiving_agency, resolving=dossier.agency,
                     delivery=dossier.delivery_agency, receiving_desk=dossier.receiving_desk, places=places)
